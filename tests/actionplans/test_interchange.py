"""The plan interchange format kvinnofrid-plan/1 (DESIGN §9): export, import, round trips, refusals."""

import copy
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actionplans.interchange import (
    PlanImportError,
    parse_plan_file,
    plan_export,
    plan_import,
    plan_to_xlsx,
    validate_plan_data,
    xlsx_to_data,
)
from actionplans.models import ActionPlan, Goal, Indicator, PlannedActivity, SubGoal
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory.models import Organisation
from tests.factories import OrganisationFactory, county, demo_loaded

pytestmark = pytest.mark.django_db


def edge_case_plan() -> dict:
    """Unnumbered and repeated delmål codes, a goal without delmål, a plan past 2026, no dnr."""
    return {
        "format": "kvinnofrid-plan/1",
        "county": "01",
        "kind": "atgardsplan",
        "title": "Åtgärdsplan mot mäns våld mot kvinnor",
        "period": {"start": 2025, "end": 2030},
        "vision": "Ett län fritt från våld",
        "purpose": "",
        "target_groups": "Yrkesverksamma\nAllmänheten",
        "perspectives": "",
        "areas": "",
        "diarienummer": None,
        "serial_number": None,
        "goals": [
            {
                "number": 1,
                "title": "Förebyggande arbete",
                "description": "Rad ett\nRad två",
                "national_goals": [1, 4],
                "sub_goals": [
                    {
                        "code": "",
                        "text": "Ett onumrerat delmål",
                        "activities": [
                            {
                                "text": "=SUMMA(A1) ska förbli text",
                                "responsible": ["Alfa kommun", "Ny förening"],
                            },
                            {"text": "Utan ansvarig", "responsible": []},
                        ],
                    },
                    {"code": "", "text": "Ännu ett onumrerat delmål", "activities": []},
                    {"code": "A", "text": "Samma kod", "activities": []},
                    {"code": "A", "text": "Samma kod igen", "activities": []},
                ],
            },
            {
                "number": 2,
                "title": "Mål utan delmål",
                "description": "",
                "national_goals": [],
                "sub_goals": [],
            },
        ],
        "indicators": [
            {
                "name": "Antal samråd",
                "kind": "quantitative",
                "source": "Polismyndigheten",
                "unit": "st",
                "baseline": 10,
                "targets": [{"year": 2026, "value": 11}, {"year": 2030, "value": 12.5}],
                "sub_goals": [{"goal": 1, "position": 2}, {"goal": 1, "position": 4}],
            },
            {
                "name": "Utvecklingsindikator",
                "kind": "development",
                "source": "",
                "unit": None,
                "baseline": None,
                "targets": [],
                "sub_goals": [],
            },
        ],
    }


@pytest.fixture
def alfa():
    return OrganisationFactory(county=county("01"), name="Alfa kommun")


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (
            ActionPlan,
            Goal,
            SubGoal,
            PlannedActivity,
            Indicator,
            Organisation,
            AuditEntry,
        )
    )


def test_round_trip_json_with_edge_cases(alfa):
    # given
    data = edge_case_plan()
    # when
    plan = plan_import(data=data, actor=None, skip_permission_checks=True)
    exported = plan_export(plan=plan)
    again = plan_export(plan=plan_import(data=exported, actor=None, skip_permission_checks=True))
    # then
    expected = copy.deepcopy(data)
    expected["goals"][0]["sub_goals"][0]["activities"][0]["responsible"].sort()
    # a file that names no frame gets the one covering its start year, and names it on export
    expected["strategy"] = "Nationell strategi för att förebygga och bekämpa mäns våld mot kvinnor"
    assert exported == expected
    assert again == exported
    assert plan.status == ActionPlan.Status.DRAFT
    assert plan.diarienummer == ""
    indicator = Indicator.objects.get(plan=plan, name="Antal samråd")
    assert list(indicator.targets.values_list("year", "value")) == [
        (2026, Decimal("11.00")),
        (2030, Decimal("12.50")),
    ]
    created = Organisation.objects.get(county__code="01", name="Ny förening")
    assert created.kind == "annan"
    entry = AuditEntry.objects.get(action="actionplans.plan_import", target_id=plan.pk)
    assert entry.county_id_snapshot == plan.county_id


def test_round_trip_xlsx_with_edge_cases(alfa):
    plan = plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    exported = plan_export(plan=plan)

    content = plan_to_xlsx(exported)
    read_back = parse_plan_file(content=content, filename="plan.xlsx")

    assert read_back == exported
    reimported = plan_import(data=read_back, actor=None, skip_permission_checks=True)
    assert plan_export(plan=reimported) == exported


