"""Coordinators in the last minutes before a call closes, for bench/rush.py (which runs it).

Each simulated coordinator takes one signed-in session of RUSH_SESSIONS (its own plan; no two
share one), opens the editor's sections, saves them again and again with a new value each
time (the objectives, the first budget line's note, a new itinerary item; the partners page
unchanged), opens "Review and submit" and submits at a moment of its own in the second half of
the run, then reads its plan and the plan list until the time is up. Forms are sent as a
browser with JavaScript sends them: every field as rendered, with the CSRF token and the plan
version, and with htmx's headers where the page has htmx send the form (bench/browser_forms.py:
the sections' forms are boosted and come back as the saved page in one answer; the itinerary's
item comes back as the itinerary's part of the page).

A response is a failure when it is not what the person at the screen expects: a save must
come back on its section with "Saved." and the next plan version, a submission on the plan
page in the submitted state. At the end, what each coordinator was told was saved and
submitted goes to RUSH_RESULTS, which rush.py compares with the database.

The users are locust's FastHttpUser (geventhttpclient): locust runs on the cores it measures,
and costs about half the CPU a request there that the requests-based HttpUser does (1.5
against 2.5 to 3 ms). Its forms are encoded here (a field may have several values); the page
a save ends on shows whether it went through.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser
from requests.cookies import create_cookie

from bench.browser_forms import post_form

SESSIONS = json.loads(Path(os.environ["RUSH_SESSIONS"]).read_text())
ACCOUNTS = iter(SESSIONS)
RESULTS = {}
WAIT = [float(part) for part in os.environ.get("RUSH_WAIT", "5-15").split("-")]
# The sections a coordinator goes through, round and round until it is time to submit; those
# it must have saved before submitting come first, so that a short run submits too.
ROUND = ["basics", "budget", "itinerary", "basics", "partners", "basics"]
MUST_SAVE_BEFORE_SUBMITTING = {"basics", "budget", "itinerary"}
# A field by which to find a section's edit form (others on the page carry plan_version too).
FORM_FIELD = {"itinerary": "title_en", "budget": "budget-TOTAL_FORMS"}
# Each user submits at a moment of its own in this part of the run.
SUBMIT_BETWEEN = (0.45, 0.85)
STARTED = time.monotonic()
PLAN_VERSION = re.compile(r'<input type="hidden" name="plan_version" value="(\d+)"')


def what_went_wrong(response):
    """A short reason for a failure, from the page's error list when it has one."""
    if not response.status_code:  # no answer at all: the connection failed
        return f"no answer: {response.error!r}"
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", errors[0]).split()) if errors else ""
    path = urlsplit(response.url).path
    return f"HTTP {response.status_code} at {path}: {text or 'no form error'}"


@events.test_start.add_listener
def remember_start(environment, **kwargs):
    global STARTED
    STARTED = time.monotonic()


@events.test_stop.add_listener
@events.quitting.add_listener
def write_results(environment, **kwargs):
    results = json.dumps(RESULTS, ensure_ascii=False)
    Path(os.environ["RUSH_RESULTS"]).write_text(results, encoding="utf-8")


