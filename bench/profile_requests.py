"""CPU per request of the deadline rush, measured in-process: what `make loadtest` costs the web
workers, in a figure that depends far less on how busy the machine is than the load test's
throughput (on a shared virtual machine it still drifts by about 10 %: compare runs made
alternately).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakura_rush_profile \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/profile_requests.py --users 20

Makes the database (its name must start with sakura_rush; dropped at the end) with the rush's
data and signed-in sessions (bench/rush_plans.py), in the environment gunicorn gets from
bench/rush.py, then replays the requests of bench/locustfile.py, coordinator after
coordinator, through Django's WSGI handler in this process (a browser's cookies, CSRF token
and redirects; no test client, so the request signals close or keep the database connection
as under gunicorn): the plan list, each section opened and saved in the rush's rotation,
"Review and submit", the submission, then the plan page and the list as people read them.

It prints, per kind of request, the CPU time of this process (time.process_time: Python,
templates, the database driver; not PostgreSQL's own) and the queries, and their mean over the
mix; --profile N prints cProfile's N costliest functions (by their own time and cumulated, in
CPU time), and then the figures include the profiler's own cost (three to four times as much).
The first --warm coordinators are left out of the figures (imports, template compilation).
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

from bench.browser_forms import post_form  # noqa: E402
from bench.rush import (  # noqa: E402
    DATABASE_PREFIX,
    create_database,
    drop_database,
    server_environment,
)

# The coordinator's way through the rush (bench/locustfile.py): the plan list, then the
# sections of ROUND opened and saved, review and submit, then reading (60 % plan page).
ROUND = ["basics", "budget", "itinerary", "basics", "partners", "basics"]
READING = ["detail", "detail", "list", "detail", "list"]
FORM_FIELD = {"itinerary": "title_en", "budget": "budget-TOTAL_FORMS"}


class Browser:
    """One person's browser against the WSGI application: cookies kept, redirects followed."""

    def __init__(self, application, cookies):
        self.application = application
        self.cookies = dict(cookies)

    def request(self, method, url, fields=None, headers=None):
        """(status, html, final path, redirected) of `url` (sent with `headers`: htmx's),
        following redirects with GET."""
        redirected = False
        while True:
            status, answer, body = self.send(method, url, fields, headers or {})
            if status in (301, 302, 303) and "Location" in answer:
                url, method, fields, redirected = (
                    urljoin(url, answer["Location"]),
                    "GET",
                    None,
                    True,
                )
                continue
            return status, body.decode(), urlsplit(url).path, redirected

    def send(self, method, url, fields, headers):
        parts = urlsplit(url)
        body = urlencode(fields or {}, doseq=True).encode()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": parts.path,
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "HTTP_ACCEPT": "text/html",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
        }
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), headers

        response = self.application(environ, start_response)
        try:
            content = b"".join(response)
        finally:
            response.close()  # request_finished: the connection is closed or kept, as in gunicorn
        headers = {}
        for name, value in answer["headers"]:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
            else:
                headers[name] = value
        return answer["status"], headers, content


class Recorder:
    """CPU seconds and queries per kind of request; cProfile around the requests only."""

    def __init__(self, *, profile):
        self.cpu = defaultdict(list)
        self.queries = defaultdict(list)
        self.profiler = cProfile.Profile(time.process_time) if profile else None
        self.recording = False
        self._count = 0

    def count_query(self, execute, sql, params, many, context):
        self._count += 1
        return execute(sql, params, many, context)

    def __call__(self, kind, browser, method, url, fields=None, headers=None):
        from django.db import connection

        self._count = 0
        with connection.execute_wrapper(self.count_query):
            if self.profiler and self.recording:
                self.profiler.enable()
            started = time.process_time()
            answer = browser.request(method, url, fields, headers)
            spent = time.process_time() - started
            if self.profiler and self.recording:
                self.profiler.disable()
        if self.recording:
            self.cpu[kind].append(spent)
            self.queries[kind].append(self._count)
        return answer