def test_xlsx_formula_like_text_stays_text(alfa):
    from openpyxl import load_workbook

    exported = plan_export(
        plan=plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    )
    workbook = load_workbook(io.BytesIO(plan_to_xlsx(exported)))
    cell = workbook["activities"]["C2"]
    assert cell.value == "=SUMMA(A1) ska förbli text"
    assert cell.data_type == "s"
    assert cell.quotePrefix is True  # stays text even when edited in a spreadsheet program
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []


def test_preview_lists_counts_and_new_organisations(alfa):
    preview = validate_plan_data(edge_case_plan())

    assert (preview.goals, preview.sub_goals, preview.activities, preview.indicators) == (
        2,
        4,
        2,
        2,
    )
    assert preview.new_organisations == ["Ny förening"]
    assert preview.county_code == "01"
    assert validate_plan_data(edge_case_plan(), county_code="06").new_organisations == [
        "Alfa kommun",
        "Ny förening",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="kvinnofrid-plan/2"), "format: okänt format"),
        (lambda d: d.update(county="99"), "county: okänd länskod"),
        (lambda d: d.update(kind="plan"), "kind: okänt värde"),
        (lambda d: d.update(title=" "), "title: får inte vara tom"),
        (lambda d: d["period"].update(end=2020), "period.end: planperioden kan inte sluta"),
        (lambda d: d["period"].update(start="2025"), "period.start: ska vara ett heltal"),
        (
            lambda d: d["goals"][1]["national_goals"].append(7),
            "goals[1].national_goals[0]: okänd nationell målsättning 7",
        ),
        (lambda d: d["goals"][1].update(number=1), "goals[1].number: målnummer 1 finns redan"),
        (
            lambda d: d["goals"][0]["sub_goals"][1].update(text=""),
            "goals[0].sub_goals[1].text: får inte vara tom",
        ),
        (
            lambda d: d["goals"][0]["sub_goals"][0]["activities"][0].update(responsible="Alfa"),
            "goals[0].sub_goals[0].activities[0].responsible: ska vara en lista",
        ),
        (
            lambda d: d["indicators"][0]["sub_goals"].append({"goal": 2, "position": 1}),
            "indicators[0].sub_goals[2].position: mål 2 har inget delmål nummer 1",
        ),
        (
            lambda d: d["indicators"][0]["sub_goals"].append({"goal": 9, "position": 1}),
            "indicators[0].sub_goals[2].goal: det finns inget mål med nummer 9",
        ),
        (lambda d: d["indicators"][1].update(kind="x"), "indicators[1].kind: okänt värde"),
        (
            lambda d: d["indicators"][0].update(targets="2026: 4"),
            "indicators[0].targets: ska vara en lista",
        ),
        (
            lambda d: d["indicators"][0]["targets"][1].update(year=2026),
            "indicators[0].targets[1].year: år 2026 har redan ett målvärde",
        ),
        (
            lambda d: d["indicators"][0]["targets"][0].update(year=10**20),
            "indicators[0].targets[0].year: ska ligga mellan 1900 och 2200",
        ),
        (
            lambda d: d["indicators"][0]["targets"][0].update(year="2026"),
            "indicators[0].targets[0].year: ska vara ett heltal",
        ),
        (
            lambda d: d["indicators"][0]["targets"][0].update(value="mycket"),
            "indicators[0].targets[0].value: ska vara ett tal",
        ),
        (
            lambda d: d["indicators"][0]["targets"][0].update(value=None),
            "indicators[0].targets[0].value: får inte vara tom",
        ),
        (
            lambda d: d["indicators"][0]["targets"][0].update(value=10**15),
            "indicators[0].targets[0].value: ska vara ett rimligt tal",
        ),
        (
            lambda d: d["indicators"][0]["targets"].append(["2031", 4]),
            "indicators[0].targets[2]: ska vara ett objekt",
        ),
        (  # a file of the old form: its one target is checked as before
            lambda d: d["indicators"][0].pop("targets") and d["indicators"][0].update(target="x"),
            "indicators[0].target: ska vara",
        ),
        (lambda d: d.update(diarienummer="x" * 51), "diarienummer: får vara högst 50 tecken"),
        (
            lambda d: d["goals"][0]["sub_goals"][0].update(text="a\x00b"),
            "goals[0].sub_goals[0].text: innehåller otillåtna tecken (styrtecken)",
        ),
        (
            lambda d: d["goals"][0].update(title="ctrl\x1bgoal"),
            "goals[0].title: innehåller otillåtna tecken (styrtecken)",
        ),
    ],
)
def test_bad_data_is_refused_naming_the_field_and_nothing_is_written(alfa, change, message):
    data = edge_case_plan()
    change(data)
    before = counts()

    with pytest.raises(PlanImportError) as excinfo:
        validate_plan_data(data)
    assert str(excinfo.value).startswith(message)
    with pytest.raises(PlanImportError):
        plan_import(data=data, actor=None, skip_permission_checks=True)

    assert counts() == before


