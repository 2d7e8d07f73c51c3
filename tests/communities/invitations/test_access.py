"""Who may reach the invitation pages, and the facilitators' list of invitations."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from communities.models import Community, Invitation
from communities.services.invitations import (
    invitation_accept,
    invitation_create_many,
    invitation_resend,
    invitation_revoke,
)
from members.models import User
from tests.communities.invitations.helpers import (
    LIST_URL,
    Capture,
    in_english,
    invitation_of,
    invite,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- Who may do what -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("member", 403), ("core_member", 403), ("sponsor", 403), ("outsider", 404)],
)
def test_only_facilitators_and_site_admins_reach_the_invitation_pages(
    client: Client,
    request: pytest.FixtureRequest,
    open_invitation: Invitation,
    persona: str,
    status: int,
    site_admin: User,
) -> None:
    hidden = Community.objects.filter(pk=open_invitation.community_id)
    hidden.update(is_listed=False)
    client.force_login(request.getfixturevalue(persona))
    base = LIST_URL
    assert client.get(base).status_code == status
    assert client.post(base, {"addresses": "x@example.org", "expires_in_days": 14}).status_code == (
        status
    )
    assert client.post(f"{base}{open_invitation.pk}/resend/").status_code == status
    assert client.post(f"{base}{open_invitation.pk}/revoke/").status_code == status
    open_invitation.refresh_from_db()
    assert open_invitation.state == Invitation.State.PENDING
    assert Invitation.objects.count() == 1

    client.force_login(site_admin)
    assert client.get(base).status_code == 200


def test_members_of_a_listed_community_get_403_on_the_invitation_list(
    client: Client, member: User, community: Community
) -> None:
    client.force_login(member)
    assert client.get(LIST_URL).status_code == 403


def test_services_refuse_people_who_may_not_manage_the_community(
    member: User, open_invitation: Invitation
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invitation_create_many(
            community=open_invitation.community, invited_by=member, addresses="x@example.org"
        )
    with pytest.raises(PermissionDenied):
        invitation_resend(invitation=open_invitation, by=member)
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=open_invitation, by=member)


def test_resend_and_revoke_need_post(
    client: Client, facilitator: User, open_invitation: Invitation
) -> None:
    client.force_login(facilitator)
    assert client.get(f"{LIST_URL}{open_invitation.pk}/resend/").status_code == 405
    assert client.get(f"{LIST_URL}{open_invitation.pk}/revoke/").status_code == 405


# --- The facilitators' list ----------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10])
def test_the_invitation_list_takes_the_same_queries_however_many_invitations(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    invite(
        django_capture_on_commit_callbacks,
        community,
        facilitator,
        "\n".join(f"p{n}@example.org" for n in range(count)),
    )
    accepted = UserFactory()
    invitation_accept(
        invitation=invitation_of("p0@example.org"), user=accepted, charter_accepted=True
    )
    client.force_login(facilitator)
    # session, user (with the viewer's access), community, counts, page count, page rows
    with django_assert_num_queries(7):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count


def test_the_invitation_list_shows_each_status_and_filters_by_it(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "old@example.org", days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        invite(django_capture_on_commit_callbacks, community, facilitator, "open@example.org")
        invite(django_capture_on_commit_callbacks, community, facilitator, "gone@example.org")
        invitation_revoke(invitation=invitation_of("gone@example.org"), by=facilitator)
        client.force_login(facilitator)

        response = client.get(LIST_URL)
        statuses = {i.email: i.status for i in response.context["page"].object_list}
        assert statuses == {
            "old@example.org": "expired",
            "open@example.org": "pending",
            "gone@example.org": "revoked",
        }
        assert response.context["counts"] == {
            "pending": 1,
            "expired": 1,
            "accepted": 0,
            "revoked": 1,
        }
        body = response.content.decode()
        assert "Fenna Facilitator" in body

        response = client.get(LIST_URL, {"status": "expired"})
        assert [i.email for i in response.context["page"].object_list] == ["old@example.org"]


def test_an_empty_invitation_list_says_what_to_do(
    client: Client, facilitator: User, community: Community
) -> None:
    client.force_login(in_english(facilitator))
    response = client.get(LIST_URL)
    assert "Nobody has been invited yet" in response.content.decode()
