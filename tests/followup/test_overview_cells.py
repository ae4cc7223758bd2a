"""followup.overview_cells writes the response overview's rows as the template did: the markup
it replaced is rendered here from the same values and compared byte for byte."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from followup import overview_cells
from followup.selectors.rounds import (
    ActorRow,
    CoverageGoal,
    CoverageSubGoal,
    RoundOverview,
    RoundSummary,
)
from kvinnofrid.core.csrf import CSRF_PLACEHOLDER

# the template's loops before they moved to followup.overview_cells
ACTOR_ROWS = """{% load i18n %}{% for row in overview.rows %}
      <tr>
        <th scope="row">{% if may_manage or row.status == "submitted" or row.status == "accepted" %}<a href="{% url 'followup:submission-detail' row.submission_id %}">{{ row.organisation }}</a>{% else %}{{ row.organisation }}{% endif %}{% if row.flagged %} <span class="badge text-bg-warning">{% translate "Möjliga personuppgifter" %}</span>{% endif %}</th>
        <td>{{ row.kind }}</td>
        <td>{% include "followup/_status_badge.html" with status=row.status label=row.status_label %}{% if row.late %} <span class="badge text-bg-danger">{% translate "Sent" %}</span>{% endif %}</td>
        <td>{% if row.submitted_at %}{{ row.submitted_at|date:"Y-m-d" }}{% if row.diarienummer %}<br><span class="small">{% translate "Dnr" %} {{ row.diarienummer }}</span>{% endif %}{% else %}–{% endif %}</td>
        <td>{{ row.deadline|date:"Y-m-d" }}</td>
        <td>{{ row.activity_count }}</td>
        <td>{{ row.previous_status|default:"–" }}</td>
        <td>{% if row.reminders %}<ul class="list-unstyled small mb-0 reminder-log">{% for label, sent_at, count in row.reminders %}<li>{{ label }}: <time datetime="{{ sent_at|date:'c' }}">{{ sent_at|date:"j F Y H.i" }}</time>, {% blocktranslate count n=count %}{{ n }} mottagare{% plural %}{{ n }} mottagare{% endblocktranslate %}</li>{% endfor %}</ul>{% else %}–{% endif %}</td>
        {% if may_remind %}<td>{% if row.may_remind %}<form method="post" action="{% url 'followup:submission-remind' row.submission_id %}">{% csrf_token %}<button type="submit" class="btn btn-sm btn-outline-primary text-nowrap">{% translate "Skicka påminnelse nu" %}<span class="visually-hidden"> {% blocktranslate with org=row.organisation %}till {{ org }}{% endblocktranslate %}</span></button></form>{% else %}–{% endif %}</td>{% endif %}
      </tr>
    {% endfor %}"""
MATRIX_ROWS = """{% for sg, values in overview.matrix_rows %}
      <tr><th scope="row">{{ sg.code|default:"–" }} <span class="visually-hidden">{{ sg.text }}</span></th>{% for v in values %}<td>{% if v %}{{ v }}{% else %}<span aria-hidden="true">·</span><span class="visually-hidden">0</span>{% endif %}</td>{% endfor %}</tr>
    {% endfor %}"""
GOAL_ITEMS = """{% load i18n %}{% for goal, covered, total in overview.goal_coverage %}<li>{% blocktranslate with n=goal.number c=covered t=total %}Mål {{ n }}: {{ c }} av {{ t }} delmål har aktiviteter{% endblocktranslate %}</li>{% endfor %}"""
INDEX_ROWS = """{% load i18n %}{% for r in rounds %}
      <tr>
        <td><a href="{% url 'followup:round-detail' r.pk %}">{{ r.title }}</a></td>
        <td>{{ r.plan.county.name }}</td>
        <td>{{ r.get_status_display }}</td>
        <td>{{ r.n_submitted }} {% translate "av" %} {{ r.n_invited }}</td>
      </tr>
    {% endfor %}"""

HOSTILE = "<b>\"Kommun\" & 'Co'</b>"


def _overview() -> RoundOverview:
    sent = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)  # 1 April in Stockholm
    deadline = datetime.date(2026, 4, 1)
    rows = [
        ActorRow(
            submission_id=10 + i,
            organisation=HOSTILE if i == 1 else f"Aktör {i}",
            kind="Kommun" if i % 2 else HOSTILE,
            status=status,
            status_label=f"{status} <label>",
            submitted_at=sent if i % 2 else None,
            deadline=deadline,
            late=i == 3,
            flagged=i == 2,
            activity_count=i * 1000,
            previous_status=HOSTILE if i == 4 else (None if i % 2 else "Godkänd"),
            reminders=[
                ("Inbjudan", sent, 1),
                (HOSTILE, sent + datetime.timedelta(days=40), i),
            ][: i % 3],
            may_remind=status not in ("submitted", "accepted"),
            diarienummer=HOSTILE if i == 3 else "",
        )
        for i, status in enumerate(
            ["not_started", "draft", "submitted", "accepted", "returned", "other"]
        )
    ]
    summary = RoundSummary(year=2026, invited=6, submitted=2, on_time=1, late=1)
    return RoundOverview(
        round=None,  # type: ignore[arg-type]
        summary=summary,
        rows=rows,
        matrix_columns=["a", "b"],
        matrix_rows=[
            (CoverageSubGoal(1, 1, "1.1", HOSTILE), [0, 3]),
            (CoverageSubGoal(2, 1, "", "Utan beteckning"), [1200, 0]),
            (CoverageSubGoal(3, 2, HOSTILE, "x"), [0, 0]),
        ],
        goal_coverage=[(CoverageGoal(1), 2, 3), (CoverageGoal(12), 0, 1000)],
    )


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    ("may_manage", "may_remind"), [(True, True), (True, False), (False, False)]
)
def test_rows_are_the_markup_the_template_wrote(language, may_manage, may_remind):
    overview = _overview()
    context = {
        "overview": overview,
        "may_manage": may_manage,
        "may_remind": may_remind,
        "csrf_token": CSRF_PLACEHOLDER,
    }
    with translation.override(language), timezone.override("Europe/Stockholm"):
        assert overview_cells.actor_rows(
            overview, may_manage=may_manage, may_remind=may_remind, csrf_token=CSRF_PLACEHOLDER
        ) == Template(ACTOR_ROWS).render(Context(context))
        assert overview_cells.matrix_rows(overview) == Template(MATRIX_ROWS).render(
            Context(context)
        )
        assert overview_cells.goal_coverage(overview) == Template(GOAL_ITEMS).render(
            Context(context)
        )


def test_values_are_escaped():
    overview = _overview()
    html = overview_cells.actor_rows(
        overview, may_manage=True, may_remind=True, csrf_token=CSRF_PLACEHOLDER
    ) + overview_cells.matrix_rows(overview)
    assert HOSTILE not in html
    assert "&lt;b&gt;&quot;Kommun&quot; &amp; &#x27;Co&#x27;&lt;/b&gt;" in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_index_rows_are_the_markup_of_the_loop(lang):
    from actionplans.models import ActionPlan
    from followup.models import FollowUpRound
    from kvinnofrid.directory.models import County

    rounds = []
    for pk, status, sub, inv in ((7, "open", 3, 12345), (123456, "reported", 0, 0)):
        round_ = FollowUpRound(pk=pk, title=HOSTILE, status=status)
        round_.n_submitted, round_.n_invited = sub, inv  # type: ignore[attr-defined]
        round_.plan = ActionPlan(county=County(name=HOSTILE))
        rounds.append(round_)
    with translation.override(lang):
        for listed in (rounds, []):
            expected = Template(INDEX_ROWS).render(Context({"rounds": listed}))
            assert overview_cells.index_rows(listed) == expected


@pytest.mark.parametrize("round_id", [1, 42, 987654])
def test_the_round_urls_are_their_reverse(round_id):
    from django.urls import reverse

    urls = overview_cells.round_urls(round_id)
    assert urls.keys() == overview_cells.ROUND_URL_TAILS.keys()
    for key, (name, _tail) in overview_cells.ROUND_URL_TAILS.items():
        args = [round_id, key] if name == "followup:round-transition" else [round_id]
        assert urls[key] == reverse(name, args=args)
