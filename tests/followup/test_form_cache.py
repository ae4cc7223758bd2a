"""The actor's form page serves its body from the cache: every change to what it shows — made
through a service, the admin (a plain save), a bulk reorder or the calendar — shows on the next
load, and each viewer gets the cached body with a CSRF token of their own."""

import datetime
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from actionplans import services as plan_services
from followup import selectors, services
from followup.models import Answer, IndicatorAnswer, Question, Submission
from kvinnofrid.accounts.models import Membership, Role
from kvinnofrid.core.csrf import CSRF_PLACEHOLDER
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    SubmissionFactory,
    UserFactory,
    county,
)
from tests.followup.conftest import add_question, fill_required

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _url(world):
    return reverse("followup:submission-edit", args=[world.submission.pk])


def _page(client, world):
    response = client.get(_url(world))
    assert response.status_code == 200
    return response.content.decode()


def _as_reporter(client, world):
    client.force_login(world.users["reporter"])
    return _page(client, world)


def _question(world, key="worked_well"):
    return world.round.questions.get(key=key)


def _answer(world, question, text):
    """Save ``text`` as the answer to ``question`` through the service, as the reporter."""
    s = Submission.objects.get(pk=world.submission.pk)
    return services.submission_save(
        submission_id=s.pk,
        lock_version=s.lock_version,
        answers={question.pk: {"text": text}},
        indicator_values={},
        actor=world.users["reporter"],
    )


def _activity(world, title, sub_goals, activity_id=None):
    s = Submission.objects.get(pk=world.submission.pk)
    return services.activity_save(
        submission_id=s.pk,
        activity_id=activity_id,
        lock_version=s.lock_version,
        data={"title": title, "sub_goals": [sg.pk for sg in sub_goals]},
        actor=world.users["reporter"],
    )


def _tags(page, title):
    """The line under an activity's title: its status, then the codes of its delmål."""
    start = page.index(f'<h3 class="h6 mb-1">{title}</h3>')
    line = page[page.index('<div class="small', start) : page.index("</div>", start)]
    return line[line.index(">") + 1 :]


def _lead(page):
    start = page.index('<p class="lead">')
    return page[start : page.index("</p>", start)]


def _swedish_date(day):
    with translation.override("sv"):
        return date_filter(day, "j F Y")


# --- the actor's own saves ----------------------------------------------------------------------