def test_import_requires_a_coordinator_of_the_county(make_user, alfa):
    reporter = make_user("reporter", county_code="01")
    other = make_user("coordinator", county_code="06")
    coordinator = make_user("coordinator", county_code="01")
    before = counts()

    for actor in (None, reporter, other):
        with pytest.raises(PermissionDenied):
            plan_import(data=edge_case_plan(), actor=actor)
    assert counts() == before

    plan = plan_import(data=edge_case_plan(), actor=coordinator)
    assert plan.county.code == "01"
    assert AuditEntry.objects.get(action="actionplans.plan_import").actor == coordinator


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"{not json", "plan.json", "ogiltig JSON på rad 1"),
        (b"[1, 2]", "plan.json", "filen ska innehålla ett JSON-objekt"),
        (b"\xff\xfe\x00", "plan.json", "filen är inte UTF-8-kodad JSON"),
        (b"PK\x03\x04 trasig", "plan.xlsx", "filen är inte en läsbar xlsx-arbetsbok"),
    ],
)
def test_unreadable_files_are_refused(content, filename, message):
    with pytest.raises(PlanImportError, match=message):
        parse_plan_file(content=content, filename=filename)


def test_xlsx_missing_sheet_is_refused(alfa):
    from openpyxl import load_workbook

    exported = plan_export(
        plan=plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    )
    workbook = load_workbook(io.BytesIO(plan_to_xlsx(exported)))
    del workbook["indicators"]
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(PlanImportError, match="^indicators: bladet saknas"):
        xlsx_to_data(buffer.getvalue())


def test_plan_after_the_national_strategy_round_trips(alfa):
    data = edge_case_plan()
    data["period"] = {"start": 2027, "end": 2032}

    plan = plan_import(data=data, actor=None, skip_permission_checks=True)

    assert plan_export(plan=plan)["period"] == {"start": 2027, "end": 2032}
    assert plan_export(plan=plan)["goals"][0]["national_goals"] == [1, 4]


def test_export_query_count_does_not_grow_with_the_plan(alfa, django_assert_num_queries):
    small = plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    big_data = edge_case_plan()
    big_data["goals"] = [{**copy.deepcopy(big_data["goals"][0]), "number": n} for n in range(1, 21)]
    big = plan_import(data=big_data, actor=None, skip_permission_checks=True)

    with django_assert_num_queries(9) as small_queries:
        plan_export(plan=ActionPlan.objects.select_related("county", "strategy").get(pk=small.pk))
    with django_assert_num_queries(len(small_queries.captured_queries)):
        plan_export(plan=ActionPlan.objects.select_related("county", "strategy").get(pk=big.pk))


def test_xlsx_zip_bomb_is_refused_before_unpacking():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>")

    with pytest.raises(PlanImportError, match="för stor uppackad"):
        parse_plan_file(content=buffer.getvalue(), filename="plan.xlsx")


def test_deeply_nested_json_is_refused():
    with pytest.raises(PlanImportError, match="för djupt nästlad"):
        parse_plan_file(content=b"[" * 200_000 + b"]" * 200_000, filename="plan.json")


