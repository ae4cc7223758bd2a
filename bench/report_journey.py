"""Benchmark: the lägesrapport journey in a real browser, counted the way a coordinator feels it.

    .venv/bin/python bench/report_journey.py [--headed] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvinnofrid .venv/bin/python bench/report_journey.py

Self-contained: a scratch database (a SQLite file under ``bench/out/``, or, when DATABASE_URL is
set, a PostgreSQL database named after the one in the URL with ``_journey`` appended, created
and dropped by the bench, never the named one itself), ``migrate`` + ``load_demo``, then the app
in the embedded default (no CELERY_BROKER_URL: builds run as the settings decide without a
broker) under ``manage.py runserver --noreload`` on a free loopback port, driven by Debian's
Chromium through Playwright.

The journey, on the demo's open Jönköping round with submissions (2025: Aneby has sent its
yttrande, Jönköping has a draft, the deadline is still ahead):

1. the coordinator logs in (password + TOTP), opens the round from the start page and closes it
   (confirming the browser dialog and any confirmation page about an early close);
2. starts the lägesrapport, writes one "Analys och förbättringsområden" per goal and highlights
   every submitted activity, saves;
3. presses "Bygg PDF" and waits on the progress page until the PDF is done;
4. "Fastställ" (ticking any confirmation checkbox, e.g. about unreviewed submissions), logs out;
5. a member of the management group logs in and downloads the final PDF from the county's list;
   the bench checks it is a PDF and that every analysis is in its text (pypdf).

Every click (dialogs accepted included) and every typed field goes through one helper that
counts them. "Facts retyped" is the number of typed report texts that contain a fact the portal
already knows (the report year, the year before, the number of submissions, of invited actors,
of last round's submissions). The analyses mention such facts the way the 2022 report does; where
the editor offers placeholders (``{år}``, ``{antal_svar}``, ... named in its help texts) the
journey types those instead, so the target is 0. Machine seconds: the build's own time in the
database (requested → finished), the wait the coordinator sees (click → "PDF:en är klar"), and
the wall time of the whole journey.

Output: one ``metric: value`` line per figure; exit 1 with the failing step and a screenshot in
``bench/out/`` when a step fails.
"""

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from playwright.sync_api import Dialog, Locator, Page

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
COORDINATOR = "samordnare.jonkoping@demo.example"
MANAGEMENT = "ledning.jonkoping@demo.example"
COUNTY = "06"
ANALYSIS_LABEL = re.compile(r"^Analys och förbättringsområden – mål (\d+)")
HIGHLIGHT_LABEL = re.compile(r"^Lyft fram")
BUILD_TIMEOUT_MS = 300_000


class JourneyError(Exception):
    pass


# --- the scratch database and the demo -----------------------------------------------------------


def prepare_environment(keep: bool) -> Callable[[], None]:
    """Environment of the bench and its server; returns the function that removes the database."""
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvinnofrid.settings")
    # DEBUG: plain HTTP on loopback (no secure cookies, no SSL redirect), static files served by
    # whitenoise from the finders (no collectstatic needed).
    os.environ.update(DEBUG="true", LOG_LEVEL="WARNING", SECURE_SSL_REDIRECT="false")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["MEDIA_ROOT"] = str(OUT / "journey-media")
    # The embedded default: no broker, whatever the settings then do with a build.
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("CELERY_RESULT_BACKEND", None)
    shutil.rmtree(OUT / "journey-media", ignore_errors=True)
    for old in [*OUT.glob("journey-failed-*.png"), *OUT.glob("journey-lagesrapport-*.pdf")]:
        old.unlink()
    if "DATABASE_URL" not in os.environ:
        db = OUT / "journey.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
        return lambda: None
    url = urlsplit(os.environ["DATABASE_URL"])
    if not url.scheme.startswith("postgres"):
        sys.exit(f"DATABASE_URL must be PostgreSQL (or unset for SQLite), not {url.scheme}")
    name = url.path.lstrip("/") + "_journey"
    pg = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
    pg += ["-U", url.username or "postgres"]
    env = {**os.environ, "PGPASSWORD": url.password or ""}

    def drop() -> None:
        if not keep:
            subprocess.run(["dropdb", *pg, "--if-exists", name], check=True, env=env)

    subprocess.run(
        ["dropdb", *pg, "--if-exists", name], check=True, env=env, stderr=subprocess.DEVNULL
    )
    subprocess.run(["createdb", *pg, name], check=True, env=env)
    os.environ["DATABASE_URL"] = urlunsplit(url._replace(path="/" + name))
    return drop


