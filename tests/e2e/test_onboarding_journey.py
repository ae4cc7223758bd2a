"""Issue 13's journey in Debian Chromium with axe-core on every new page: the Jönköping
coordinator adds an organisation and invites a reporter, who sets a password from the e-mail's
link and saves an answer in the organisation's open yttrande; Kronoberg sees none of it."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from actionplans.models import ActionPlan
from fixtures.demo import users as demo_users
from followup.models import Answer, FollowUpRound, Submission
from kvinnofrid.accounts.models import Invitation, Membership, User
from kvinnofrid.directory.models import Organisation
from tests.factories import FollowUpRoundFactory, QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Blenda-rapportor-2026!"


def _demo_password(email: str) -> str:
    return next(u[5] for u in demo_users.USERS if u[0] == email)


def _logout(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()


def _fits_375(page) -> bool:
    page.set_viewport_size({"width": 375, "height": 800})
    fits = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    return fits


def _open_round_for(organisation: Organisation) -> tuple[Submission, int]:
    """The county's current plan gets an open round with a question and the new organisation
    invited (the coordinator's round pages are tested elsewhere)."""
    plan = ActionPlan.objects.filter(county=organisation.county).order_by("-pk").first()
    today = timezone.localdate()
    round_ = FollowUpRoundFactory(
        plan=plan,
        year=today.year,
        opens_on=today,
        deadline=today + datetime.timedelta(days=30),
        status=FollowUpRound.Status.OPEN,
    )
    question = QuestionFactory(round=round_, text="Hur har ni arbetat med frågan i år?")
    round_.invited_organisations.add(organisation)
    submission = Submission.objects.create(
        round=round_, organisation=organisation, status=Submission.Status.NOT_STARTED
    )
    return submission, question.pk


def test_coordinator_adds_actor_invites_reporter_who_answers(page, live_server, login, axe):
    call_command("load_demo", verbosity=0)
    coordinator = User.objects.get(email="samordnare.jonkoping@demo.example")
    kronoberg = User.objects.get(email="samordnare.kronoberg@demo.example")

    # the Jönköping coordinator opens the county's actors from the menu
    login(page, coordinator, _demo_password(coordinator.email))
    page.get_by_role("link", name="Aktörer", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aktörer – Jönköpings län")
    axe(page)
    assert _fits_375(page)

    # adds Kvinnojouren Blenda
    page.get_by_role("link", name="Lägg till aktör").click()
    axe(page)
    page.get_by_label("Namn").fill("Kvinnojouren Blenda")
    page.get_by_label("Typ av aktör").select_option("kvinnojour")
    page.get_by_label("Organisationsnummer").fill("8024006150")
    page.get_by_label("Funktionsadress (e-post)").fill("info@blenda.example")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvinnojouren Blenda")
    blenda = Organisation.objects.get(county__code="06", name="Kvinnojouren Blenda")
    assert blenda.kind == "kvinnojour"
    assert blenda.organisation_number == "802400-6150"
    axe(page)
    assert _fits_375(page)
    submission, question_pk = _open_round_for(blenda)

    # invites a reporter
    page.get_by_role("link", name="Bjud in en person").click()
    axe(page)
    page.get_by_label("E-postadress").fill("rapportor@blenda.example")
    page.get_by_label("Rapportör – fyller i organisationens yttrande").check()
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.locator("#invitations-table")).to_contain_text("rapportor@blenda.example")
    axe(page)
    invitation = Invitation.objects.get(email="rapportor@blenda.example")

    # the county's people page
    page.goto(f"{live_server.url}/lan/06/personer/")
    expect(page.locator("#invitations-table")).to_contain_text("rapportor@blenda.example")
    axe(page)
    assert _fits_375(page)

    # the import page
    page.goto(f"{live_server.url}/lan/06/aktorer/importera/")
    axe(page)
    _logout(page)

    # the e-mail's link opens; the person sets a password (no second factor for reporters)
    message = next(m for m in mail.outbox if m.to == ["rapportor@blenda.example"])
    link = next(w for w in message.body.split() if "/inbjudan/" in w)
    local_link = live_server.url + link[link.index("/inbjudan/") :]
    page.goto(local_link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen till Kvinnofrid")
    axe(page)
    assert _fits_375(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet och logga in").click()

    # they land on the organisation's open yttrande and save an answer
    page.wait_for_url(f"**/uppfoljning/yttrande/{submission.pk}/")
    field = page.locator(f"#id_q_{question_pk}")
    field.fill("Vi har utbildat alla volontärer om våld i nära relationer.")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Utkastet har sparats.")).to_be_visible()
    answer = Answer.objects.get(submission=submission, question_id=question_pk)
    assert answer.text == "Vi har utbildat alla volontärer om våld i nära relationer."
    person = User.objects.get(email="rapportor@blenda.example")
    assert Membership.objects.filter(user=person, organisation=blenda, role="reporter").exists()
    _logout(page)

    # the used link is refused in Swedish
    page.goto(local_link)
    expect(page.locator("#invitation-refused")).to_contain_text("Länken fungerar inte")
    axe(page)

    # Kronoberg's coordinator gets 404 for the organisation and its invitation
    login(page, kronoberg, _demo_password(kronoberg.email))
    for code in ("07", "06"):
        for path in (
            f"/lan/{code}/aktorer/{blenda.pk}/",
            f"/lan/{code}/aktorer/{blenda.pk}/bjud-in/",
            f"/lan/{code}/inbjudningar/{invitation.pk}/skicka-igen/",
            f"/lan/{code}/inbjudningar/{invitation.pk}/aterkalla/",
        ):
            response = page.goto(live_server.url + path)
            assert response.status == 404, path
    page.goto(live_server.url + "/")
    _logout(page)

    # the national admin's page
    admin_email, _name, admin_password = demo_users.ADMIN
    login(page, User.objects.get(email=admin_email), admin_password)
    page.get_by_role("link", name="Länens samordnare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Länens samordnare")
    axe(page)
