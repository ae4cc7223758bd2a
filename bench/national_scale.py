"""National-scale bench: every key page on a cache miss and a cache hit, at 21 counties × 10 years.

    .venv/bin/python bench/national_scale.py [--samples 40] [--gunicorn]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvinnofrid_x .venv/bin/python bench/national_scale.py

Database: PostgreSQL when DATABASE_URL is set (the bench creates and at the end drops its own
database, named after the one in the URL with ``_national`` appended, never the named one itself);
otherwise a SQLite file in a temporary folder. Caches: CACHE_URL if set; with ``--gunicorn`` the
bench and the server share Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/0) under a key
prefix of their own, so that a write made by the bench is seen by both workers.

Data: the 21 counties with their real number of municipalities (290) plus a region, the
länsstyrelse and the police per county; each county an adopted plan (5 goals × 4 delmål, planned
activities, 8 indicators with a value per year) and one follow-up round a year 2016–2025 with the
standard questions, a submission per organisation with answers, indicator answers and three
reported activities, and a lägesrapport. The current round (2025) is open.

For each page, SAMPLES times: a write through a service that the page shows, a bare Django view,
the page (the **miss** sample), the bare view again, the page again with nothing changed (the
**hit** sample). ratio = p95(page) / p95(the bare requests of the same series). Timings run in
process through Django's test Client, or over HTTP against gunicorn (2 workers) with --gunicorn.
Queries are counted in process on a miss (CaptureQueriesContext): with the bench county's current
year only, with its 10 years, and with 21 counties; the line shows 1 county / 21 counties.
Logins are forced (their cost is measured by bench/followup_load.py).
"""

import argparse
import gc
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BARE_URL = "/__bare__/"
YEARS = list(range(2016, 2026))
CURRENT_YEAR = YEARS[-1]
BENCH_COUNTY = "06"
# kommuner per län (SCB, 2026): 290 in all
MUNICIPALITIES = {
    "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5,
    "12": 33, "13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7,
    "23": 8, "24": 15, "25": 14,
}  # fmt: skip
TARGETS = {"miss": 4.0, "hit": 2.0, "queries": 12}


def bare(request):  # noqa: ANN001, ANN201
    """The yardstick: a view that does nothing, behind the same middleware."""
    from django.http import HttpResponse

    return HttpResponse("ok")


def use_bench_settings() -> None:
    """The app's settings plus the bare view's URL, static URLs without a manifest (no
    collectstatic needed) and a fast password hasher; called before the first request."""
    from django.conf import settings
    from django.urls import include, path

    global urlpatterns
    urlpatterns = [path(BARE_URL.strip("/") + "/", bare), path("", include("kvinnofrid.urls"))]
    settings.ROOT_URLCONF = __name__
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- the database --------------------------------------------------------------------------------


