"""National-scale bench: query counts and server time of the key pages at 1 county and at 21.

    .venv/bin/python bench/national_scale.py            # SQLite temp file (default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvinnofrid_bench .venv/bin/python bench/national_scale.py

It builds its own database (migrations), generates one county (Jönköping, 13 municipalities,
10 yearly rounds) and measures each key page with Django's test Client in process
(``CaptureQueriesContext`` for the query count, BENCH_REQUESTS requests, default 100, after a
warm-up, for the p95 time). Then it generates the other 20 counties (290 municipalities in all,
10 rounds each) and measures again. A bare Django view behind the same middleware and client is
the yardstick: every page request follows one bare request, and
``ratio = p95(page) / p95(those bare requests)`` (target ≤ 3), so both sides see the same
machine load. Query counts must be equal at both scales.

The key pages keep their rendered bodies in the cache under a fingerprint of their data, so
repeated requests of unchanged data (what this bench does) are served from it. The actor's form
changes with every autosave, so it is also measured the way a reporter mostly meets it: the row
"actor form (after a save)" makes an autosave (an htmx POST that changes an indicator value, not
timed) before every request. That row is printed for context and has no target.
"""

import gc
import itertools
import os
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='kf-bench-')}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, path, reverse  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
WARMUP = 5
BARE_URL = "/__bare__/"
MUNICIPALITIES_TOTAL = 290
YEARS = list(range(2016, 2026))


def bare(request):  # noqa: ANN001, ANN201
    return HttpResponse("ok")


def _urlconf() -> types.ModuleType:
    import kvinnofrid.urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("__bare__/", bare), *kvinnofrid.urls.urlpatterns]
    return module


def generate_county(code: str, municipalities: int) -> dict:
    """One county: organisations, agreement, plan (5 goals × 4 delmål), 10 rounds with
    submissions (3 activities each), a status report per round, and users of each role."""
    from actionplans.models import ActionPlan, Goal, Indicator, SubGoal
    from agreements.models import Agreement
    from followup.models import FollowUpRound, ReportedActivity, StatusReport, Submission
    from kvinnofrid.accounts.models import Membership, User
    from kvinnofrid.directory.models import County, Organisation, OrganisationKind

    county = County.objects.get(code=code)
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                county=county,
                name=f"Kommun {code}-{i:02d}",
                kind=OrganisationKind.KOMMUN,
                municipality_code=f"{code}{i:02d}",
            )
            for i in range(municipalities)
        ]
        + [
            Organisation(county=county, name=f"Region {code}", kind=OrganisationKind.REGION),
            Organisation(
                county=county, name=f"Länsstyrelsen {code}", kind=OrganisationKind.LANSSTYRELSE
            ),
            Organisation(county=county, name=f"Polisen {code}", kind=OrganisationKind.POLIS),
        ]
    )
    import datetime

    from django.utils import timezone

    agreement = Agreement.objects.create(
        county=county,
        title=f"Överenskommelse {code}",
        signed_on=datetime.date(2024, 3, 19),
        valid_from=datetime.date(2024, 3, 19),
        valid_until=datetime.date(2026, 12, 31),
    )
    plan = ActionPlan.objects.create(
        county=county,
        agreement=agreement,
        title=f"Handlingsplan {code}",
        period_start=2016,
        period_end=2026,
        status=ActionPlan.Status.ADOPTED,
    )
    for g in range(1, 6):
        goal = Goal.objects.create(plan=plan, number=g, order=g, title=f"Mål {g}")
        SubGoal.objects.bulk_create(
            [
                SubGoal(goal=goal, code=f"{g}:{s}", text=f"Delmål {g}:{s}", order=s)
                for s in range(1, 5)
            ]
        )
    Indicator.objects.bulk_create(
        [
            Indicator(plan=plan, name=f"Indikator {i}", kind=Indicator.Kind.QUANTITATIVE)
            for i in range(8)
        ]
    )
    rounds = []
    for year in YEARS:
        r = FollowUpRound.objects.create(
            plan=plan,
            year=year,
            title=f"Uppföljning {year}",
            # the current round's deadline is ahead, so its form is open for editing
            deadline=datetime.date(year + 1, 2, 15)
            if year != YEARS[-1]
            else timezone.localdate() + datetime.timedelta(days=30),
            status=FollowUpRound.Status.OPEN
            if year == YEARS[-1]
            else FollowUpRound.Status.REPORTED,
        )
        r.invited_organisations.add(*orgs)
        subs = Submission.objects.bulk_create(
            [
                Submission(
                    round=r,
                    organisation=o,
                    status=Submission.Status.DRAFT
                    if year == YEARS[-1]
                    else Submission.Status.ACCEPTED,
                )
                for o in orgs
            ]
        )
        ReportedActivity.objects.bulk_create(
            [
                ReportedActivity(submission=s, title=f"Aktivitet {k} {year}")
                for s in subs
                for k in range(3)
            ]
        )
        StatusReport.objects.create(round=r, title=f"Regional lägesrapport {year}")
        rounds.append(r)
    users = {}
    for role, org in [
        ("coordinator", orgs[-2]),
        ("reporter", orgs[0]),
        ("management", orgs[-3]),
        ("observer", orgs[-2]),
    ]:
        user = User.objects.create_user(email=f"{role}.{code}@bench.example", password="x")
        Membership.objects.create(user=user, organisation=org, role=role)
        users[role] = user
    current = rounds[-1]
    return {
        "users": users,
        "plan": plan,
        "round": current,
        "submission": Submission.objects.get(round=current, organisation=orgs[0]),
        "indicator": Indicator.objects.filter(plan=plan).order_by("order", "id").first(),
    }


