"""The rush's in-process replay (bench/profile_requests.py) in small, so that it cannot rot:
`make profile-requests` runs it with 20 coordinators."""

import re

import pytest

from .test_rush import run_bench

pytestmark = pytest.mark.load

KINDS = [
    "plan list",
    "open basics",
    "save basics",
    "open budget",
    "save budget",
    "open itinerary",
    "save itinerary",
    "open partners",
    "save partners",
    "open review and submit",
    "submit",
    "plan page (submitted)",
]


def test_replay_measures_every_kind_of_request_of_the_rush():
    report = run_bench("profile_requests.py", "--users", "1", "--warm", "0")
    for kind in KINDS:
        assert re.search(rf"^{re.escape(kind)} +\d+ +\d+\.\d +\d+\.\d$", report, re.M), report
    # One coordinator: the list thrice, each section of the round, submission, the plan page.
    assert re.search(r"^the mix +20 +\d+\.\d +\d+\.\d$", report, re.M), report