def prepare_environment(gunicorn: bool) -> Callable[[], None]:
    """Point DATABASE_URL at a fresh bench database; return the function that removes it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")
    os.environ.update(DEBUG="false", LOG_LEVEL="ERROR", SECURE_SSL_REDIRECT="false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.pop("CELERY_BROKER_URL", None)
    if gunicorn and "CACHE_URL" not in os.environ:
        redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
        os.environ["CACHE_URL"] = f"{redis.replace('redis://', 'rediscache://', 1)}"
        os.environ["CACHE_URL"] += f"?key_prefix=national-scale-{os.getpid()}"
    if "DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="kf-national-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        return lambda: None
    url = urlsplit(os.environ["DATABASE_URL"])
    if not url.scheme.startswith("postgres"):
        sys.exit(f"DATABASE_URL must be PostgreSQL (or unset for SQLite), not {url.scheme}")
    name = url.path.lstrip("/") + "_national"
    pg = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    pg += ["-U", url.username or "postgres"]
    env = {**os.environ, "PGPASSWORD": url.password or ""}

    def drop() -> None:
        subprocess.run(["dropdb", *pg, "--if-exists", name], check=True, env=env)

    drop()
    subprocess.run(["createdb", *pg, name], check=True, env=env)
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path="/" + name))
    return drop


# --- the data --------------------------------------------------------------------------------------


@dataclass
class County:
    code: str
    orgs: list
    plan: object
    sub_goals: list
    indicators: list
    agreement: object


def build_county(code: str) -> County:
    """One county's organisations, agreement and adopted plan (bulk inserts, no rounds yet)."""
    import datetime

    from actionplans.models import ActionPlan, Goal, Indicator, PlannedActivity, SubGoal
    from agreements.models import Agreement
    from agreements.models import County as CountyModel
    from kvinnofrid.directory.models import Organisation, OrganisationKind

    county = CountyModel.objects.get(code=code)
    kinds = [(OrganisationKind.REGION, "Region"), (OrganisationKind.LANSSTYRELSE, "Länsstyrelsen")]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(county=county, name=f"Kommun {code}{i:02d}", kind=OrganisationKind.KOMMUN,
                         municipality_code=f"{code}{i:02d}")
            for i in range(MUNICIPALITIES[code])
        ]
        + [Organisation(county=county, name=f"{label} {code}", kind=kind) for kind, label in kinds]
        + [Organisation(county=county, name=f"Polisen {code}", kind=OrganisationKind.POLIS)]
    )  # fmt: skip
    agreement = Agreement.objects.create(
        county=county, title=f"Överenskommelse {code}", signed_on=datetime.date(2024, 3, 19),
        valid_from=datetime.date(2024, 3, 19), valid_until=datetime.date(2027, 12, 31),
    )  # fmt: skip
    plan = ActionPlan.objects.create(
        county=county, agreement=agreement, title=f"Handlingsplan {code}", period_start=YEARS[0],
        period_end=CURRENT_YEAR + 1, status=ActionPlan.Status.ADOPTED,
    )  # fmt: skip
    goals = Goal.objects.bulk_create(
        Goal(plan=plan, number=g, order=g, title=f"Mål {g}") for g in range(1, 6)
    )
    sub_goals = SubGoal.objects.bulk_create(
        SubGoal(goal=g, code=f"{g.number}:{s}", text=f"Delmål {g.number}:{s}", order=s)
        for g in goals
        for s in range(1, 5)
    )
    activities = PlannedActivity.objects.bulk_create(
        PlannedActivity(sub_goal=sg, text=f"Planerad aktivitet {sg.code}:{a}", order=a)
        for sg in sub_goals
        for a in range(2)
    )
    Responsible = PlannedActivity.responsible.through
    Responsible.objects.bulk_create(
        Responsible(plannedactivity_id=a.pk, organisation_id=orgs[i % len(orgs)].pk)
        for i, a in enumerate(activities)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(plan=plan, name=f"Indikator {i}", kind=Indicator.Kind.QUANTITATIVE, order=i)
        for i in range(8)
    )
    Linked = Indicator.sub_goals.through
    Linked.objects.bulk_create(
        Linked(indicator_id=ind.pk, subgoal_id=sub_goals[(2 * i + k) % len(sub_goals)].pk)
        for i, ind in enumerate(indicators)
        for k in range(2)
    )
    return County(code, orgs, plan, sub_goals, indicators, agreement)


def _status(year: int, i: int) -> str:
    from followup.models import Submission

    if year != CURRENT_YEAR:
        return Submission.Status.ACCEPTED
    return [Submission.Status.DRAFT, Submission.Status.SUBMITTED, Submission.Status.NOT_STARTED][
        i % 3
    ]