AFTER_SAVE = " (after a save)"


def pages(world: dict) -> list[tuple[str, str, str | None]]:
    """(label, role, url or None when the page does not exist yet); a label ending in
    AFTER_SAVE is requested after an autosave of the page's form."""

    def url(name: str, **kwargs) -> str | None:  # noqa: ANN003
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return None

    return [
        ("bare Django view", "coordinator", BARE_URL),
        # for context: base.html with no data (shows the cost of the layout itself)
        ("static page (layout)", "coordinator", url("core:accessibility")),
        ("county start page", "coordinator", url("actionplans:county-start", county_code="06")),
        (
            "plan view",
            "coordinator",
            url("actionplans:plan-detail", county_code="06", pk=world["plan"].pk),
        ),
        ("actor form", "reporter", url("followup:submission-edit", pk=world["submission"].pk)),
        (
            "actor form" + AFTER_SAVE,
            "reporter",
            url("followup:submission-edit", pk=world["submission"].pk),
        ),
        ("response overview", "coordinator", url("followup:round-detail", pk=world["round"].pk)),
        ("report list", "coordinator", url("followup:report-list", county_code="06")),
        (
            "national overview",
            "observer",
            (url("followup:national-overview") or "") + f"?ar={YEARS[-2]}",
        ),
        (
            "report-back page",
            "coordinator",
            url("followup:report-back", county_code="06", year=YEARS[-2]),
        ),
    ]


