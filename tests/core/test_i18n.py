"""Swedish is the msgid language; English comes from ``locale/en/LC_MESSAGES/django.po``.

The catalogue tests parse the .po directly (no polib) so that a string added to the code
without an English translation, or a translation left fuzzy, fails the suite.
"""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tests.factories import ActionPlanFactory, AgreementFactory, county

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# msgids whose English translation is spelled exactly like the Swedish: the msgstr must still be
# filled in, but it may equal the msgid. Anything else with msgstr == msgid is an untranslated copy.
IDENTICAL_IN_BOTH = frozenset(
    {
        "Kvinnofrid",
        "PDF",
        "SHA-256",
        "Organisation",
        "organisation",
        "Person",
        "Period",
        "Region",
        "Status",
        "status",
        "Text",
        "text",
        "Version",
        "version",
        "Vision",
        "vision",
        "under",
        "Under:",
        "Språk / Language",
        "Plan: %(title)s (%(start)s–%(end)s), %(county)s",
        "Version %(v)s – %(title)s (%(status)s)",
    }
)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$')
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file as dicts: fields (msgid, msgstr[0] …) plus ``flags`` and
    ``obsolete``. Only what these tests need; multi-line strings are joined."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set(), "obsolete": False}
        current = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#") or not line:
                continue
            elif m := FIELD.match(line):
                current = m.group(1)
                entry[current] = _unescape(m.group(2))
            elif line.startswith('"') and current:
                entry[current] += _unescape(line[1:-1])
        if "msgid" in entry and not entry["obsolete"]:
            entries.append(entry)
    return entries


def _translations(entry: dict) -> list[tuple[str, str]]:
    """(source, translation) pairs of one entry: singular and plural forms paired up."""
    if "msgid_plural" in entry:
        return [
            (entry["msgid"], entry.get("msgstr[0]", "")),
            *(
                (entry["msgid_plural"], v)
                for k, v in entry.items()
                if re.fullmatch(r"msgstr\[[1-9]\]", k)
            ),
        ]
    return [(entry["msgid"], entry.get("msgstr", ""))]


def _catalogue_problems(entries: list[dict]) -> list[str]:
    problems = []
    for entry in entries:
        msgid = entry["msgid"]
        if msgid == "":  # header
            continue
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {msgid!r}")
        for source, translated in _translations(entry):
            if not translated.strip():
                problems.append(f"untranslated: {source!r}")
            elif translated == source and source not in IDENTICAL_IN_BOTH:
                problems.append(f"msgstr is a copy of the Swedish msgid: {source!r}")
            elif sorted(set(PLACEHOLDER.findall(source))) != sorted(
                set(PLACEHOLDER.findall(translated))
            ):
                problems.append(f"placeholders differ: {source!r} -> {translated!r}")
    return problems


# --- the catalogue --------------------------------------------------------------------------------
def test_every_entry_of_the_english_catalogue_is_translated():
    # given the committed English catalogue
    entries = parse_po(PO_PATH)
    # then every entry has an English msgstr, none is fuzzy, placeholders are kept
    assert len(entries) > 100
    problems = _catalogue_problems(entries)
    assert not problems, (
        "locale/en/LC_MESSAGES/django.po is incomplete; translate these entries (and drop "
        "'#, fuzzy'):\n" + "\n".join(problems)
    )


def test_catalogue_check_catches_untranslated_fuzzy_and_copied_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "Spara"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Mål %(n)s"\nmsgstr "Goal %(n)s"\n\n'
        'msgid "Avbryt"\nmsgstr "Avbryt"\n\n'
        'msgid "Kvinnofrid"\nmsgstr "Kvinnofrid"\n\n'
        'msgid "%(n)s dag"\nmsgid_plural "%(n)s dagar"\nmsgstr[0] "%(n)s day"\nmsgstr[1] ""\n\n'
        'msgid "År %(year)s"\nmsgstr "Year %(yaer)s"\n',
        encoding="utf-8",
    )
    problems = _catalogue_problems(parse_po(po))
    assert problems == [
        "untranslated: 'Spara'",
        "fuzzy: 'Mål %(n)s'",
        "msgstr is a copy of the Swedish msgid: 'Avbryt'",
        "untranslated: '%(n)s dagar'",
        "placeholders differ: 'År %(year)s' -> 'Year %(yaer)s'",
    ]