def build_years(c: County, years: list[int]) -> None:
    """Per year: the indicators' values, a round with the standard questions, one submission per
    organisation (answers, indicator answers, three reported activities) and a lägesrapport."""
    import datetime

    from django.utils import timezone

    from actionplans.models import IndicatorValue
    from followup import models as m
    from followup.standard_questions import STANDARD_QUESTIONS

    now = timezone.now()
    for year in years:
        current = year == CURRENT_YEAR
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=ind, year=year, value=year % 100 + i)
            for i, ind in enumerate(c.indicators)
        )
        round_ = m.FollowUpRound.objects.create(
            plan=c.plan, year=year, title=f"Uppföljning {year}",
            deadline=timezone.localdate() + datetime.timedelta(days=30)
            if current else datetime.date(year + 1, 2, 15),
            status=m.FollowUpRound.Status.OPEN if current else m.FollowUpRound.Status.REPORTED,
        )  # fmt: skip
        round_.invited_organisations.add(*c.orgs)
        questions = m.Question.objects.bulk_create(
            m.Question(round=round_, key=q["key"], text=str(q["text"]), kind=q["kind"],
                       required=q["required"], order=q["order"])
            for q in STANDARD_QUESTIONS
        )  # fmt: skip
        subs = m.Submission.objects.bulk_create(
            m.Submission(round=round_, organisation=o, status=_status(year, i),
                         submitted_at=None if current and i % 3 != 1 else now,
                         accepted_at=None if current else now)
            for i, o in enumerate(c.orgs)
        )  # fmt: skip
        started = [s for s in subs if s.status != m.Submission.Status.NOT_STARTED]
        m.Answer.objects.bulk_create(
            m.Answer(submission=s, question=q, text=f"Svar {s.pk} på {q.key}.")
            for s in started
            for q in questions
        )
        m.IndicatorAnswer.objects.bulk_create(
            m.IndicatorAnswer(submission=s, indicator=ind, value=i)
            for s in started
            for i, ind in enumerate(c.indicators)
        )
        activities = m.ReportedActivity.objects.bulk_create(
            m.ReportedActivity(submission=s, title=f"Aktivitet {k} {year}", order=k)
            for s in started
            for k in range(3)
        )
        Link = m.ReportedActivity.sub_goals.through
        Link.objects.bulk_create(
            Link(reportedactivity_id=a.pk, subgoal_id=c.sub_goals[i % len(c.sub_goals)].pk)
            for i, a in enumerate(activities)
        )
        m.StatusReport.objects.create(
            round=round_, title=f"Regional lägesrapport {year}",
            status=m.StatusReport.Status.DRAFT if current else m.StatusReport.Status.FINAL,
            finalised_at=None if current else now,
        )  # fmt: skip


def bench_users(c: County) -> dict:
    """A coordinator and a reporter of the bench county, and a national observer."""
    from kvinnofrid.accounts.models import Membership, Role, User
    from kvinnofrid.directory.models import Organisation, OrganisationKind

    national = Organisation.objects.create(name="Jämställdhetsmyndigheten", kind="myndighet")
    lst = next(o for o in c.orgs if o.kind == OrganisationKind.LANSSTYRELSE)
    users = {}
    for role, org in [
        (Role.COORDINATOR, lst),
        (Role.REPORTER, c.orgs[0]),
        (Role.OBSERVER, national),
    ]:
        users[role] = User.objects.create_user(email=f"{role}@bench.example", password="x")
        Membership.objects.create(user=users[role], organisation=org, role=role)
    return users


# --- the writes (each through the service a coordinator or reporter would use) -------------------


class Writes:
    """One write per kind; each call changes what its page shows and keeps the data's size."""

    def __init__(self, c: County, users: dict) -> None:
        from followup.models import FollowUpRound, StatusReport, Submission

        self.c, self.coordinator, self.reporter = c, users["coordinator"], users["reporter"]
        self.round = FollowUpRound.objects.get(plan=c.plan, year=CURRENT_YEAR)
        self.submission = Submission.objects.get(round=self.round, organisation=c.orgs[0])
        self.report = StatusReport.objects.get(round=self.round)
        self.question = self.round.questions.get(key="worked_well")
        self.count = itertools.count()

    def autosave(self) -> None:
        """The reporter's autosave: an answer and an indicator value (followup service)."""
        from followup.services import submission_save

        n = next(self.count)
        submission_save(
            submission_id=self.submission.pk, lock_version=None,
            answers={self.question.pk: {"text": f"Samverkan fungerade ({n})."}},
            indicator_values={self.c.indicators[0].pk: {"value": str(n % 50)}},
            actor=self.reporter,
        )  # fmt: skip

    def rename_agreement(self) -> None:
        from agreements.services import agreement_update

        title = f"Överenskommelse {self.c.code} ({next(self.count) % 2})"
        agreement_update(agreement_id=self.c.agreement.pk, expected_version=None,
                         data={"title": title}, actor=self.coordinator)  # fmt: skip

    def set_indicator_value(self) -> None:
        """A new value of an indicator (the plan is adopted, so its goals are read-only)."""
        from decimal import Decimal

        from actionplans.services import indicator_value_set

        indicator_value_set(indicator_id=self.c.indicators[0].pk, year=CURRENT_YEAR,
                            value=Decimal(next(self.count) % 50), actor=self.coordinator)  # fmt: skip

    def edit_round(self) -> None:
        """The round's title and deadline (shown on the overview and the index)."""
        import datetime

        from django.utils import timezone

        from followup.services import round_update

        n = next(self.count) % 2
        round_update(
            round_id=self.round.pk, lock_version=None, title=f"Uppföljning {CURRENT_YEAR} ({n})",
            instructions=f"Instruktioner {n}", opens_on=None,
            deadline=timezone.localdate() + datetime.timedelta(days=30 + n),
            organisation_ids=[o.pk for o in self.c.orgs], actor=self.coordinator,
        )  # fmt: skip

    def rename_report(self) -> None:
        from followup.reports.services import report_update

        title = f"Regional lägesrapport {CURRENT_YEAR} ({next(self.count) % 2})"
        report_update(report_id=self.report.pk, actor=self.coordinator, expected_version=None,
                      fields={"title": title})  # fmt: skip