def replay(account, application, record):
    """One coordinator's rush; raises when a page is not what the person expects."""
    urls = account["urls"]
    browser = Browser(application, {account["cookie"]: account["session"]})

    def expect(answer, path, text, what):
        status, html, final, _redirected = answer
        if status != 200 or final != path or text not in html:
            raise SystemExit(f"{what}: HTTP {status} at {final}, without {text!r}")
        return html

    reference = account["reference"]
    expect(record("plan list", browser, "GET", urls["list"]), urls["list"], reference, "list")
    for number, section in enumerate(ROUND):
        url = urls[section]
        html = expect(
            record(f"open {section}", browser, "GET", url), url, "plan_version", f"open {section}"
        )
        action, fields, headers = post_form(html, url, FORM_FIELD.get(section, "plan_version"))
        mark = f"{account['reference']} {number}"
        if section == "basics":
            fields["objectives"] = [f"Objectives, draft {mark}.\n目的：研究体験。"]
        elif section == "budget":
            fields["budget-0-note"] = [f"Note {mark}"]
        elif section == "itinerary":
            fields.update(
                title_en=[f"Rush item {mark}"],
                start_time=["13:00"],
                end_time=["14:30"],
                place=["Seminar room"],
            )
        expect(
            record(f"save {section}", browser, "POST", action, fields, headers),
            url,
            'class="message success"',
            f"save {section}",
        )
    html = expect(
        record("open review and submit", browser, "GET", urls["submit"]),
        urls["submit"],
        'class="notice ok"',
        "open review and submit",
    )
    action, fields, headers = post_form(html, urls["submit"], "csrfmiddlewaretoken", to_itself=True)
    expect(
        record("submit", browser, "POST", action, fields, headers),
        urls["detail"],
        "badge state-submitted",
        "submit",
    )
    for page in READING:
        name = "plan page (submitted)" if page == "detail" else "plan list"
        text = "badge state-submitted" if page == "detail" else reference
        expect(record(name, browser, "GET", urls[page]), urls[page], text, name)


def print_figures(recorder, users, profile_lines):
    header = f"{'request':<28}{'count':>7}{'CPU ms':>9}{'queries':>9}"
    print(header)
    print("-" * len(header))
    total_cpu, total_count, total_queries = 0.0, 0, 0
    for kind, spent in recorder.cpu.items():
        queries = recorder.queries[kind]
        mean = sum(spent) / len(spent) * 1000
        print(f"{kind:<28}{len(spent):>7}{mean:>9.1f}{sum(queries) / len(queries):>9.1f}")
        total_cpu += sum(spent)
        total_count += len(spent)
        total_queries += sum(queries)
    print("-" * len(header))
    print(
        f"{'the mix':<28}{total_count:>7}{total_cpu / total_count * 1000:>9.1f}"
        f"{total_queries / total_count:>9.1f}"
    )
    print(
        f"\n{users} coordinators, {total_cpu:.2f} s of CPU for {total_count} requests: "
        f"at most {total_count / total_cpu:.0f} requests/s per core for the web workers alone."
    )
    if profile_lines:
        for order in ("tottime", "cumulative"):
            text = io.StringIO()
            stats = pstats.Stats(recorder.profiler, stream=text).strip_dirs().sort_stats(order)
            stats.print_stats(profile_lines)
            print(f"\ncProfile, by {order}:")
            print(text.getvalue().split("\n\n", 1)[-1].rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="coordinators replayed")
    parser.add_argument("--warm", type=int, default=2, help="coordinators left out (warming)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile's top N")
    parser.add_argument("--profile-file", help="also write cProfile's statistics to this file")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    arguments = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    name = urlsplit(database_url).path.lstrip("/")
    if not name.startswith(DATABASE_PREFIX):
        raise SystemExit(f"DATABASE_URL must name a database called {DATABASE_PREFIX}…")
    media = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    os.environ.update(server_environment(database_url, name, media))
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # as rush.py's gunicorn
    create_database(database_url, name)

    import django

    django.setup()
    from datetime import timedelta

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from bench.rush import clean_redis
    from bench.rush_plans import create_rush_data, signed_in_sessions

    try:
        call_command("migrate", verbosity=0)
        users = arguments.users + arguments.warm
        plans = create_rush_data(users, timezone.now() + timedelta(hours=1))
        sessions = signed_in_sessions(plans)
        connections.close_all()  # the replay opens its own, as a gunicorn worker does
        application = WSGIHandler()
        recorder = Recorder(profile=bool(arguments.profile or arguments.profile_file))
        for number, account in enumerate(sessions):
            recorder.recording = number >= arguments.warm
            replay(account, application, recorder)
        print_figures(recorder, arguments.users, arguments.profile)
        if arguments.profile_file:
            recorder.profiler.dump_stats(arguments.profile_file)
    finally:
        clean_redis(name, name)
        if arguments.keep:
            print(f"Kept the database {name}.")
        else:
            drop_database(database_url, name)
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
