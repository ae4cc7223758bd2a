"""Invitations: hashed single-use tokens, e-mail after commit, the accept page, resend, revoke,
memberships and who may do what (issue 13 item 2)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpRound, Submission
from kvinnofrid.accounts import memberships, services
from kvinnofrid.accounts.models import Invitation, Membership, Role, User
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory.models import OrganisationKind
from tests.factories import (
    FollowUpRoundFactory,
    OrganisationFactory,
    SubmissionFactory,
    county,
)

PASSWORD = "Ett-langt-losenord-2026"


@pytest.fixture
def coordinator(make_user):
    board = OrganisationFactory(county=county("06"), kind=OrganisationKind.LANSSTYRELSE)
    return make_user("coordinator", organisation=board)


@pytest.fixture
def jour():
    return OrganisationFactory(
        county=county("06"), name="Kvinnojouren Blenda", kind=OrganisationKind.KVINNOJOUR
    )


def _invite(coordinator, organisation, email="ny@blenda.example", role=Role.REPORTER):
    return services.invitation_create(
        actor=coordinator, organisation_id=organisation.pk, email=email, role=role
    )


def _token_from_mail(message) -> str:
    return message.body.split("/inbjudan/")[1].split("/")[0]


@pytest.mark.django_db(transaction=True)
def test_invitation_stores_only_the_hash_and_mails_the_link_after_commit(coordinator, jour):
    invitation, token = _invite(coordinator, jour)
    assert invitation.token_hash == services.hash_token(token)
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=13, hours=23)
    # the e-mail, Swedish, text and HTML, holds the link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny@blenda.example"]
    assert "Inbjudan till Kvinnofrid" in message.subject
    assert services.invitation_url(token) in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert services.invitation_url(token) in html
    assert "Länken fungerar en gång och gäller i 14 dagar" in message.body
    assert AuditEntry.objects.filter(action="accounts.invitation.created").count() == 1


@pytest.mark.django_db
def test_accept_creates_user_and_membership_logs_in_and_the_link_is_single_use(
    client, coordinator, jour
):
    _invitation, token = _invite(coordinator, jour)
    url = reverse("actors:invitation-accept", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email="ny@blenda.example")
    assert user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, organisation=jour, role=Role.REPORTER).exists()
    assert client.session["_auth_user_id"] == str(user.pk)
    # used: refused in Swedish, the same words as a token that never existed
    client.logout()
    used = client.get(url)
    never = client.get(reverse("actors:invitation-accept", args=["finns-inte"]))
    assert used.status_code == never.status_code == 404
    assert "Länken fungerar inte" in used.content.decode()
    assert _refusal(used) == _refusal(never)
    again = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert again.status_code == 404
    assert Membership.objects.filter(user=user).count() == 1


def _refusal(response) -> str:
    content = response.content.decode()
    return content.split('id="invitation-refused">')[1].split("<")[0]


@pytest.mark.django_db
def test_expired_and_revoked_links_are_refused(client, coordinator, jour):
    expired, expired_token = _invite(coordinator, jour, email="gammal@example.se")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    revoked, revoked_token = _invite(coordinator, jour, email="aterkallad@example.se")
    services.invitation_revoke(actor=coordinator, invitation_id=revoked.pk)
    for token in (expired_token, revoked_token):
        response = client.post(
            reverse("actors:invitation-accept", args=[token]),
            {"new_password1": PASSWORD, "new_password2": PASSWORD},
        )
        assert response.status_code == 404
        assert "Länken fungerar inte" in response.content.decode()
    assert not User.objects.filter(email__in=["gammal@example.se", "aterkallad@example.se"])


@pytest.mark.django_db
def test_resend_gives_a_new_link_and_kills_the_old_one(
    coordinator, jour, django_capture_on_commit_callbacks
):
    invitation, old = _invite(coordinator, jour)
    with django_capture_on_commit_callbacks(execute=True):
        _same, new = services.invitation_resend(actor=coordinator, invitation_id=invitation.pk)
    assert new != old
    assert services.invitation_for_token(old) is None
    assert services.invitation_for_token(new).pk == invitation.pk
    assert _token_from_mail(mail.outbox[-1]) == new
    # a re-delivered task with the old token mails nothing
    assert services.invitation_send_email(invitation_id=invitation.pk, token=old) is False


@pytest.mark.django_db
def test_an_existing_user_gets_the_membership_after_logging_in(
    client, coordinator, jour, make_user
):
    other = OrganisationFactory(county=county("06"), kind=OrganisationKind.KOMMUN)
    person = make_user("reporter", organisation=other, email="finns@example.se")
    _invitation, token = _invite(coordinator, jour, email="Finns@Example.se")
    url = reverse("actors:invitation-accept", args=[token])
    # not logged in: asked to log in, no password form, nothing changes
    page = client.get(url)
    assert "Logga in" in page.content.decode()
    assert 'name="new_password1"' not in page.content.decode()
    assert client.post(url, {}).status_code == 400
    # logged in as that person: one click adds the second organisation
    client.force_login(person)
    assert client.post(url, {}).status_code == 302
    assert set(person.memberships.values_list("organisation_id", flat=True)) == {other.pk, jour.pk}
    assert person.check_password("losenord-123")


@pytest.mark.django_db
def test_coordinators_are_invited_only_to_the_county_board(coordinator, jour):
    with pytest.raises(services.InvitationError, match="länsstyrelsen"):
        _invite(coordinator, jour, role=Role.COORDINATOR)
    board = coordinator.memberships.get().organisation
    invitation, _token = _invite(
        coordinator, board, email="kollega@lst.example", role="coordinator"
    )
    assert invitation.role == Role.COORDINATOR


@pytest.mark.django_db
def test_another_countys_coordinator_may_not_invite_or_revoke(coordinator, jour, make_user):
    kronoberg = make_user("coordinator", county_code="07")
    reporter = make_user("reporter", county_code="06")
    for actor in (kronoberg, reporter):
        with pytest.raises(PermissionDenied):
            _invite(actor, jour)
    invitation, _token = _invite(coordinator, jour)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=kronoberg, invitation_id=invitation.pk)


@pytest.mark.django_db
def test_duplicate_pending_invitation_and_existing_role_are_refused(coordinator, jour):
    _invite(coordinator, jour)
    with pytest.raises(services.InvitationError, match="väntar"):
        _invite(coordinator, jour, email="NY@blenda.example")


@pytest.mark.django_db
def test_reporter_lands_on_the_open_yttrande(client, coordinator, jour):
    round_ = FollowUpRoundFactory(status=FollowUpRound.Status.OPEN)
    round_.plan.county = county("06")
    round_.plan.save()
    submission = SubmissionFactory(
        round=round_, organisation=jour, status=Submission.Status.NOT_STARTED
    )
    _invitation, token = _invite(coordinator, jour)
    response = client.post(
        reverse("actors:invitation-accept", args=[token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response["Location"] == reverse("followup:submission-edit", args=[submission.pk])


@pytest.mark.django_db
def test_without_an_open_yttrande_the_person_lands_on_the_start_page(client, coordinator, jour):
    _invitation, token = _invite(coordinator, jour)
    response = client.post(
        reverse("actors:invitation-accept", args=[token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_weak_or_mismatched_passwords_are_refused_in_swedish(client, coordinator, jour):
    _invitation, token = _invite(coordinator, jour)
    url = reverse("actors:invitation-accept", args=[token])
    response = client.post(url, {"new_password1": "abc", "new_password2": "abd"})
    assert response.status_code == 400
    assert "lösenord" in response.content.decode().lower()
    assert not User.objects.filter(email="ny@blenda.example").exists()


@pytest.mark.django_db
def test_role_change_and_removal_are_audited_and_the_last_coordinator_stays(
    coordinator, jour, make_user
):
    person = make_user("reporter", organisation=jour)
    membership = person.memberships.get()
    memberships.membership_change_role(
        actor=coordinator, membership_id=membership.pk, role=Role.MANAGEMENT
    )
    entry = AuditEntry.objects.get(action="accounts.membership.role_changed")
    assert entry.changes["role"] == ["reporter", "management"]
    memberships.membership_remove(actor=coordinator, membership_id=membership.pk)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    removed = AuditEntry.objects.get(action="accounts.membership.removed")
    assert removed.changes["user"][0] == person.email
    assert User.objects.filter(pk=person.pk).exists()
    own = coordinator.memberships.get()
    with pytest.raises(services.InvitationError, match="minst en samordnare"):
        memberships.membership_remove(actor=coordinator, membership_id=own.pk)


@pytest.mark.django_db(transaction=True)
def test_invite_user_prints_the_url_last_after_the_console_email(
    coordinator, jour, settings, capsys
):
    # given the console e-mail backend, as in the embedded default
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    # when
    call_command(
        "invite_user", "cli@example.se", "--organisation", str(jour.pk), "--role", "reporter"
    )
    # then the e-mail was printed first and the URL is the last line
    out = capsys.readouterr().out
    last = out.strip().splitlines()[-1]
    token = last.split("/inbjudan/")[1].rstrip("/")
    assert last == services.invitation_url(token)
    assert services.invitation_for_token(token).email == "cli@example.se"
    assert out.index("To: cli@example.se") < out.index(last)


@pytest.mark.django_db
def test_national_admin_invites_a_coordinator_for_any_county(client, make_user):
    admin = make_user("national_admin", organisation=OrganisationFactory(county=None))
    client.force_login(admin)
    url = reverse("actors:national-coordinators")
    assert client.get(url).status_code == 200
    response = client.post(url, {"county": county("25").pk, "email": "ny@lst-bd.example"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="ny@lst-bd.example")
    assert invitation.role == Role.COORDINATOR
    assert invitation.organisation.county.code == "25"
    assert invitation.organisation.kind == OrganisationKind.LANSSTYRELSE
    # nobody else uses the page
    client.force_login(make_user("coordinator"))
    assert client.get(url).status_code == 403


HOSTILE = ["", "\x00", "a\x07b", "<script>alert(1)</script>", "å" * 5000, "🙂" * 100, "1e309"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_passwords_and_tokens_never_crash(client, coordinator, jour, value):
    _invitation, token = _invite(coordinator, jour)
    url = reverse("actors:invitation-accept", args=[token])
    response = client.post(url, {"new_password1": value, "new_password2": value})
    created = User.objects.filter(email="ny@blenda.example").first()
    if response.status_code == 302:  # a long odd password is still a password
        assert created is not None
        assert created.check_password(value)
    else:
        assert response.status_code == 400
        assert "This field" not in response.content.decode()
        assert "lösenord" in response.content.decode().lower()
        assert created is None
    odd = client.get("/inbjudan/" + "x" * 500 + "/")
    assert odd.status_code == 404


@pytest.mark.django_db
def test_an_invitation_to_an_organisation_that_has_closed_is_refused(client, coordinator, jour):
    _invitation, token = _invite(coordinator, jour)
    jour.active_until = timezone.localdate() - datetime.timedelta(days=1)
    jour.save()
    response = client.post(
        reverse("actors:invitation-accept", args=[token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 400
    assert "inte längre aktiv" in response.content.decode()
    assert not User.objects.filter(email="ny@blenda.example").exists()
