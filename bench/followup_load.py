"""Load run: N concurrent reporters saving and submitting their follow-up forms over HTTP.

    .venv/bin/python bench/followup_load.py [--clients 200] [--saves 5] [--think 5]
                                            [--max-seconds 150] [--workers 4]
                                            [--login-spread 60]

What it does:
1. (re)creates the PostgreSQL database ``$BENCH_DATABASE_NAME`` (default ``kvinnofrid_bench``)
   on 127.0.0.1:``$BENCH_DATABASE_PORT`` (default 5432) and migrates it;
2. creates one open round with N invited organisations, one reporter each, with a password
   hashed by the production hashers (Argon2);
3. starts gunicorn (``--workers`` sync workers) on a free port with DEBUG=false SECRET_KEY=bench
   SECURE_SSL_REDIRECT=false and collected static files;
4. runs N clients in a thread pool, each with its own ``requests.Session``: log in through the
   real login form (GET the page, POST e-mail and password), open the form, autosave
   ``--saves`` times like htmx does (``HX-Request``, carrying ``lock_version``), then submit, and
   submit a second time (a double click) — with ``--think`` seconds (±50 %) between requests;
5. stops gunicorn and compares what the clients saw with the database.

Prints p50/p95/max latency per request kind, errors (5xx, unexpected statuses, timeouts) and lost
submissions: a client saw its submit accepted but the database does not hold a submitted
submission with the last text the client saved. Logins (the password POST costs an Argon2 hash by
design) are reported apart; the target holds for the other requests: 0 errors, 0 lost, p95 <
500 ms.
"""

import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "kvinnofrid_bench")
DB_PORT = os.environ.get("BENCH_DATABASE_PORT", "5432")
DB_URL = f"postgres://postgres@127.0.0.1:{DB_PORT}/{DB_NAME}"
PASSWORD = "bench-losenord-123"
LOGIN_KINDS = ("login-page", "login")


def server_env(static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": DB_URL,
            "DEBUG": "false",
            "SECRET_KEY": "bench",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": static_root,
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "kvinnofrid.settings",
        }
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


# --- step 2, run in a subprocess with the server's environment ---------------------------------


