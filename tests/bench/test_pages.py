"""The busy-pages bench in small, so that it cannot rot: `make bench` runs it on ten years.

Each busy page's queries are counted on a small scale dataset and again on one several times
larger: they must be equal, so a page that gains a query per plan, review or participant
fails here. Then the measuring itself runs once on every page and every export.
"""

import pytest
from django.core.management import call_command

from bench import pages as bench
from tests.factories import UserFactory
from tests.participants.builders import approved_plan, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor_urls(settings):
    """The floor routed beside the portal's pages, as `make bench` does."""
    settings.ROOT_URLCONF = "bench.floor_urls"


@pytest.fixture
def participant_user():
    user = UserFactory()
    registered(approved_plan(), user=user)
    return user


def test_no_busy_page_gains_queries_as_the_data_grows(floor_urls, staff_user, participant_user):
    call_command("seed_scale", "--years", "1", "--plans-per-year", "30")
    pages, chosen = bench.busy_pages(staff_user, participant_user)
    small = bench.query_counts(pages)
    small_plans = {what: call.plans.count() for what, call in chosen.items()}

    call_command("seed_scale", "--years", "2", "--plans-per-year", "150", "--reset")
    pages, chosen = bench.busy_pages(staff_user, participant_user)
    large = bench.query_counts(pages)

    # The same pages, on calls with several times the plans (and their reviews).
    for what, call in chosen.items():
        assert call.plans.count() >= 3 * small_plans[what], what
    assert set(small) == {
        "staff plan list",
        "call ranking",
        "assignment preview",
        "staff dashboard (cached)",
        "dashboard recompute (POST)",
        "coordinator dashboard",
        "participant portal",
        bench.FLOOR,
    }
    assert large == small
    # The floor is the middleware's own queries and one more.
    assert small[bench.FLOOR] <= 4


def test_bench_measures_every_page_and_export(floor_urls, staff_user, participant_user):
    call_command("seed_scale", "--years", "1", "--plans-per-year", "20")
    pages, _chosen = bench.busy_pages(staff_user, participant_user)
    for _name, fetch in pages:
        queries, p50, p95, cpu = bench.measure(fetch, 1)
        assert queries >= 1 and 0 < p50 <= p95 and cpu >= 0
    measured = []
    for name, fetch in bench.all_exports(staff_user):
        measured.append(name)
        queries, seconds, size, peak = bench.measure_export(fetch)
        assert queries >= 1 and seconds > 0 and peak > 0, name
        assert size > 100, name  # a header and rows
    assert len(measured) == 10  # four tables of one year and the participants of all, twice