# --- the pages ------------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    role: str
    url: str
    write: Callable[[], None]


def page_specs(w: Writes) -> list[Page]:
    """The key pages; another page is one more line."""
    from django.urls import reverse

    code, plan = w.c.code, w.c.plan
    return [
        # the layout alone: no data of its own, so its "miss" follows an unrelated write
        Page("static page (layout)", "coordinator", reverse("core:accessibility"), w.autosave),
        Page("county start page", "coordinator",
             reverse("actionplans:county-start", args=[code]), w.rename_agreement),
        Page("plan view", "coordinator",
             reverse("actionplans:plan-detail", args=[code, plan.pk]), w.set_indicator_value),
        Page("actor form", "reporter",
             reverse("followup:submission-edit", args=[w.submission.pk]), w.autosave),
        Page("response overview", "coordinator",
             reverse("followup:round-detail", args=[w.round.pk]), w.edit_round),
        Page("report list", "coordinator",
             reverse("followup:report-list", args=[code]), w.rename_report),
        Page("observer follow-up index", "observer", reverse("followup:index"), w.edit_round),
        Page("national overview", "observer", reverse("followup:national-overview"), w.edit_round),
    ]  # fmt: skip


def count_queries(pages: list[Page], clients: dict) -> dict[str, int]:
    """Queries of each page on a miss (right after its write), in process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page in pages:
        client = clients[page.role]
        client.get(page.url)  # compile templates, fill process-level caches
        page.write()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page.url)
        if response.status_code != 200:
            raise RuntimeError(f"{page.label}: HTTP {response.status_code} for {page.url}")
        counts[page.label] = len(ctx.captured_queries)
    return counts


def measure(pages: list[Page], get: Callable[[str, str], None], samples: int) -> dict:
    """{label: (miss ratio, hit ratio)}: per sample write, bare, page (miss), bare, page (hit)."""
    results = {}
    for page in pages:
        miss, hit, bare_times = [], [], []

        def timed(role: str, url: str, into: list[float]) -> None:
            started = time.perf_counter()
            get(role, url)
            into.append(time.perf_counter() - started)

        for i in range(samples + 3):  # three warm-up rounds, not kept
            page.write()
            timed(page.role, BARE_URL, bare_times)
            timed(page.role, page.url, miss)
            timed(page.role, BARE_URL, bare_times)
            timed(page.role, page.url, hit)
            if i == 2:
                miss, hit, bare_times = [], [], []
        base = p95(bare_times)
        results[page.label] = (p95(miss) / base, p95(hit) / base)
    return results


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


# --- in process or over gunicorn -------------------------------------------------------------------


def in_process_getter(clients: dict) -> Callable[[str, str], None]:
    def get(role: str, url: str) -> None:
        response = clients[role].get(url)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code} for {url}")

    return get


def start_gunicorn(clients: dict) -> tuple[subprocess.Popen, Callable[[str, str], None]]:
    """gunicorn with 2 workers on a free loopback port, serving this module's URLs; the
    getter sends each role's session cookie (sessions live in the database)."""
    import socket

    import requests
    from django.conf import settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--pythonpath", str(ROOT / "bench"),
         "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         f"{Path(__file__).stem}:application"],
        cwd=ROOT, env=dict(os.environ), start_new_session=True,
    )  # fmt: skip
    sessions = {}
    for role, client in clients.items():
        sessions[role] = requests.Session()
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        sessions[role].cookies.set(settings.SESSION_COOKIE_NAME, cookie)
    base = f"http://127.0.0.1:{port}"

    def get(role: str, url: str) -> None:
        response = sessions[role].get(base + url, timeout=60, allow_redirects=False)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code} for {url}")

    try:
        for _ in range(150):  # up to about a minute: a worker's first answer imports the app
            try:
                requests.get(base + BARE_URL, timeout=10)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        for _ in range(6):  # both workers import the app and compile templates
            for role in clients:
                get(role, BARE_URL)
    except BaseException:  # the caller never gets the server: stop it here
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
        raise
    return server, get