def test_xlsx_with_a_damaged_sheet_is_refused(alfa):
    import zipfile

    exported = plan_export(
        plan=plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    )
    source = zipfile.ZipFile(io.BytesIO(plan_to_xlsx(exported)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                body = body[: len(body) // 2]
            target.writestr(info, body)

    with pytest.raises(PlanImportError, match="inte en läsbar xlsx-arbetsbok"):
        parse_plan_file(content=buffer.getvalue(), filename="plan.xlsx")


def test_lone_surrogates_are_refused(alfa):
    content = json.dumps(edge_case_plan()).replace("Ett onumrerat", "\\ud800 onumrerat")
    data = parse_plan_file(content=content.encode(), filename="plan.json")

    with pytest.raises(PlanImportError, match=r"^goals\[0\]\.sub_goals\[0\]\.text: innehåller"):
        validate_plan_data(data)


def test_xlsx_date_cells_come_back_as_text_and_are_refused_by_the_validator(alfa):
    import datetime

    from openpyxl import load_workbook

    exported = plan_export(
        plan=plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    )
    workbook = load_workbook(io.BytesIO(plan_to_xlsx(exported)))
    workbook["indicators"]["E2"] = datetime.datetime(2026, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)

    data = parse_plan_file(content=buffer.getvalue(), filename="plan.xlsx")
    json.dumps(data)  # serialisable, e.g. into the session
    with pytest.raises(PlanImportError, match=r"^indicators\[0\]\.baseline: ska vara ett tal"):
        validate_plan_data(data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_damaged_plan_is_refused_cleanly_or_accepted(data):
    """Replace any one part of a valid plan with any JSON value: validation either raises
    PlanImportError naming a field or the import succeeds — never anything else (no 500)."""
    plan = edge_case_plan()
    plan["county"] = "06"
    path = data.draw(st.sampled_from(list(_paths(plan))[1:]))
    target = plan
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(JSON_VALUES)
    try:
        validate_plan_data(plan)
    except PlanImportError as exc:
        message = str(exc)
    else:
        imported = plan_import(data=plan, actor=None, skip_permission_checks=True)
        message = f"ok {imported.pk}"
    assert message


# --- the commands ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module in a transaction rolled back at the end."""
    with demo_loaded(django_db_blocker):
        yield


@pytest.fixture
def demo(_demo_data, db):
    return None


@pytest.mark.parametrize(("code", "goals", "sub_goals"), [("07", 4, 16), ("06", 5, 24)])
def test_export_plan_county_prints_interchange_json(demo, code, goals, sub_goals):
    out = io.StringIO()
    call_command("export_plan", "--county", code, stdout=out)

    data = json.loads(out.getvalue())
    assert data["format"] == "kvinnofrid-plan/1"
    assert data["county"] == code
    assert len(data["goals"]) == goals
    assert sum(len(g["sub_goals"]) for g in data["goals"]) == sub_goals
    validate_plan_data(data)


def test_export_plan_kronoberg_indicators_point_at_delmal(demo):
    out = io.StringIO()
    call_command("export_plan", "--county", "07", stdout=out)
    data = json.loads(out.getvalue())

    yearly = next(i for i in data["indicators"] if i["name"].startswith("Länsstyrelsens årsupp"))
    assert yearly["kind"] == "source"
    assert {"goal": 2, "position": 4} not in yearly["sub_goals"]
    assert {"goal": 1, "position": 1} in yearly["sub_goals"]
    assert data["diarienummer"] is None
    assert data["goals"][0]["sub_goals"][0]["code"] == ""


def test_seeded_plans_round_trip_through_commands(demo, tmp_path):
    for code in ("06", "07"):
        # given
        first = tmp_path / f"{code}.json"
        call_command("export_plan", "--county", code, "-o", str(first), stderr=io.StringIO())
        # when
        out = io.StringIO()
        call_command("import_plan", str(first), stdout=out)
        new_id = int(out.getvalue().strip().splitlines()[-1])
        second = io.StringIO()
        call_command("export_plan", str(new_id), stdout=second)
        # then
        assert json.loads(second.getvalue()) == json.loads(first.read_text(encoding="utf-8"))
        assert ActionPlan.objects.get(pk=new_id).status == ActionPlan.Status.DRAFT


def test_xlsx_through_commands(demo, tmp_path):
    xlsx = tmp_path / "plan.xlsx"
    call_command("export_plan", "--county", "07", "--format", "xlsx", "-o", str(xlsx),
                 stderr=io.StringIO())  # fmt: skip
    out = io.StringIO()
    call_command("import_plan", str(xlsx), "--county", "23", stdout=out)
    new_id = int(out.getvalue().strip().splitlines()[-1])

    plan = ActionPlan.objects.get(pk=new_id)
    assert plan.county.code == "23"
    assert SubGoal.objects.filter(goal__plan=plan).count() == 16
    assert plan.indicators.count() == 8


def test_import_plan_refuses_a_bad_file_with_nothing_written(demo, tmp_path):
    data = edge_case_plan()
    data["goals"][0]["national_goals"] = [7]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = counts()

    with pytest.raises(CommandError, match=r"goals\[0\]\.national_goals\[0\]: okänd nationell"):
        call_command("import_plan", str(bad))

    assert counts() == before


def test_import_plan_dry_run_writes_nothing(alfa, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(edge_case_plan()), encoding="utf-8")
    before = counts()

    out = io.StringIO()
    call_command("import_plan", str(good), "--dry-run", stdout=out)

    assert "Ny förening" in out.getvalue()
    assert counts() == before


def test_export_plan_needs_a_plan(db):
    with pytest.raises(CommandError, match="ingen gällande plan"):
        call_command("export_plan", "--county", "12")
    with pytest.raises(CommandError, match="antingen"):
        call_command("export_plan")


def _old_format(data: dict) -> dict:
    """``data`` as written before targets per year: one ``target`` and ``target_year``."""
    old = copy.deepcopy(data)
    for indicator in old["indicators"]:
        targets = indicator.pop("targets")
        last = targets[-1] if targets else {"year": None, "value": None}
        indicator["target"], indicator["target_year"] = last["value"], last["year"]
    return old


def test_a_file_of_the_old_form_imports_its_target_as_one_target(alfa):
    old = _old_format(edge_case_plan())
    plan = plan_import(data=old, actor=None, skip_permission_checks=True)
    exported = plan_export(plan=plan)
    assert exported["indicators"][0]["targets"] == [{"year": 2030, "value": 12.5}]
    assert exported["indicators"][1]["targets"] == []
    assert "target" not in exported["indicators"][0]
    again = plan_export(plan=plan_import(data=exported, actor=None, skip_permission_checks=True))
    assert again == exported


def test_an_old_target_without_a_year_is_the_plans_last_year(alfa):
    old = _old_format(edge_case_plan())
    old["indicators"][0]["target_year"] = None
    plan = plan_import(data=old, actor=None, skip_permission_checks=True)
    assert plan_export(plan=plan)["indicators"][0]["targets"] == [{"year": 2030, "value": 12.5}]
    old["period"]["end"] = 2028
    plan = plan_import(data=old, actor=None, skip_permission_checks=True)
    assert plan_export(plan=plan)["indicators"][0]["targets"] == [{"year": 2028, "value": 12.5}]


def test_a_workbook_of_the_old_form_imports_its_target_as_one_target(alfa):
    from openpyxl import load_workbook

    exported = plan_export(
        plan=plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    )
    workbook = load_workbook(io.BytesIO(plan_to_xlsx(exported)))
    sheet = workbook["indicators"]
    assert sheet["F1"].value == "targets"
    assert sheet["F2"].value == "2026: 11; 2030: 12.5"
    # rewrite the sheet as an old workbook had it: target and target_year, no targets
    sheet["F1"], sheet["F2"], sheet["F3"] = "target", 12.5, None
    sheet.insert_cols(7)
    sheet["G1"], sheet["G2"] = "target_year", 2030
    buffer = io.BytesIO()
    workbook.save(buffer)

    data = parse_plan_file(content=buffer.getvalue(), filename="plan.xlsx")
    plan = plan_import(data=data, actor=None, skip_permission_checks=True)
    again = plan_export(plan=plan)
    assert again["indicators"][0]["targets"] == [{"year": 2030, "value": 12.5}]
    assert again["indicators"][0]["sub_goals"] == exported["indicators"][0]["sub_goals"]
    assert parse_plan_file(content=plan_to_xlsx(again), filename="plan.xlsx") == again


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2026 11", r"^indicators!rad 2\.targets: målvärden anges som år: värde"),
        ("2026: 11; 2026: 12", r"^indicators\[0\]\.targets\[1\]\.year: år 2026 har redan"),
        ("٢٠٢٦: 11", r"^indicators\[0\]\.targets\[0\]\.year: ska vara ett heltal"),
        ("2026: elva", r"^indicators\[0\]\.targets\[0\]\.value: ska vara ett tal"),
        ("2026: ٤٠", r"^indicators\[0\]\.targets\[0\]\.value: ska vara ett tal"),
    ],
)
def test_bad_targets_in_a_workbook_are_refused(alfa, cell, message):
    from openpyxl import load_workbook

    exported = plan_export(
        plan=plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    )
    workbook = load_workbook(io.BytesIO(plan_to_xlsx(exported)))
    workbook["indicators"]["F2"] = cell
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = counts()
    with pytest.raises(PlanImportError, match=message):
        _import_file(buffer.getvalue())
    assert counts() == before


def _import_file(content: bytes) -> None:
    data = parse_plan_file(content=content, filename="plan.xlsx")
    plan_import(data=data, actor=None, skip_permission_checks=True)