def _autosaver(client: Client, url: str, world: dict) -> Callable[[], None]:
    """An htmx autosave of the actor's form that changes one indicator value each time."""
    field = f"ind_{world['indicator'].pk}_value"
    saves = itertools.count(1)

    def autosave() -> None:
        response = client.post(url, {field: str(next(saves))}, headers={"HX-Request": "true"})
        if response.get("X-Autosave") != "saved":
            raise RuntimeError(f"autosave refused: HTTP {response.status_code}")

    return autosave


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def measure(world: dict) -> dict[str, tuple[int, float, int, float]]:
    """{label: (queries, p95 ms, status, p95 ms of the bare view measured alongside)}.

    Each page is warmed up, then requested REQUESTS times, each request right after one to
    the bare view with the same client, so that both series see the same machine load (others
    may be benchmarking too); the page's ratio uses the bare view's p95 of its own series.
    """
    results = {}
    clients = {}
    for role, user in world["users"].items():
        clients[role] = Client()
        clients[role].force_login(user)
    all_bare: list[float] = []
    for label, role, url in pages(world):
        if url is None:
            results[label] = (-1, float("nan"), 0, float("nan"))
            continue
        client = clients[role]
        prepare = _autosaver(client, url, world) if label.endswith(AFTER_SAVE) else lambda: None
        for _ in range(WARMUP):
            prepare()
            client.get(url)
            client.get(BARE_URL)
        prepare()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        queries = len(ctx.captured_queries)  # read now: the log is a bounded deque
        times, bare_times = [], []
        gc.collect()
        for _ in range(REQUESTS):
            started = time.perf_counter()
            client.get(BARE_URL)
            bare_times.append((time.perf_counter() - started) * 1000)
            prepare()
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        all_bare += bare_times
        results[label] = (queries, _p95(times), response.status_code, _p95(bare_times))
    return results


def main() -> None:
    from kvinnofrid.directory.models import County

    print(
        f"database: {settings.DATABASES['default']['ENGINE']} {settings.DATABASES['default']['NAME']}"
    )
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t:.1f}s")
    with override_settings(
        ROOT_URLCONF=_urlconf(),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CELERY_TASK_ALWAYS_EAGER=True,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        t = time.perf_counter()
        world = generate_county("06", 13)
        print(f"1 county generated in {time.perf_counter() - t:.1f}s")
        one = measure(world)
        others = [c.code for c in County.objects.exclude(code="06").order_by("code")]
        remaining = MUNICIPALITIES_TOTAL - 13
        t = time.perf_counter()
        for i, code in enumerate(others):
            share = remaining // len(others) + (1 if i < remaining % len(others) else 0)
            generate_county(code, share)
        print(f"20 more counties generated in {time.perf_counter() - t:.1f}s")
        from followup.models import ReportedActivity, Submission
        from kvinnofrid.directory.models import Organisation

        print(
            f"national data: {County.objects.count()} counties, "
            f"{Organisation.objects.filter(kind='kommun').count()} municipalities, "
            f"{Submission.objects.count()} submissions, "
            f"{ReportedActivity.objects.count()} reported activities, {len(YEARS)} rounds each"
        )
        national = measure(world)
    bare_one = one["bare Django view"][1]
    bare_nat = national["bare Django view"][1]
    print()
    print(
        f"{'page':<26} {'queries 1 län':>14} {'queries 21 län':>15} {'equal':>6} "
        f"{'p95 ms 1 län':>13} {'p95 ms 21 län':>14} {'ratio':>12}"
    )
    failures = []
    for label, (q1, p1, s1, _b1) in one.items():
        q21, p21, s21, bare_alongside = national[label]
        if q1 < 0:
            print(f"{label:<26} {'(page missing)':>14}")
            continue
        equal = q1 == q21
        ratio = p21 / bare_alongside
        print(
            f"{label:<26} {q1:>14} {q21:>15} {('yes' if equal else 'NO'):>6} "
            f"{p1:>13.1f} {p21:>14.1f}   ratio: {ratio:.2f}"
            + ("" if s1 == s21 == 200 else f"  (HTTP {s1}/{s21})")
            + ("  (for context, no target)" if label.endswith(AFTER_SAVE) else "")
        )
        if not equal:
            failures.append(f"{label}: queries {q1} → {q21}")
        if label != "bare Django view" and not label.endswith(AFTER_SAVE) and ratio > 3:
            failures.append(f"{label}: ratio {ratio:.2f} > 3")
    print(
        f"\nbare view p95: {bare_one:.1f} ms (1 län), {bare_nat:.1f} ms (21 län); "
        f"{REQUESTS} requests per page, each after a bare request (ratio = page p95 / p95 of "
        "those bare requests)"
    )
    if failures:
        print("OVER TARGET: " + "; ".join(failures))


if __name__ == "__main__":
    main()