def test_autosave_shows_the_new_text_and_version_on_reload(client, world):
    # given the reporter's cached form at version 0
    page = _as_reporter(client, world)
    assert 'name="lock_version" value="0"' in page
    # when the form autosaves (htmx) a new answer
    q = _question(world)
    response = client.post(
        _url(world),
        {"lock_version": 0, f"q_{q.pk}": "Samverkan med polisen fungerade bra."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["X-Autosave"] == "saved"
    # then the reload shows the text and the new version (a stale version would make the next
    # autosave a conflict)
    page = _page(client, world)
    assert "Samverkan med polisen fungerade bra." in page
    assert 'name="lock_version" value="1"' in page
    assert 'name="lock_version" value="0"' not in page


# --- changes made as the admin would (plain saves) ----------------------------------------------


def test_answer_changed_with_a_plain_save_shows(client, world):
    q = _question(world)
    _answer(world, q, "Nätverket träffades varje månad.")
    assert "Nätverket träffades varje månad." in _as_reporter(client, world)
    # when the answer is changed as the admin would (the submission row is not touched)
    answer = Answer.objects.get(submission=world.submission, question=q)
    answer.text = "Nätverket träffades varannan månad."
    answer.save()
    # then the form shows the new text only
    page = _page(client, world)
    assert "Nätverket träffades varannan månad." in page
    assert "Nätverket träffades varje månad." not in page


def test_indicator_answer_changed_with_a_plain_save_shows(client, world):
    fill_required(world)  # the indicator's value is 12
    assert 'value="12.00"' in _as_reporter(client, world)
    ia = IndicatorAnswer.objects.get(submission=world.submission, indicator=world.indicator)
    ia.value = Decimal("34")
    ia.note = "Enligt personalregistret"
    ia.save()
    page = _page(client, world)
    assert 'value="34.00"' in page
    assert "Enligt personalregistret" in page
    assert 'value="12.00"' not in page


# --- the round's questions ------------------------------------------------------------------------


def test_question_edited_through_the_service_shows(client, world):
    q = _question(world)
    assert q.text in _as_reporter(client, world)
    old = q.text
    services.question_save(
        round_id=world.round.pk,
        question_id=q.pk,
        text="Vad gick bäst under året?",
        help_text=q.help_text,
        kind=q.kind,
        required=q.required,
        order=q.order,
        actor=world.users["coordinator"],
    )
    page = _page(client, world)
    assert "Vad gick bäst under året?" in page
    assert old not in page


def test_question_added_shows(client, world):
    assert "Hur många anmälningar kom in?" not in _as_reporter(client, world)
    q = add_question(
        world, text="Hur många anmälningar kom in?", kind=Question.Kind.NUMBER, order=9
    )
    page = _page(client, world)
    assert "Hur många anmälningar kom in?" in page
    assert f'name="q_{q.pk}"' in page


# --- the plan: indicator, goals and delmål --------------------------------------------------------


def test_indicator_renamed_with_a_plain_save_shows(client, world):
    assert '<legend class="h6">Antal utbildade</legend>' in _as_reporter(client, world)
    world.indicator.name = "Personer som gått utbildningen"
    world.indicator.save()
    page = _page(client, world)
    assert '<legend class="h6">Personer som gått utbildningen</legend>' in page
    assert '<legend class="h6">Antal utbildade</legend>' not in page


def test_goal_title_changed_with_a_plain_save_shows(client, world):
    assert "Mål 1 – Ökad kunskap" in _as_reporter(client, world)
    goal = world.goals[0]
    goal.title = "Bättre kunskap i hela länet"
    goal.save()
    page = _page(client, world)
    assert "Mål 1 – Bättre kunskap i hela länet" in page
    assert "Mål 1 – Ökad kunskap" not in page


def test_delmal_text_changed_with_a_plain_save_shows(client, world):
    assert "Kunskapen ska öka" in _as_reporter(client, world)
    sub_goal = world.sub_goals[0]
    sub_goal.text = "Kunskapen om våld ska öka"
    sub_goal.save()
    page = _page(client, world)
    assert "Kunskapen om våld ska öka" in page
    assert "Kunskapen ska öka" not in page


def test_delmal_moved_through_the_service_shows_the_new_order(client, world):
    # given the cached form with 1:1 before 1:2
    page = _as_reporter(client, world)
    assert page.index("Kunskapen ska öka") < page.index("Utbildning för personal")
    # when 1:2 moves up: a bulk_update of the orders (no updated_at) plus an audit entry
    plan_services.subgoal_move(
        subgoal_id=world.sub_goals[1].pk, direction="up", actor=world.users["coordinator"]
    )
    # then the form lists 1:2 first
    page = _page(client, world)
    assert page.index("Utbildning för personal") < page.index("Kunskapen ska öka")


def test_goal_moved_through_the_service_shows_the_new_order(client, world):
    page = _as_reporter(client, world)
    assert page.index("Mål 1 – Ökad kunskap") < page.index("Mål 2 – Tidiga insatser")
    plan_services.goal_move(
        goal_id=world.goals[1].pk, direction="up", actor=world.users["coordinator"]
    )
    page = _page(client, world)
    assert page.index("Mål 2 – Tidiga insatser") < page.index("Mål 1 – Ökad kunskap")


# --- reported activities ----------------------------------------------------------------------


def test_activity_added_edited_and_deleted_through_the_services_shows(client, world):
    assert "Inga aktiviteter ännu." in _as_reporter(client, world)
    # added
    activity = _activity(world, "Utbildningsdag för socialtjänsten", [world.sub_goals[0]])
    page = _page(client, world)
    assert "Utbildningsdag för socialtjänsten" in page
    assert "Inga aktiviteter ännu." not in page
    # edited
    _activity(world, "Utbildningsdagar för hela förvaltningen", [world.sub_goals[0]], activity.pk)
    page = _page(client, world)
    assert "Utbildningsdagar för hela förvaltningen" in page
    assert "Utbildningsdag för socialtjänsten" not in page
    # deleted
    s = Submission.objects.get(pk=world.submission.pk)
    services.activity_delete(
        submission_id=s.pk,
        activity_id=activity.pk,
        lock_version=s.lock_version,
        actor=world.users["reporter"],
    )
    page = _page(client, world)
    assert "Utbildningsdagar för hela förvaltningen" not in page
    assert "Inga aktiviteter ännu." in page


def test_activity_delmal_changed_with_set_only_shows(client, world):
    activity = _activity(world, "Kampanj", [world.sub_goals[0]])
    assert _tags(_as_reporter(client, world), "Kampanj") == "Genomförd · 1:1"
    # when only the link rows change (no activity or submission row is saved)
    activity.sub_goals.set([world.sub_goals[1], world.sub_goals[2]])
    assert _tags(_page(client, world), "Kampanj") == "Genomförd · 1:2, 2:1"


def test_two_activities_swapping_delmal_with_set_only_shows(client, world):
    first = _activity(world, "Kampanj", [world.sub_goals[0]])
    second = _activity(world, "Utbildning", [world.sub_goals[2]])
    page = _as_reporter(client, world)
    assert (_tags(page, "Kampanj"), _tags(page, "Utbildning")) == (
        "Genomförd · 1:1",
        "Genomförd · 2:1",
    )
    # when the two activities swap delmål through their link rows only
    first.sub_goals.set([world.sub_goals[2]])
    second.sub_goals.set([world.sub_goals[0]])
    # then each shows its new delmål
    page = _page(client, world)
    assert (_tags(page, "Kampanj"), _tags(page, "Utbildning")) == (
        "Genomförd · 2:1",
        "Genomförd · 1:1",
    )


# --- the round, the submission row and the organisation -----------------------------------------


def test_round_instructions_changed_with_a_plain_save_show(client, world):
    assert "Svara senast sista svarsdag." in _as_reporter(client, world)
    world.round.instructions = "Svara gärna per förvaltning."
    world.round.save()
    page = _page(client, world)
    assert "Svara gärna per förvaltning." in page
    assert "Svara senast sista svarsdag." not in page


def test_deadline_extension_through_the_service_shows(client, world):
    old = world.round.deadline
    assert f"Sista svarsdag: {_swedish_date(old)}" in _lead(_as_reporter(client, world))
    new = old + datetime.timedelta(days=21)
    services.submission_extend_deadline(
        submission_id=world.submission.pk, new_deadline=new, actor=world.users["coordinator"]
    )
    lead = _lead(_page(client, world))
    assert f"Sista svarsdag: {_swedish_date(new)}" in lead
    assert _swedish_date(old) not in lead


def test_submission_returned_with_a_comment_shows_the_comment(client, world):
    # given the reporter's cached draft form
    assert "Länsstyrelsen ber om komplettering" not in _as_reporter(client, world)
    # when it is submitted and returned with a comment by the coordinator
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    services.submission_return(
        submission_id=world.submission.pk,
        comment="Beskriv samverkan med regionen.",
        actor=world.users["coordinator"],
    )
    # then the form shows the comment and the new status
    page = _page(client, world)
    assert "Länsstyrelsen ber om komplettering" in page
    assert "Beskriv samverkan med regionen." in page
    assert str(Submission.Status.RETURNED.label) in _lead(page)


def test_organisation_renamed_shows(client, world):
    assert _lead(_as_reporter(client, world)).startswith('<p class="lead">Aneby kommun ·')
    world.org.name = "Kommunen i Aneby"
    world.org.save()
    assert _lead(_page(client, world)).startswith('<p class="lead">Kommunen i Aneby ·')


def test_last_years_submission_appearing_shows_the_copy_button(client, world):
    assert "Utgå från förra årets svar" not in _as_reporter(client, world)
    # when last year's round (another plan of the county) has a submission of the organisation
    last_year = FollowUpRoundFactory(
        plan=ActionPlanFactory(county=county("06")), year=world.round.year - 1
    )
    SubmissionFactory(round=last_year, organisation=world.org)
    # then the form offers to start from it
    page = _page(client, world)
    assert "Utgå från förra årets svar" in page
    assert reverse("followup:submission-copy-last-year", args=[world.submission.pk]) in page


# --- the calendar and the language ----------------------------------------------------------------


def test_deadline_passing_without_a_data_change_locks_the_form(client, world, monkeypatch):
    page = _as_reporter(client, world)
    assert "har passerat" not in page
    assert "Lägg till aktivitet" in page
    # when the day after the deadline comes (no row changes)
    real = timezone.localdate
    after = world.round.deadline + datetime.timedelta(days=1)

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else after

    monkeypatch.setattr(timezone, "localdate", localdate)
    # then the form says so and offers no more changes
    page = _page(client, world)
    assert f"Sista svarsdag ({world.round.deadline.isoformat()}) har passerat." in page
    assert "Lägg till aktivitet" not in page
    assert "Spara utkast" not in page


def test_language_switch_gives_the_english_body(client, world):
    page = _as_reporter(client, world)
    assert "Genomförda och pågående aktiviteter" in page
    client.cookies.load({"django_language": "en"})
    page = _page(client, world)
    assert "Completed and ongoing activities" in page
    assert "Genomförda och pågående aktiviteter" not in page
    assert "Planens mål och delmål" not in page
    assert "Save draft" in page


# --- CSRF tokens in the cached body -----------------------------------------------------------


def _save_draft_data(world, page, token):
    """The "Spara utkast" POST of what fill_required saved (so it changes nothing)."""
    data = {
        "csrfmiddlewaretoken": token,
        "lock_version": re.search(r'name="lock_version" value="(\d+)"', page).group(1),
        "action": "save",
        f"ind_{world.indicator.pk}_value": "12",
        f"ind_{world.indicator.pk}_note": "",
    }
    for q in world.round.questions.filter(required=True):
        data[f"q_{q.pk}"] = "Vi har en egen handlingsplan."
    return data


def _form_token(page):
    form = page[page.index('id="submission-form"') :]
    return TOKEN.search(form).group(1)


def test_each_viewer_gets_the_cached_body_with_a_working_token(world, monkeypatch):
    fill_required(world)
    second_reporter = UserFactory(email="rapportor2@aneby.example")
    Membership.objects.create(user=second_reporter, organisation=world.org, role=Role.REPORTER)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(world.users["reporter"])
    second.force_login(second_reporter)
    # given the first reporter's page, which fills the cache
    first_page = _page(first, world)
    # when the second reporter opens the form, it comes from the cache (no form data is read)
    with monkeypatch.context() as m:
        m.setattr(selectors, "submission_form_data", pytest.fail)
        second_page = _page(second, world)
    # then each page holds the viewer's own token and no placeholder
    assert "<kvinnofrid-csrf-token>" not in first_page
    assert "<kvinnofrid-csrf-token>" not in second_page
    first_token, second_token = _form_token(first_page), _form_token(second_page)
    assert first_token != second_token
    assert set(TOKEN.findall(first_page)) == {first_token}
    assert set(TOKEN.findall(second_page)) == {second_token}
    # and a plain "Spara utkast" with each page's token goes through (a refused token also
    # redirects, back to the form with the typed text kept, but says nothing was saved)
    refused = first.post(_url(world), _save_draft_data(world, first_page, ""), follow=True)
    assert "Utkastet har sparats." not in refused.content.decode()
    for client, page, token in (
        (second, second_page, second_token),
        (first, first_page, first_token),
    ):
        response = client.post(_url(world), _save_draft_data(world, page, token))
        assert response.status_code == 302
        assert response["Location"] == _url(world)
        assert "Utkastet har sparats." in _page(client, world)
    # the first reporter's save with a change is stored
    data = _save_draft_data(world, first_page, first_token)
    data[f"q_{_question(world).pk}"] = "Ny text från första rapportören."
    assert first.post(_url(world), data).status_code == 302
    assert Answer.objects.filter(text="Ny text från första rapportören.").exists()
    assert "<kvinnofrid-csrf-token>" not in _page(first, world)


def test_refused_plain_post_shows_the_typed_values_and_the_error(client, world):
    number = add_question(world, text="Hur många anmälningar kom in?", kind="number", order=9)
    text = _question(world)
    # given the reporter's cached form
    page = _as_reporter(client, world)
    # when a plain POST has letters in the number field
    response = client.post(
        _url(world),
        {
            "lock_version": 0,
            "action": "save",
            f"q_{number.pk}": "abc",
            f"q_{text.pk}": "Det här har jag skrivit men inte sparat.",
        },
    )
    # then the form comes back with what was typed and the error, nothing saved
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="abc"' in page
    assert "Fyll i ett tal." in page
    assert "Det här har jag skrivit men inte sparat." in page
    assert "<kvinnofrid-csrf-token>" not in page
    assert not Answer.objects.filter(submission=world.submission).exists()
    # and the refused render is not cached: the next load shows the saved (empty) form
    page = _page(client, world)
    assert "Det här har jag skrivit men inte sparat." not in page
    assert "Fyll i ett tal." not in page


def test_answer_text_holding_the_token_placeholder_gets_no_token(client, world):
    # given an answer whose text is the placeholder the cached body holds for CSRF tokens
    _answer(world, _question(world), f"Före {CSRF_PLACEHOLDER} efter")
    # when the reporter opens the form (cached body, tokens filled in)
    page = _as_reporter(client, world)
    # then the text is shown escaped, and no token was put into it
    textarea = page[page.index(f'name="q_{_question(world).pk}"') :]
    textarea = textarea[: textarea.index("</textarea>")]
    assert "Före &lt;kvinnofrid-csrf-token&gt; efter" in textarea
    assert _form_token(page) not in textarea


def test_the_token_placeholder_is_the_same_in_every_process():
    # a body cached in Redis by one worker is filled in by another
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kvinnofrid.core.csrf import CSRF_PLACEHOLDER; print(CSRF_PLACEHOLDER)",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert other.stdout.strip() == CSRF_PLACEHOLDER