SKIP_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    "static",
    "staticfiles",
    "var",
    "tests",
    "bench",
    "locale",
    "__pycache__",
}


def _copy_sources(src: Path, dest: Path) -> None:
    """Copy the files makemessages reads (.py, .html, .txt) so that it can run on the copy
    without touching the real locale directory."""
    for path in src.rglob("*"):
        relative = path.relative_to(src)
        if any(part in SKIP_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_file() and path.suffix in {".py", ".html", ".txt"}:
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools not installed")
def test_catalogue_covers_every_string_in_the_code(tmp_path, settings, monkeypatch):
    """Extract the strings afresh (makemessages on a copy of the sources) and check that the
    committed catalogue translates each of them: a new ``gettext`` call without a translation
    fails here even if nobody ran makemessages."""
    # given a fresh extraction of every translatable string in the project
    sources = tmp_path / "src"
    _copy_sources(Path(settings.BASE_DIR), sources)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(sources)
    call_command("makemessages", locale=["en"], verbosity=0)
    extracted = parse_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    # when they are looked up in the committed catalogue
    committed = {(e.get("msgctxt"), e["msgid"]): e for e in parse_po(PO_PATH)}
    missing = [
        (e.get("msgctxt"), e["msgid"])
        for e in extracted
        if e["msgid"] and (e.get("msgctxt"), e["msgid"]) not in committed
    ]
    # then none is missing (the committed entries are checked by the test above)
    assert not missing, (
        "Strings in the code that locale/en/LC_MESSAGES/django.po does not have; run "
        "makemessages -l en and translate them:\n" + "\n".join(map(repr, missing))
    )


# --- pages in both languages ----------------------------------------------------------------------
@pytest.mark.django_db
def test_login_page_is_swedish_without_accept_language(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Logga in" in html
    assert '<html lang="sv">' in html
    assert "Log in" not in html


@pytest.mark.django_db
def test_login_page_is_english_with_accept_language_en(client):
    response = client.get(reverse("accounts:login"), headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Log in" in html
    assert '<html lang="en">' in html
    assert "Logga in" not in html


@pytest.mark.django_db
def test_language_switch_sets_english_for_the_following_pages(client):
    # given the Swedish login page, which offers the language switch
    login_url = reverse("accounts:login")
    page = client.get(login_url).content.decode()
    assert 'name="language"' in page
    assert "Språk / Language" in page
    assert "Byt språk" in page
    # when an anonymous visitor chooses English
    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    # then they are sent back (303, not taken for an expired session) and the page is English
    assert response.status_code == 303
    assert response["Location"] == login_url
    html = client.get(login_url).content.decode()
    assert "Log in" in html
    assert "Change language" in html
    # and back to Swedish
    client.post(reverse("set_language"), {"language": "sv", "next": login_url})
    assert "Logga in" in client.get(login_url).content.decode()


@pytest.mark.django_db
def test_language_switch_refuses_an_outside_next_url(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 303
    assert "evil.example" not in response["Location"]


@pytest.fixture
def county_start(make_user):
    user = make_user("coordinator")
    c = county("06")
    AgreementFactory(county=c)
    ActionPlanFactory(county=c)
    return user, reverse("actionplans:county-start", kwargs={"county_code": c.code})


@pytest.mark.django_db
def test_county_start_page_has_english_headings_with_accept_language_en(client, county_start):
    # given a coordinator on the county's start page
    user, url = county_start
    client.force_login(user)
    # when the browser asks for English
    response = client.get(url, headers={"accept-language": "en"})
    # then the headings are English
    assert response.status_code == 200
    html = response.content.decode()
    assert "Regional agreement</h2>" in html
    assert "Action plan</h2>" in html
    assert "Log out" in html
    assert "Regional överenskommelse</h2>" not in html
    assert "Logga ut" not in html


@pytest.mark.django_db
def test_county_start_page_is_swedish_by_default(client, county_start):
    user, url = county_start
    client.force_login(user)
    html = client.get(url).content.decode()
    assert "Regional överenskommelse</h2>" in html
    assert "Handlingsplan</h2>" in html
    assert "Logga ut" in html
    assert "Regional agreement</h2>" not in html