@dataclass
class Facts:
    """What the portal knows about the round; typed into a text, each is a fact retyped."""

    round_id: int
    round_title: str
    year: int
    submitted: int
    invited: int
    previous_round_year: int | None
    previous_round_submitted: int | None
    previous_submitted: int | None  # the year before's round, if there was one
    goals: int
    activities: int
    prepared: str

    def values(self) -> dict[str, str]:
        """Placeholder name → the value a coordinator would otherwise type."""
        values = {
            "år": str(self.year),
            "förra_året": str(self.year - 1),
            "antal_svar": str(self.submitted),
            "antal_inbjudna": str(self.invited),
        }
        if self.previous_submitted is not None:
            values["antal_svar_förra_året"] = str(self.previous_submitted)
        return values

    def found_in(self, text: str) -> list[str]:
        """The facts (as whole numbers) that ``text`` spells out. The journey's own texts hold
        no other numbers, so a small count such as 1 is not matched by accident."""
        numbers = set(self.values().values())
        for extra in (self.previous_round_year, self.previous_round_submitted):
            if extra is not None:
                numbers.add(str(extra))
        return sorted(n for n in numbers if re.search(rf"(?<![\d{{]){n}(?![\d}}])", text))


def load_data() -> Facts:
    """migrate + load_demo, then pick the round (see the module docstring)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", verbosity=0, stdout=quiet)
    facts = pick_round()
    connections.close_all()
    return facts


def pick_round() -> Facts:
    """The newest open Jönköping round with a submitted yttrande; without one (an older demo),
    the newest round is reopened through the services."""
    from followup.models import FollowUpRound, ReportedActivity, Submission
    from followup.selectors.rounds import round_summary
    from followup.services.rounds import round_reopen

    rounds = FollowUpRound.objects.filter(plan__county__code=COUNTY).order_by("-year")
    round_ = (
        rounds.filter(status=FollowUpRound.Status.OPEN)
        .filter(submissions__status=Submission.Status.SUBMITTED)
        .distinct()
        .first()
    )
    prepared = "the demo's open round"
    if round_ is None:
        round_ = rounds.filter(status=FollowUpRound.Status.CLOSED).first()
        if round_ is None:
            raise JourneyError("the demo has no open or closed Jönköping round")
        from kvinnofrid.accounts.models import User

        coordinator = User.objects.get(email=COORDINATOR)
        round_ = round_reopen(round_id=round_.pk, actor=coordinator)
        prepared = "reopened through round_reopen"
    summary = round_summary(round_id=round_.pk)
    previous = rounds.filter(year__lt=round_.year).first()  # the last round, any earlier year
    previous_round_submitted = None
    if previous is not None:
        previous_round_submitted = round_summary(round_id=previous.pk).submitted
    activities = ReportedActivity.objects.filter(
        submission__round=round_, submission__status__in=["submitted", "accepted"]
    ).count()
    return Facts(
        round_id=round_.pk,
        round_title=round_.title,
        year=round_.year,
        submitted=summary.submitted,
        invited=summary.invited,
        previous_round_year=previous.year if previous else None,
        previous_round_submitted=previous_round_submitted,
        previous_submitted=summary.previous_year_submitted,
        goals=round_.plan.goals.count(),
        activities=activities,
        prepared=prepared,
    )


def build_times_for_round(round_id: int) -> tuple[float, int]:
    """Seconds from "Bygg PDF" (the row) to done of the build the round's final report was
    finalised with; its pages."""
    from django.db import connections

    from followup.models import ReportBuild, StatusReport

    report = StatusReport.objects.filter(
        round_id=round_id, status=StatusReport.Status.FINAL
    ).first()
    build = (
        ReportBuild.objects.filter(report=report, status=ReportBuild.Status.DONE)
        .order_by("-finished_at")
        .first()
    )
    connections.close_all()
    if build is None or build.finished_at is None:
        raise JourneyError("no final report with a finished build in the database")
    return (build.finished_at - build.requested_at).total_seconds(), build.page_count or 0


# --- the server ----------------------------------------------------------------------------------


@contextlib.contextmanager
def running_server() -> Iterator[str]:
    """``runserver --noreload`` (threaded, so the progress page can poll during a build)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (OUT / "journey-server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to 60 s
            if server.poll() is not None:
                raise JourneyError(f"the server stopped; see {log.name}")
            try:
                urllib.request.urlopen(base + "/konto/logga-in/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise JourneyError("the server did not answer within 60 s")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# --- counting what the user does -----------------------------------------------------------------


@dataclass
class Counts:
    facts: Facts
    clicks: int = 0
    fields: int = 0
    characters: int = 0
    login_fields: int = 0
    login_characters: int = 0
    facts_retyped: int = 0
    addresses: int = 0
    placeholders: list[str] = field(default_factory=list)
    brace: str = "{"
    step: str = "start"
    actions: list[str] = field(default_factory=list)

    def note(self, kind: str, what: str) -> None:
        self.actions.append(f"{self.step}: {kind} {what}")

    def click(self, locator: Locator) -> None:
        self.note("click", describe(locator))
        locator.click()
        self.clicks += 1

    def check(self, locator: Locator) -> None:
        if not locator.is_checked():
            self.click(locator)

    def type(self, locator: Locator, text: str, *, report_text: bool = True) -> None:
        """Fill one field; a report text that spells out a known fact counts as a fact retyped."""
        self.note("type", f"{describe(locator)} ({len(text)} characters)")
        locator.fill(text)
        self.fields += 1
        self.characters += len(text)
        if not report_text:
            self.login_fields += 1
            self.login_characters += len(text)
        elif self.facts.found_in(text):
            self.facts_retyped += 1

    def goto(self, page: Page, url: str) -> None:
        """Typing an address (a bookmark): only where no link leads on."""
        self.note("address", url)
        page.goto(url)
        self.addresses += 1

    def dialog(self, dialog: Dialog) -> None:
        self.note("click", f"OK in the dialog {dialog.message!r}")
        self.clicks += 1  # the OK of a confirm()
        dialog.accept()


def describe(locator: Locator) -> str:
    """What the user sees of the element: its text, label or value."""
    try:
        return repr(
            locator.first.evaluate(
                "el => (el.labels && el.labels[0] ? el.labels[0].innerText : '')"
                " || el.innerText || el.value || el.ariaLabel || el.name || el.tagName"
            ).strip()[:70]
        )
    except Exception:
        return "?"


def first_visible(*locators: Locator) -> Locator | None:
    """The first locator that matches a visible element now, else None."""
    for locator in locators:
        if locator.count() and locator.first.is_visible():
            return locator.first
    return None


def follow(counts: Counts, page: Page, url: str, *links: Locator) -> None:
    """Click the first of ``links`` that is on the page; otherwise type ``url``."""
    link = first_visible(*links)
    if link is None:
        counts.goto(page, url)
    else:
        counts.click(link)
        page.wait_for_load_state()


def confirm_if_asked(counts: Counts, page: Page, button: re.Pattern) -> bool:
    """On a confirmation page (e.g. "close before the deadline?", "Fastställ with unreviewed
    submissions"): tick every unticked checkbox and press the button. True if one was pressed."""
    target = first_visible(page.get_by_role("button", name=button))
    if target is None:
        return False
    for box in page.get_by_role("checkbox").all():
        if box.is_visible():
            counts.check(box)
    counts.click(target)
    page.wait_for_load_state()
    return True


# --- the journey ---------------------------------------------------------------------------------


def demo_password(email: str) -> str:
    from fixtures.demo import users

    for row in users.USERS:
        if row[0] == email:
            return row[-1]
    raise JourneyError(f"{email} is not a demo user")


def log_in(counts: Counts, page: Page, base: str, email: str) -> None:
    import pyotp

    from fixtures.demo import users

    counts.goto(page, base + "/konto/logga-in/")
    counts.type(page.get_by_label("E-postadress"), email, report_text=False)
    counts.type(page.get_by_label("Lösenord"), demo_password(email), report_text=False)
    counts.click(page.get_by_role("button", name="Logga in"))
    page.wait_for_load_state()
    code = page.get_by_label("Sexsiffrig kod från appen")
    if code.count():
        counts.type(code, pyotp.TOTP(users.TOTP_SECRET).now(), report_text=False)
        counts.click(page.get_by_role("button", name="Verifiera"))
        page.wait_for_load_state()
    if page.get_by_role("button", name="Logga ut").count() == 0:
        raise JourneyError(f"{email} is not logged in (at {page.url})")


def log_out(counts: Counts, page: Page) -> None:
    counts.click(page.get_by_role("button", name="Logga ut"))
    page.wait_for_load_state()


def close_round(counts: Counts, page: Page, base: str) -> None:
    """Start page → the round → "Stäng uppföljningen" (+ the dialog, + any confirmation page)."""
    title = counts.facts.round_title
    round_url = f"{base}/uppfoljning/omgang/{counts.facts.round_id}/"
    if first_visible(page.get_by_role("link", name=title, exact=True)) is None:
        follow(counts, page, base + "/uppfoljning/", page.get_by_role("link", name="Uppföljning"))
    follow(counts, page, round_url, page.get_by_role("link", name=title, exact=True))
    if not page.url.startswith(round_url):
        counts.goto(page, round_url)
    counts.click(page.get_by_role("button", name=re.compile(r"^Stäng uppföljningen")))
    page.wait_for_load_state()
    reopen = page.get_by_role("button", name=re.compile(r"^Öppna igen"))
    if first_visible(reopen) is None:  # "close before the deadline?" on a page of its own
        confirm_if_asked(counts, page, re.compile(r"^Stäng"))
    if first_visible(page.get_by_role("button", name=re.compile(r"^Öppna igen"))) is None:
        raise JourneyError("the round did not close (no 'Öppna igen' on the round page)")


def start_report(counts: Counts, page: Page, base: str) -> None:
    """From the round page: its report link or button if it has one, else the county's report
    list and "Skapa lägesrapport för …". Ends in the editor."""
    create = re.compile(r"^(Skapa|Skriv|Starta).*lägesrapport", re.IGNORECASE)
    button = first_visible(page.get_by_role("button", name=create))
    if button is None:
        follow(
            counts,
            page,
            f"{base}/lan/{COUNTY}/lagesrapporter/",
            page.get_by_role("link", name=re.compile(r"lägesrapport", re.IGNORECASE)),
        )
        button = first_visible(
            page.get_by_role("button", name=f"Skapa lägesrapport för {counts.facts.round_title}"),
            page.get_by_role("button", name=create),
        )
    if button is None:
        raise JourneyError("no button to start the lägesrapport")
    counts.click(button)
    page.wait_for_load_state()
    editor = first_visible(page.get_by_role("link", name="Redigera texterna"))
    if editor is not None and not page.get_by_role("textbox", name=ANALYSIS_LABEL).count():
        counts.click(editor)
        page.wait_for_load_state()


def analysis_text(counts: Counts, number: int) -> str:
    """An analysis as the 2022 report words one: some mention the year and the answers. Facts
    are written as placeholders when the editor offers them, otherwise as the values."""
    values = counts.facts.values()

    def fact(name: str) -> str:
        if name not in counts.placeholders:
            return values[name]
        return counts.brace + name + counts.brace.replace("{", "}")

    texts = {
        1: (
            f"Under {fact('år')} har {fact('antal_svar')} av {fact('antal_inbjudna')} inbjudna "
            "aktörer lämnat yttrande. Länsstyrelsen ser att kommunernas arbete med en "
            "kommunövergripande ansats har tagit steg framåt, men det förebyggande arbetet "
            "behöver bli mer systematiskt och långsiktigt."
        ),
        2: (
            f"Under {fact('år')} finns exempel på aktiviteter för flera delmål i målområdet. "
            "Arbetet med att upptäcka våld som chef och kollega behöver fortsatt stöd."
        ),
        3: (
            "Flera aktörer har utökat arbetet med att sprida kunskap om vart den som är "
            "våldsutsatt kan vända sig. Arbetet med våldsutövare behöver utvecklas vidare."
        ),
        4: (
            "Metoder för brottsförebyggande arbete med barn och unga finns i länet, men "
            "samverkan mellan rättsväsendet och kommunerna kan stärkas."
        ),
    }
    default = (
        f"Flera kommuner har under {fact('år')} utbildat personal. Kompetensförsörjningen "
        "innebär olika utmaningar för olika aktörer och följs upp i nätverken."
    )
    return texts.get(number, default)


def write_analyses(counts: Counts, page: Page) -> list[str]:
    """One analysis per goal, every activity highlighted, saved. Returns the texts written."""
    # The editor's help texts name the placeholders it fills in (hidden ones included).
    help_text = page.locator("body").text_content() or ""
    counts.placeholders = sorted(set(re.findall(r"\{([a-zåäö_]+)\}", help_text)))
    if re.search(r"\{\{[a-zåäö_]+\}\}", help_text):
        counts.brace = "{{"
    fields = page.get_by_role("textbox", name=ANALYSIS_LABEL)
    if fields.count() == 0:
        raise JourneyError(f"no analysis fields in the editor (at {page.url})")
    written = []
    for i in range(fields.count()):
        box = fields.nth(i)
        label = box.evaluate("el => (el.labels[0] || {}).innerText || el.ariaLabel || ''")
        match = re.search(r"mål (\d+)", label)
        text = analysis_text(counts, int(match.group(1)) if match else i + 1)
        counts.type(box, text)
        written.append(text)
    for box in page.get_by_role("checkbox", name=HIGHLIGHT_LABEL).all():
        counts.check(box)
    counts.click(page.get_by_role("button", name="Spara", exact=True))
    page.wait_for_load_state()
    saved = page.get_by_text("Lägesrapporten har sparats")
    if saved.count() == 0 and page.get_by_role("textbox", name=ANALYSIS_LABEL).count() == 0:
        confirm_if_asked(counts, page, re.compile(r"^Spara"))  # a warning page, not the editor
    if saved.count() == 0:
        raise JourneyError("the editor did not say 'Lägesrapporten har sparats'")
    return written


def build_pdf(counts: Counts, page: Page) -> float:
    """Editor → the report's page → "Bygg PDF" → wait for "PDF:en är klar". Returns the seconds
    the coordinator waited (click to done)."""
    follow(
        counts,
        page,
        page.url.replace("redigera/", ""),
        page.get_by_role("link", name="Tillbaka", exact=True),
        page.get_by_role("link", name="Tillbaka till lägesrapporten"),
    )
    started = time.perf_counter()
    detail_url = page.url
    # Without a background build (eager tasks) the request itself takes the build's time.
    page.set_default_timeout(BUILD_TIMEOUT_MS)
    counts.click(page.get_by_role("button", name="Bygg PDF", exact=True))
    page.wait_for_url(lambda url: url != detail_url)
    page.wait_for_load_state()
    if not re.search(r"/bygg/\d+/", page.url):  # a warning page before the build
        confirm_if_asked(counts, page, re.compile(r"^Bygg"))
    page.set_default_timeout(30_000)
    done = re.compile(r"PDF:en är klar")
    failed = re.compile(r"PDF-bygget misslyckades|fastnat|stannat")
    deadline = started + BUILD_TIMEOUT_MS / 1000
    while time.perf_counter() < deadline:
        if page.get_by_text(done).count():
            return time.perf_counter() - started
        if page.get_by_text(failed).count():
            raise JourneyError("the PDF build failed: " + page.locator("main").inner_text()[:500])
        page.wait_for_timeout(100)
    raise JourneyError(f"the PDF was not done within {BUILD_TIMEOUT_MS // 1000} s")


def finalise(counts: Counts, page: Page) -> None:
    """ "Fastställ" on the progress page, then the confirmation (ticking what it asks for)."""
    match = re.search(r"/lagesrapport/(\d+)/", page.url)
    follow(
        counts,
        page,
        page.url.split("/lagesrapport/")[0]
        + f"/lagesrapport/{match.group(1) if match else 0}/faststall/",
        page.get_by_role("link", name="Fastställ", exact=True),
        page.get_by_role("button", name="Fastställ", exact=True),
    )
    if not confirm_if_asked(counts, page, re.compile(r"^Fastställ")):
        raise JourneyError("no 'Fastställ lägesrapporten' button on the confirmation page")
    if page.get_by_text("Lägesrapporten är fastställd").count() == 0:
        main = page.locator("main").inner_text()[:500] if page.locator("main").count() else ""
        raise JourneyError("the report was not finalised: " + main)


def download(counts: Counts, page: Page, base: str) -> Path:
    """The management member: start page → Lägesrapporter → "Ladda ner PDF för <år>"."""
    year = counts.facts.year
    follow(
        counts,
        page,
        f"{base}/lan/{COUNTY}/lagesrapporter/",
        page.get_by_role("link", name=re.compile(r"^Lägesrapporter")),
    )
    link = page.get_by_role("link", name=f"Ladda ner PDF för {year}")
    if link.count() == 0:
        raise JourneyError(f"no 'Ladda ner PDF för {year}' on {page.url}")
    with page.expect_download() as info:
        counts.click(link.first)
    path = OUT / f"journey-lagesrapport-{COUNTY}-{year}.pdf"
    info.value.save_as(path)
    return path


def squeeze(text: str) -> str:
    """Text without white space, hyphens and soft hyphens (PDF lines break words)."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def check_pdf(path: Path, analyses: list[str], counts: Counts) -> int:
    """The file is a PDF holding every analysis (placeholders filled in). Returns its pages."""
    from pypdf import PdfReader

    if not path.read_bytes().startswith(b"%PDF-"):
        raise JourneyError(f"{path} is not a PDF")
    reader = PdfReader(path)
    text = squeeze("\n".join(p.extract_text() or "" for p in reader.pages))
    values = counts.facts.values()
    tokens = {counts.brace + n + counts.brace.replace("{", "}"): n for n in counts.placeholders}
    for analysis in analyses:
        for sentence in re.split(r"(?<=\.) ", analysis):
            filled = sentence  # as the reader must see it: placeholders filled in with the facts
            for token, name in tokens.items():
                filled = filled.replace(token, values.get(name, token))
            if squeeze(filled) not in text:
                raise JourneyError(f"the PDF lacks the sentence {filled[:70]!r}")
    leaked = [t for t in tokens if squeeze(t) in text]
    if leaked:
        raise JourneyError(f"placeholders left unfilled in the PDF: {', '.join(leaked)}")
    return len(reader.pages)


# --- main ----------------------------------------------------------------------------------------


@dataclass
class Result:
    build_wait: float = 0.0
    journey: float = 0.0
    pdf: Path | None = None
    pages: int = 0
    analyses: list[str] = field(default_factory=list)


def run_journey(counts: Counts, base: str, headed: bool) -> Result:
    from playwright.sync_api import sync_playwright

    result = Result()
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=not headed, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            locale="sv-SE", timezone_id="Europe/Stockholm", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.on("dialog", counts.dialog)
        server_errors: list[str] = []
        page.on(
            "response",
            lambda r: server_errors.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None,
        )
        started = time.perf_counter()
        try:
            steps: list[tuple[str, Callable[[], object]]] = [
                ("coordinator logs in", lambda: log_in(counts, page, base, COORDINATOR)),
                ("closes the round", lambda: close_round(counts, page, base)),
                ("starts the lägesrapport", lambda: start_report(counts, page, base)),
                (
                    "writes the analyses",
                    lambda: result.analyses.extend(write_analyses(counts, page)),
                ),
                ("builds the PDF", lambda: setattr(result, "build_wait", build_pdf(counts, page))),
                ("finalises", lambda: finalise(counts, page)),
                ("logs out", lambda: log_out(counts, page)),
                ("management logs in", lambda: log_in(counts, page, base, MANAGEMENT)),
                ("downloads the PDF", lambda: setattr(result, "pdf", download(counts, page, base))),
            ]
            for name, step in steps:
                counts.step = name
                step()
                if server_errors:
                    raise JourneyError("the server answered " + "; ".join(server_errors))
            result.journey = time.perf_counter() - started
        except Exception as exc:
            shot = OUT / f"journey-failed-{re.sub(r'[^a-z]+', '-', counts.step)}.png"
            with contextlib.suppress(Exception):
                page.screenshot(path=str(shot), full_page=True)
            raise JourneyError(
                f"step '{counts.step}' failed at {page.url}: {exc}\nscreenshot: {shot}\n"
                f"server errors: {'; '.join(server_errors) or 'none'} (log: {OUT}/journey-server.log)"
            ) from exc
        finally:
            browser.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headed", action="store_true", help="show the browser")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    drop = prepare_environment(args.keep)
    counts: Counts | None = None
    try:
        facts = load_data()
        counts = Counts(facts=facts)
        with running_server() as base:
            result = run_journey(counts, base, args.headed)
        assert result.pdf is not None
        counts.step = "checks the PDF"
        result.pages = check_pdf(result.pdf, result.analyses, counts)
        build_seconds, _pages = build_times_for_round(facts.round_id)
    except JourneyError as exc:
        if counts is not None:
            (OUT / "journey-actions.txt").write_text("\n".join(counts.actions) + "\n")
        print(f"report_journey FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
    finally:
        drop()
    database = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(
        f"# round: {facts.round_title} ({facts.prepared}); {facts.goals} goals, "
        f"{facts.activities} submitted activities, {facts.submitted} of {facts.invited} "
        f"submitted; {database}, embedded default (no broker)"
    )
    print(f"# placeholders offered by the editor: {', '.join(counts.placeholders) or 'none'}")
    print(f"clicks: {counts.clicks}")
    print(f"fields typed: {counts.fields}")
    print(f"  of which login fields: {counts.login_fields}")
    print(f"characters typed: {counts.characters}")
    print(f"  of which login characters: {counts.login_characters}")
    print(f"facts retyped: {counts.facts_retyped}")
    print(f"addresses typed: {counts.addresses}")
    print(f"build seconds: {build_seconds:.1f}")
    print(f"build wait seconds: {result.build_wait:.1f}")
    print(f"journey seconds: {result.journey:.1f}")
    print(f"pdf pages: {result.pages}")
    print(f"# PDF: {result.pdf}")
    (OUT / "journey-actions.txt").write_text("\n".join(counts.actions) + "\n")
    print(f"# every click and field: {OUT / 'journey-actions.txt'}")


if __name__ == "__main__":
    main()