class Coordinator(FastHttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        try:
            self.account = next(ACCOUNTS)
        except StopIteration:
            raise StopUser() from None
        self.client.cookiejar.set_cookie(
            create_cookie(
                self.account["cookie"], self.account["session"], domain=urlsplit(self.host).hostname
            )
        )
        self.urls = self.account["urls"]
        self.record = RESULTS[str(self.account["plan"])] = {
            "email": self.account["email"],
            "objectives": {"confirmed": None, "unconfirmed": []},
            "budget_note": {"confirmed": None, "unconfirmed": []},
            "itinerary": {"confirmed": [], "unconfirmed": []},
            "submit": {"confirmed": False, "attempted": False},
        }
        run_time = getattr(self.environment.parsed_options, "run_time", None) or 120
        self.submit_at = STARTED + random.uniform(*SUBMIT_BETWEEN) * run_time
        self.sections = itertools.cycle(ROUND)
        self.target = next(self.sections)
        self.saved = set()
        self.page = None  # (section, html, url) of the page the user is on
        self.drafts = 0
        self.read("plan list", self.urls["list"], self.account["reference"])

    @task
    def next_step(self):
        if self.record["submit"]["confirmed"]:
            self.browse()
        elif time.monotonic() >= self.submit_at and self.saved >= MUST_SAVE_BEFORE_SUBMITTING:
            if self.page and self.page[0] == "submit":
                self.submit()
            else:
                self.open("submit", "open review and submit", 'class="notice ok"')
        elif self.page and self.page[0] == self.target:
            self.save(self.target)
            self.target = next(self.sections)
        else:
            self.open(self.target, f"open {self.target}", 'name="plan_version"')

    def open(self, section, name, expected):
        with self.client.get(self.urls[section], name=name, catch_response=True) as response:
            if response.status_code != 200 or urlsplit(response.url).path != self.urls[section]:
                response.failure(what_went_wrong(response))
                self.page = None
            elif expected not in response.text:
                response.failure(f"{name}: the page lacks {expected}")
                self.page = None
            else:
                response.success()
                self.page = (section, response.text, response.url)

    def save(self, section):
        _section, html, url = self.page
        action, fields, headers = post_form(html, url, FORM_FIELD.get(section, "plan_version"))
        if action is None:
            self.page = None
            return
        self.drafts += 1
        mark = f"{self.drafts} {uuid.uuid4().hex[:8]}"
        value = None
        if section == "basics":
            value = f"Objectives of {self.account['reference']}, draft {mark}.\n目的：研究体験。"
            fields["objectives"] = [value]
            record = self.record["objectives"]
        elif section == "budget":
            value = f"Note {mark}"
            fields["budget-0-note"] = [value]
            record = self.record["budget_note"]
        elif section == "itinerary":
            value = f"Rush item {mark}"
            fields.update(
                title_en=[value], start_time=["13:00"], end_time=["14:30"], place=["Seminar room"]
            )
            record = self.record["itinerary"]
        version = int(fields["plan_version"][0])
        if value is not None:
            record["unconfirmed"].append(value)
        with self.post(action, fields, headers, f"save {section}") as response:
            problem = self.not_saved(response, section, version)
            if problem:
                response.failure(problem)
                self.page = None
                return
            response.success()
            self.page = (section, response.text, response.url)
            self.saved.add(section)
            if section == "itinerary":
                record["unconfirmed"].remove(value)
                record["confirmed"].append(value)
            elif value is not None:
                record["confirmed"], record["unconfirmed"] = value, []

    def post(self, action, fields, headers, name):
        """Send a form as a browser does (a field may have several values; htmx's headers)."""
        return self.client.post(
            action,
            data=urlencode(fields, doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
            name=name,
            catch_response=True,
        )

    def not_saved(self, response, section, version):
        """Why the save did not end as a person expects, or None."""
        if response.status_code != 200:
            return what_went_wrong(response)
        if urlsplit(response.url).path != self.urls[section]:
            return f"save {section} ended on {urlsplit(response.url).path}"
        if 'class="message success"' not in response.text:
            return f"save {section}: no success message"
        # The first form's version, as post_form would read it (the next save parses the page).
        found = PLAN_VERSION.search(response.text)
        if found is None or found[1] != str(version + 1):
            return f"save {section}: the form does not carry version {version + 1}"
        return None

    def submit(self):
        _section, html, url = self.page
        action, fields, headers = post_form(html, url, "csrfmiddlewaretoken", to_itself=True)
        if action is None:
            self.page = None
            return
        self.record["submit"]["attempted"] = True
        with self.post(action, fields, headers, "submit") as response:
            if response.status_code != 200:
                response.failure(what_went_wrong(response))
            elif urlsplit(response.url).path != self.urls["detail"]:
                response.failure(f"submit ended on {urlsplit(response.url).path}")
            elif 'class="message success"' not in response.text:
                response.failure("submit: no success message")
            elif "badge state-submitted" not in response.text:
                response.failure("submit: the plan page does not say submitted")
            else:
                response.success()
                self.record["submit"]["confirmed"] = True
        self.page = None

    def browse(self):
        """After submitting: the plan page and the plan list, read only, as people do."""
        if random.random() < 0.6:
            self.read("plan page (submitted)", self.urls["detail"], "badge state-submitted")
        else:
            self.read("plan list", self.urls["list"], self.account["reference"])

    def read(self, name, url, expected):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200 or urlsplit(response.url).path != url:
                response.failure(what_went_wrong(response))
            elif expected not in response.text:
                response.failure(f"{name}: the page lacks {expected}")
            else:
                response.success()
