"""Issue 13 item 3: an organisation with no person yet gets, in the round's e-mail to its
functional mailbox, a one-time invitation link, so it can answer its first yttrande that day."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from followup import services
from kvinnofrid.accounts.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def test_a_new_actor_is_invited_in_the_round_email(world, client):
    # given Tranås has a functional mailbox but nobody in Kvinnofrid any more
    Membership.objects.filter(organisation=world.other_org).delete()
    world.other_org.email = "kansli@tranas.example"
    world.other_org.save(update_fields=["email"])
    # when the round's invitations go out
    assert services.round_send_invitations(round_id=world.round.pk) == 2
    # then Tranås's e-mail holds a working one-time link, Aneby's (it has a reporter) none
    tranas = next(m for m in mail.outbox if "kansli@tranas.example" in m.to)
    aneby = next(m for m in mail.outbox if "kansli@aneby.example" in m.to)
    assert "/inbjudan/" not in aneby.body
    link = re.search(r"https?://\S+/inbjudan/\S+/", tranas.body).group(0)
    invitation = Invitation.objects.get(organisation=world.other_org)
    assert (invitation.email, invitation.role) == ("kansli@tranas.example", Role.REPORTER)
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "new_password1" in page.content.decode()
    # and a second run sends nothing and invites nobody again
    assert services.round_send_invitations(round_id=world.round.pk) == 0
    assert Invitation.objects.filter(organisation=world.other_org).count() == 1