def report(counts: list[dict[str, int]], ratios: dict) -> None:
    """One line per page, then one verdict line per target."""
    one_year, one_county, national = counts
    over: dict[str, list[str]] = {"miss": [], "hit": [], "queries": [], "constant": []}
    for label, (miss, hit) in ratios.items():
        q1, q21 = one_county[label], national[label]
        print(f"{label}: miss ratio {miss:.2f}, hit ratio {hit:.2f}, queries {q1}/{q21}")
        if miss > TARGETS["miss"]:
            over["miss"].append(f"{label} {miss:.2f}")
        if hit > TARGETS["hit"]:
            over["hit"].append(f"{label} {hit:.2f}")
        if max(one_year[label], q1, q21) > TARGETS["queries"]:
            over["queries"].append(f"{label} {q21}")
        if not one_year[label] == q1 == q21:
            over["constant"].append(f"{label} {one_year[label]}/{q1}/{q21}")
    print()
    verdicts = [
        ("miss", f"miss ratio ≤ {TARGETS['miss']:g}"),
        ("hit", f"hit ratio ≤ {TARGETS['hit']:g}"),
        ("queries", f"≤ {TARGETS['queries']} queries per page"),
        ("constant", "queries constant in counties and years (1 year / 10 years / 21 counties)"),
    ]
    for key, text in verdicts:
        print(f"{text}: " + ("met" if not over[key] else "NOT MET – " + ", ".join(over[key])))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40, help="timed requests per page and kind")
    parser.add_argument("--gunicorn", action="store_true", help="time over HTTP (2 workers)")
    args = parser.parse_args()
    drop_database = prepare_environment(args.gunicorn)
    import django

    django.setup()
    use_bench_settings()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    db = settings.DATABASES["default"]
    print(f"database: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}", flush=True)
    server = None
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        county = build_county(BENCH_COUNTY)
        build_years(county, [CURRENT_YEAR])
        users = bench_users(county)
        writes = Writes(county, users)
        pages = page_specs(writes)
        clients = {role: Client() for role in users}
        for role, user in users.items():
            clients[role].force_login(user)
        counts = [count_queries(pages, clients)]
        build_years(county, YEARS[:-1])
        counts.append(count_queries(pages, clients))
        for code in sorted(set(MUNICIPALITIES) - {BENCH_COUNTY}):
            build_years(build_county(code), YEARS)
        print(f"21 counties × {len(YEARS)} years generated in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        counts.append(count_queries(pages, clients))
        if args.gunicorn:
            server, get = start_gunicorn(clients)
        else:
            get = in_process_getter(clients)
        gc.collect()
        gc.freeze()  # the generated objects: no collector pauses over them while timing
        mode = "gunicorn, 2 workers" if args.gunicorn else "in process"
        print(f"timing {args.samples} samples per page and kind ({mode})\n", flush=True)
        report(counts, measure(pages, get, args.samples))
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(timeout=20)
        connections.close_all()
        drop_database()


if __name__ == "__main__":
    main()
else:  # imported by gunicorn in --gunicorn mode: the same settings as the bench process, set
    # before the handler loads its middleware (WhiteNoise reads the static files storage then)
    import django

    django.setup(set_prefix=False)
    use_bench_settings()
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