def setup_data(clients: int) -> None:
    import datetime

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from actionplans.models import ActionPlan, Goal, Indicator, SubGoal
    from followup import services
    from kvinnofrid.accounts.models import Membership, Role, User
    from kvinnofrid.directory.models import County, Organisation

    county = County.objects.get(code="06")
    today = timezone.localdate()
    plan = ActionPlan.objects.create(
        county=county, title="Belastningsplan", period_start=2021, period_end=2026
    )
    for g in range(1, 4):
        goal = Goal.objects.create(plan=plan, number=g, title=f"Mål {g}", order=g)
        for s in range(1, 4):
            SubGoal.objects.create(goal=goal, code=f"{g}:{s}", text=f"Delmål {g}:{s}", order=s)
    Indicator.objects.create(plan=plan, name="Antal utbildade", kind="quantitative")
    lst = Organisation.objects.create(
        county=county, name="Länsstyrelsen (bench)", kind="lansstyrelse"
    )
    password = make_password(PASSWORD)
    coordinator = User.objects.create(email="samordnare@bench.example", password=password)
    Membership.objects.create(user=coordinator, organisation=lst, role=Role.COORDINATOR)
    orgs = Organisation.objects.bulk_create(
        Organisation(county=county, name=f"Bench-aktör {i:04d}", kind="kommun")
        for i in range(clients)
    )
    users = User.objects.bulk_create(
        User(email=f"rapportor{i:04d}@bench.example", password=password) for i in range(clients)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=o, role=Role.REPORTER)
        for u, o in zip(users, orgs, strict=True)
    )
    round_ = services.round_create(
        plan_id=plan.pk,
        year=today.year - 1,
        title="Belastningstest",
        instructions="",
        opens_on=today - datetime.timedelta(days=1),
        deadline=today + datetime.timedelta(days=30),
        organisation_ids=[o.pk for o in orgs],
        actor=coordinator,
    )
    services.round_open(round_id=round_.pk, actor=coordinator)
    subs = dict(round_.submissions.values_list("organisation_id", "pk"))
    out = [{"submission": subs[o.pk], "email": u.email} for u, o in zip(users, orgs, strict=True)]
    # One session written server-side, only for warming the workers up before the clock starts.
    store = SessionStore()
    store[SESSION_KEY] = str(users[0].pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = users[0].get_session_auth_hash()
    store.set_expiry(3600)
    store.create()
    print(
        json.dumps(
            {
                "cookie": settings.SESSION_COOKIE_NAME,
                "warmup_session": store.session_key,
                "clients": out,
            }
        )
    )


def check_data(expected: dict[str, str]) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from followup.models import Answer, Submission

    ids = [int(k) for k in expected]
    statuses = dict(Submission.objects.filter(pk__in=ids).values_list("pk", "status"))
    texts: dict[int, str] = {}
    for sid, text in Answer.objects.filter(
        submission_id__in=ids, question__key="worked_well"
    ).values_list("submission_id", "text"):
        texts[sid] = text
    lost = [
        sid
        for sid in ids
        if statuses.get(sid) != "submitted" or texts.get(sid, "") != expected[str(sid)]
    ]
    print(
        json.dumps(
            {"lost": lost, "submitted_in_db": sum(1 for s in statuses.values() if s == "submitted")}
        )
    )


# --- the clients --------------------------------------------------------------------------------


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


LOCK_RE = re.compile(r'name="lock_version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="lock_version"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELD_RE = re.compile(r'name="(q_\d+|ind_\d+_value|ind_\d+_note)"')


def run_client(
    base: str,
    cookie_name: str,
    client: dict,
    args: argparse.Namespace,
    stats: Stats,
    deadline: float,
) -> tuple[int, str | None]:
    import requests

    sid = client["submission"]
    session = requests.Session()
    url = f"{base}/uppfoljning/yttrande/{sid}/"
    rnd = random.Random(sid)

    def think() -> None:
        time.sleep(min(max(0.0, deadline - time.monotonic()), args.think * rnd.uniform(0.5, 1.5)))

    def timed(kind: str, method: str, u: str, **kw):  # noqa: ANN202
        if time.monotonic() > deadline:
            raise TimeoutError("time bound reached")
        t0 = time.perf_counter()
        r = session.request(method, u, timeout=30, allow_redirects=False, **kw)
        stats.add(kind, time.perf_counter() - t0)
        # requests copies the jar into a fresh one per request (dropping any cookie policy), so
        # un-mark the server's Secure cookies to send them back over plain HTTP on loopback.
        for cookie in session.cookies:
            cookie.secure = False
        return r

    try:
        # Reporters arrive spread over --login-spread seconds (each login costs an Argon2 hash).
        time.sleep(rnd.uniform(0, max(args.think, args.login_spread)))
        login_url = f"{base}/konto/logga-in/"
        login_page = timed("login-page", "GET", login_url)
        login = timed(
            "login",
            "POST",
            login_url,
            data={
                "username": client["email"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": CSRF_RE.search(login_page.text).group(1),
            },
            headers={"Referer": login_url},
        )
        if login.status_code != 302 or "logga-in" in login.headers.get("Location", ""):
            stats.error(f"{sid} login: {login.status_code} {login.headers.get('Location')}")
            return sid, None
        think()
        page = timed("open", "GET", url)
        if page.status_code != 200:
            stats.error(f"{sid} open: {page.status_code}")
            return sid, None
        html = page.text
        m = LOCK_RE.search(html)
        version = int(m.group(1) or m.group(2))
        csrf = CSRF_RE.search(html).group(1)
        fields = sorted(set(FIELD_RE.findall(html)))
        worked_well = re.search(r'for="id_(q_\d+)"[^>]*>\s*Vad har fungerat bra', html).group(1)
        last_text = ""
        data: dict[str, str] = dict.fromkeys(fields, "")
        for i in range(args.saves):
            think()
            last_text = f"Aktör {sid}: utkast {i + 1} – samverkan med socialtjänsten fungerade."
            data.update({name: "Vi har en egen plan." for name in fields if name.startswith("q_")})
            data[worked_well] = last_text
            data[next(n for n in fields if n.endswith("_value"))] = str(i + 1)
            r = timed(
                "autosave",
                "POST",
                url,
                data={**data, "lock_version": version, "csrfmiddlewaretoken": csrf},
                headers={"HX-Request": "true", "X-CSRFToken": csrf, "Referer": url},
            )
            if r.status_code != 200 or r.headers.get("X-Autosave") != "saved":
                stats.error(f"{sid} autosave {i}: {r.status_code} {r.headers.get('X-Autosave')}")
                return sid, None
            version = int(LOCK_RE.search(r.text).group(1) or LOCK_RE.search(r.text).group(2))
        think()
        submit_data = {
            **data,
            "lock_version": version,
            "csrfmiddlewaretoken": csrf,
            "action": "submit",
        }
        r = timed("submit", "POST", url, data=submit_data, headers={"Referer": url})
        if r.status_code != 302 or not r.headers.get("Location", "").endswith(f"/{sid}/visa/"):
            stats.error(f"{sid} submit: {r.status_code} {r.headers.get('Location')}")
            return sid, None
        accepted_text = last_text
        # a double click: the second submit must be harmless
        r2 = timed(
            "submit-again",
            "POST",
            f"{base}/uppfoljning/yttrande/{sid}/skicka-in/",
            data={"csrfmiddlewaretoken": csrf},
            headers={"Referer": url},
        )
        if r2.status_code != 302:
            stats.error(f"{sid} second submit: {r2.status_code}")
        return sid, accepted_text
    except TimeoutError:
        stats.error(f"{sid}: not finished within the time bound")
        return sid, None
    except Exception as exc:
        stats.error(f"{sid}: {type(exc).__name__}: {exc}")
        return sid, None


def warm_up(base: str, cookie_name: str, session_key: str, client: dict, workers: int) -> None:
    """Let every worker import its URLconf (the report views pull in WeasyPrint: ~4 s on the
    first request of each worker), connect and compile its templates before the clock starts.
    GETs only, nothing is written; repeated until a whole round of requests is fast."""
    import requests

    def get(_i: int) -> float:
        t0 = time.perf_counter()
        with requests.Session() as s:
            s.cookies.set(cookie_name, session_key, domain="127.0.0.1", path="/")
            for path in ("/konto/logga-in/", f"/uppfoljning/yttrande/{client['submission']}/"):
                s.get(base + path, timeout=60, allow_redirects=False)
        return time.perf_counter() - t0

    give_up = time.monotonic() + 90
    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        while time.monotonic() < give_up:
            if max(pool.map(get, range(workers * 4))) < 0.5:
                return


def cpu_seconds(gunicorn_pid: int) -> dict[str, float]:
    """CPU time used so far (user + system) by the app server, PostgreSQL and this process, read
    from /proc (Linux), to show where each request's cost goes."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"app": 0.0, "postgres": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, used = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == gunicorn_pid or ppid == gunicorn_pid:
            totals["app"] += used
        elif comm.startswith("postgres"):
            try:  # only the backends serving the bench database ("postgres: … kvinnofrid_bench …")
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if f" {DB_NAME} ".encode() in cmdline:
                totals["postgres"] += used
    times = os.times()
    totals["clients"] = times.user + times.system
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(v) for i, v in enumerate(cpu) if i not in (3, 4))  # all but idle, iowait
    totals["machine"] = busy / tick
    return totals


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--max-seconds", type=float, default=150)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--login-spread",
        type=float,
        default=60.0,
        help="seconds over which the clients arrive and log in (default 60)",
    )
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_data(args.clients)
        return 0
    if args.check:
        check_data(json.loads(Path(args.check).read_text()))
        return 0

    tmp = tempfile.mkdtemp(prefix="kvinnofrid-bench-")
    env = server_env(os.path.join(tmp, "static"))
    print(f"Preparing database {DB_NAME} and {args.clients} reporters …", flush=True)
    subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME], check=True
    )
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run(
        [PY, __file__, "--setup", "--clients", str(args.clients)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    setup = json.loads(out.strip().splitlines()[-1])

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "kvinnofrid.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
            "--preload",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        import requests

        for _ in range(100):
            try:
                if requests.get(f"{base}/konto/logga-in/", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            print("gunicorn did not start", file=sys.stderr)
            return 2
        warm_up(base, setup["cookie"], setup["warmup_session"], setup["clients"][0], args.workers)
        print(
            f"gunicorn: {args.workers} workers on {base}; running {args.clients} clients "
            f"(login within {args.login_spread:.0f} s + {args.saves} autosaves + submit + double "
            f"submit, think {args.think} s, "
            f"max {args.max_seconds:.0f} s)",
            flush=True,
        )
        stats = Stats()
        cpu_before = cpu_seconds(gunicorn.pid)
        started = time.monotonic()
        deadline = started + args.max_seconds
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            futures = [
                pool.submit(run_client, base, setup["cookie"], c, args, stats, deadline)
                for c in setup["clients"]
            ]
            wait(futures, timeout=args.max_seconds + 35)
        elapsed = time.monotonic() - started
        cpu_after = cpu_seconds(gunicorn.pid)
        results = [f.result() for f in futures if f.done()]
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)

    accepted = {str(sid): text for sid, text in results if text is not None}
    expected_file = Path(tmp) / "accepted.json"
    expected_file.write_text(json.dumps(accepted))
    check = json.loads(
        subprocess.run(
            [PY, __file__, "--check", str(expected_file)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    all_lat = [v for vs in stats.latencies.values() for v in vs]
    logins = [v for k in LOGIN_KINDS for v in stats.latencies.get(k, [])]
    others = [v for k, vs in stats.latencies.items() if k not in LOGIN_KINDS for v in vs]
    print(f"\nelapsed {elapsed:.1f} s, requests {len(all_lat)}, {len(all_lat) / elapsed:.0f} req/s")
    print(f"{'kind':14} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    rows = [*sorted(stats.latencies.items()), ("all logins", logins), ("all but logins", others)]
    for kind, values in rows:
        print(
            f"{kind:14} {len(values):6d} {pct(values, 50):8.0f} {pct(values, 95):8.0f} "
            f"{max(values) * 1000 if values else 0:8.0f}"
        )
    n = max(1, len(all_lat))
    used = {k: (cpu_after[k] - cpu_before[k]) * 1000 / n for k in cpu_after}
    ours = used["app"] + used["postgres"] + used["clients"]
    print(
        f"\nCPU per request: app {used['app']:.1f} ms, PostgreSQL {used['postgres']:.1f} ms, "
        f"load clients {used['clients']:.1f} ms; busy CPUs during the run: "
        f"{used['machine'] * n / 1000 / elapsed:.2f} of {os.cpu_count()} "
        f"(other processes {max(0.0, used['machine'] - ours) * n / 1000 / elapsed:.2f})"
    )
    print(
        f"\nclients {args.clients}, submits accepted by the server {len(accepted)}, "
        f"submitted in DB {check['submitted_in_db']}"
    )
    print(f"errors {len(stats.errors)}")
    for e in stats.errors[:10]:
        print(f"  {e}")
    print(f"lost submissions {len(check['lost'])}")
    print(f"login p95 {pct(logins, 95):.0f} ms (reported apart; not part of the target)")
    p95 = pct(others, 95)
    ok = not stats.errors and not check["lost"] and p95 < 500
    print("TARGET MET (0 errors, 0 lost, p95 < 500 ms without logins)" if ok else "TARGET NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
