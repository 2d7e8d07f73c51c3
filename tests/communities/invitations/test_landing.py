"""The invitation link: what it says when closed, signing up or logging in by emailed
code, accepting the way of working."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import AuditEvent, Community, Invitation, Membership
from communities.services.communities import community_create
from communities.services.invitations import (
    invitation_accept,
    invitation_revoke,
)
from members.models import User
from tests.communities.invitations.helpers import (
    Capture,
    invitation_of,
    invite,
    landing,
    token_sent_to,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

A = AuditEvent.Action


# --- The landing page ----------------------------------------------------------------


def test_an_unknown_token_gets_a_404_that_names_no_community(
    client: Client, community: Community
) -> None:
    response = client.get(landing("no-such-token"))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert community.name not in response.content.decode()


def test_an_expired_link_says_so_and_offers_a_listed_community_to_request_access(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org", days=1)
    token = token_sent_to("ann@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = client.get(landing(token))
    assert response.status_code == 200
    assert response.context["status"] == "expired"
    body = response.content.decode()
    assert "This invitation has expired" in body
    assert community.name in body
    assert community.get_absolute_url() in body


def test_a_closed_link_of_an_unlisted_community_does_not_name_it(
    client: Client,
    site_admin: User,
    facilitator: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    hidden = community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Stille groep",
        slug="stil",
        focus="f",
        urgency="u",
        member_value="m",
        is_listed=False,
    )
    invite(django_capture_on_commit_callbacks, hidden, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")
    invitation_revoke(invitation=invitation_of("ann@example.org"), by=facilitator)

    response = client.get(landing(token))

    assert response.context["status"] == "revoked"
    assert response.context["community"] is None
    assert "Stille groep" not in response.content.decode()
    assert "/communities/stil/" not in response.content.decode()


def test_a_used_link_says_it_was_used_and_the_member_is_shown_the_way_in(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email)
    token = token_sent_to(outsider.email)
    invitation_accept(
        invitation=invitation_of(outsider.email), user=outsider, charter_accepted=True
    )

    response = client.get(landing(token))
    assert response.context["status"] == "accepted"
    assert "This invitation has already been used" in response.content.decode()
    assert response.context["is_member"] is False

    client.force_login(outsider)
    response = client.get(landing(token))
    assert response.context["is_member"] is True
    assert community.get_absolute_url() in response.content.decode()


def test_accepting_requires_the_charter_checkbox(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email)
    token = token_sent_to(outsider.email)
    client.force_login(outsider)

    response = client.post(landing(token), {})

    assert response.status_code == 200
    assert "accept_charter" in response.context["form"].errors
    assert not Membership.objects.filter(user=outsider, community=community).exists()
    assert invitation_of(outsider.email).state == Invitation.State.PENDING
    with pytest.raises(ValidationError):
        invitation_accept(
            invitation=invitation_of(outsider.email), user=outsider, charter_accepted=False
        )


def test_accepting_with_another_address_works_and_is_noted_in_the_audit_log(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "work@example.org")
    token = token_sent_to("work@example.org")
    client.force_login(outsider)

    page = client.get(landing(token))
    assert page.context["other_address"] is True
    response = client.post(landing(token), {"accept_charter": "on"})

    assert response.status_code == 302
    assert Membership.objects.get(user=outsider, community=community).state == "active"
    event = AuditEvent.objects.get(action=A.INVITATION_ACCEPTED, subject=outsider)
    assert event.detail["other_address"] is True
    assert event.detail["email"] == "work@example.org"
    assert event.detail["accepted_as"] == outsider.email
    # The link admitted once.
    client.force_login(UserFactory())
    assert client.get(landing(token)).context["status"] == "accepted"


def test_an_active_member_accepting_only_marks_the_invitation_used(
    client: Client,
    facilitator: User,
    core_member: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    # Invited before becoming a member some other way.
    invite(django_capture_on_commit_callbacks, community, facilitator, "later@example.org")
    token = token_sent_to("later@example.org")
    client.force_login(core_member)

    assert client.get(landing(token)).context["already_member"] is True
    response = client.post(landing(token), {})

    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    membership = Membership.objects.get(user=core_member, community=community)
    assert membership.role == Membership.Role.CORE
    assert invitation_of("later@example.org").state == Invitation.State.ACCEPTED
    event = AuditEvent.objects.get(action=A.INVITATION_ACCEPTED, subject=core_member)
    assert event.detail["already_member"] is True


def test_a_stranger_sees_what_they_are_invited_to_and_joins_from_that_page(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(
        django_capture_on_commit_callbacks,
        community,
        facilitator,
        "ann.de-vries@example.org",
        "Jij weet veel van e-health.",
    )
    token = token_sent_to("ann.de-vries@example.org")

    response = client.get(landing(token))

    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        community.name,
        community.focus,
        community.charter,
        "Fenna Facilitator",
        "Jij weet veel van e-health.",
    ]:
        assert text in body
    form = response.context["form"]
    # The name is guessed from the address, for the invitee to correct.
    assert form["display_name"].value() == "Ann De Vries"
    assert "accept_charter" in form.fields
    assert reverse("account_signup") + "?" not in body


def test_a_stranger_joins_in_one_step_with_the_address_verified_by_the_link(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from allauth.account.models import EmailAddress

    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")
    sent = len(mail.outbox)

    response = client.post(
        landing(token), {"display_name": " Ann  Jansen ", "accept_charter": "on"}
    )

    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    ann = User.objects.get(email="ann@example.org")
    assert ann.display_name == "Ann Jansen"
    assert ann.language == "en"
    assert not ann.has_usable_password()
    address = EmailAddress.objects.get(user=ann)
    assert (address.email, address.verified, address.primary) == ("ann@example.org", True, True)
    membership = Membership.objects.get(user=ann, community=community)
    assert membership.state == Membership.State.ACTIVE
    assert membership.charter_version_accepted == community.charter_version
    invitation = invitation_of("ann@example.org")
    assert invitation.state == Invitation.State.ACCEPTED
    assert invitation.accepted_by == ann
    event = AuditEvent.objects.get(action=A.INVITATION_ACCEPTED, subject=ann)
    assert event.detail["invited_by"] == facilitator.pk
    assert event.detail["by_link"] is True
    assert "other_address" not in event.detail
    # Signed in, without a second email.
    assert len(mail.outbox) == sent
    assert client.get(community.get_absolute_url()).context["user"] == ann


def test_a_stranger_without_name_or_charter_is_asked_again_and_nothing_is_created(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")

    response = client.post(landing(token), {"display_name": "   "})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"display_name", "accept_charter"}
    assert not User.objects.filter(email="ann@example.org").exists()
    assert invitation_of("ann@example.org").state == Invitation.State.PENDING


def test_someone_with_an_account_is_signed_in_by_the_link_never_sent_to_sign_up(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email.upper())
    token = token_sent_to(outsider.email)

    page = client.get(landing(token))
    assert page.context["account"] == outsider
    assert "display_name" not in page.context["form"].fields
    assert outsider.name in page.content.decode()

    response = client.post(landing(token), {"accept_charter": "on", "display_name": "Other"})

    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    outsider.refresh_from_db()
    assert outsider.display_name != "Other"
    assert Membership.objects.get(user=outsider, community=community).state == "active"
    assert client.get(community.get_absolute_url()).context["user"] == outsider
    # Single use: the same link, opened again, signs nobody in.
    client.logout()
    again = client.post(landing(token), {"accept_charter": "on"})
    assert again.context["status"] == "accepted"
    assert "_auth_user_id" not in client.session


def test_an_expired_link_signs_nobody_in(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email, days=1)
    token = token_sent_to(outsider.email)

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = client.post(landing(token), {"accept_charter": "on"})

    assert response.context["status"] == "expired"
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(user=outsider, community=community).exists()


@pytest.mark.parametrize(
    "settings_", [{"join_policy": "invite"}, {"is_confidential": True}], ids=["invite", "secret"]
)
def test_an_invitation_to_a_closed_community_belongs_to_its_address(
    client: Client,
    site_admin: User,
    facilitator: User,
    outsider: User,
    django_capture_on_commit_callbacks: Capture,
    settings_: dict[str, object],
) -> None:
    from tests.conftest import make_community

    closed = make_community(site_admin, facilitator, "closed", charter="Binnen.", **settings_)
    invite(django_capture_on_commit_callbacks, closed, facilitator, "work@example.org")
    token = token_sent_to("work@example.org")
    client.force_login(outsider)

    page = client.get(landing(token))
    assert page.context["bound_to_address"] is True
    assert "work@example.org" in page.content.decode()
    response = client.post(landing(token), {"accept_charter": "on"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user=outsider, community=closed).exists()
    with pytest.raises(ValidationError):
        invitation_accept(
            invitation=invitation_of("work@example.org"), user=outsider, charter_accepted=True
        )

    # "Log out and accept with that address": the link then lets that address in.
    response = client.post(landing(token), {"switch_account": "1"})
    assert response.status_code == 302
    assert response.url == landing(token)
    assert "_auth_user_id" not in client.session
    response = client.post(landing(token), {"display_name": "Wim", "accept_charter": "on"})
    assert response.status_code == 302
    wim = User.objects.get(email="work@example.org")
    assert Membership.objects.get(user=wim, community=closed).state == "active"
