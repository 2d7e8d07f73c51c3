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
    CODE_RE,
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


def test_a_stranger_sees_what_they_are_invited_to_and_how_to_get_in(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(
        django_capture_on_commit_callbacks,
        community,
        facilitator,
        "ann@example.org",
        "Jij weet veel van e-health.",
    )
    token = token_sent_to("ann@example.org")

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
    signup = response.context["signup_url"]
    assert signup.startswith(reverse("account_signup") + "?")
    assert "email=ann%40example.org" in signup
    assert f"next={landing(token).replace('/', '%2F')}" in signup
    assert f'action="{reverse("account_request_login_code")}"' in body
    assert f'name="next" value="{landing(token)}"' in body


def test_a_stranger_signs_up_by_emailed_code_and_comes_back_to_accept(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")
    signup_url = client.get(landing(token)).context["signup_url"]

    page = client.get(signup_url)
    assert page.context["form"]["email"].value() == "ann@example.org"
    response = client.post(
        signup_url, {"email": "ann@example.org", "display_name": "Ann", "next": landing(token)}
    )
    assert response.status_code == 302
    code = CODE_RE.search(mail.outbox[-1].body)
    assert code is not None
    response = client.post(response.url, {"code": code.group(1)})

    assert response.status_code == 302
    assert response.url == landing(token)
    response = client.get(response.url)
    assert "accept_charter" in response.context["form"].fields

    response = client.post(landing(token), {"accept_charter": "on"})

    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    ann = User.objects.get(email="ann@example.org")
    membership = Membership.objects.get(user=ann, community=community)
    assert membership.state == Membership.State.ACTIVE
    assert membership.charter_version_accepted == community.charter_version
    invitation = invitation_of("ann@example.org")
    assert invitation.state == Invitation.State.ACCEPTED
    assert invitation.accepted_by == ann
    event = AuditEvent.objects.get(action=A.INVITATION_ACCEPTED, subject=ann)
    assert event.detail["invited_by"] == facilitator.pk
    assert "other_address" not in event.detail


def test_someone_with_an_account_logs_in_by_code_and_comes_back(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email)
    token = token_sent_to(outsider.email)

    response = client.post(
        reverse("account_request_login_code"), {"email": outsider.email, "next": landing(token)}
    )
    assert response.status_code == 302
    code = CODE_RE.search(mail.outbox[-1].body)
    assert code is not None
    response = client.post(response.url, {"code": code.group(1)})

    assert response.status_code == 302
    assert response.url == landing(token)


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
