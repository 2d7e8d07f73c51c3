"""The membership lifecycle, through the views a person would use."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from communities.models import AuditEvent, Community, Membership
from communities.services.communities import community_update
from communities.services.memberships import (
    membership_change_role,
    membership_leave,
    membership_remove,
)
from members.models import User
from tests.conftest import make_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_community(site_admin: User, facilitator: User) -> Community:
    return make_community(
        site_admin,
        facilitator,
        "aanjagers",
        charter="Deel wat je leerde.",
        join_policy=Community.JoinPolicy.OPEN,
    )


@pytest.fixture
def approval_community(site_admin: User, facilitator: User) -> Community:
    return make_community(
        site_admin,
        facilitator,
        "ehealth",
        charter="Vertrouwelijk.",
        join_policy=Community.JoinPolicy.APPROVAL,
    )


def _membership(user: User, community: Community) -> Membership:
    return Membership.objects.get(user=user, community=community)


def test_joining_an_open_community_needs_the_charter_accepted(
    client: Client, outsider: User, open_community: Community
) -> None:
    client.force_login(outsider)
    response = client.post("/communities/aanjagers/join/", {})
    assert response.status_code == 200
    assert "accept_charter" in response.context["form"].errors
    assert not Membership.objects.filter(user=outsider).exists()

    response = client.post("/communities/aanjagers/join/", {"accept_charter": "on"})
    assert response.status_code == 302
    membership = _membership(outsider, open_community)
    assert membership.state == Membership.State.ACTIVE
    assert membership.charter_version_accepted == open_community.charter_version
    assert AuditEvent.objects.filter(action=AuditEvent.Action.JOINED, subject=outsider).exists()


def test_approval_communities_cannot_be_joined_in_one_click(
    client: Client, outsider: User, approval_community: Community
) -> None:
    client.force_login(outsider)
    client.post("/communities/ehealth/join/", {"accept_charter": "on"})
    assert not Membership.objects.filter(user=outsider).exists()


def test_a_request_is_approved_and_both_sides_are_told(
    client: Client,
    outsider: User,
    facilitator: User,
    approval_community: Community,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/communities/ehealth/request/",
            {"accept_charter": "on", "message": "Ik leid een e-health project."},
        )
    membership = _membership(outsider, approval_community)
    assert membership.state == Membership.State.REQUESTED
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    assert "Ik leid een e-health project." in mail.outbox[0].body

    page = client.get("/communities/ehealth/")
    assert page.context["membership"].state == Membership.State.REQUESTED

    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/communities/ehealth/requests/{membership.pk}/approve/")
    assert response.status_code == 302
    assert _membership(outsider, approval_community).state == Membership.State.ACTIVE
    assert mail.outbox[-1].to == [outsider.email]


def test_a_declined_request_carries_the_reason_to_the_requester(
    client: Client,
    outsider: User,
    facilitator: User,
    approval_community: Community,
    django_capture_on_commit_callbacks,
) -> None:
    client.force_login(outsider)
    client.post("/communities/ehealth/request/", {"accept_charter": "on"})
    membership = _membership(outsider, approval_community)

    client.force_login(facilitator)
    url = f"/communities/ehealth/requests/{membership.pk}/decline/"
    assert "reason" in client.post(url, {"reason": ""}).context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Alleen voor projectleiders."})
    assert _membership(outsider, approval_community).state == Membership.State.DECLINED
    assert mail.outbox[-1].to == [outsider.email]
    assert "Alleen voor projectleiders." in mail.outbox[-1].body

    client.force_login(outsider)
    assert b"Alleen voor projectleiders." in client.get("/communities/ehealth/").content


def test_members_cannot_decide_requests(client: Client, member: User, community: Community) -> None:
    client.force_login(member)
    assert client.get(f"/communities/{community.slug}/requests/").status_code == 403


def test_the_last_facilitator_cannot_leave(facilitator: User, community: Community) -> None:
    with pytest.raises(ValidationError):
        membership_leave(community=community, user=facilitator)


def test_the_last_facilitator_cannot_be_demoted_or_removed(
    facilitator: User, site_admin: User, community: Community
) -> None:
    membership = _membership(facilitator, community)
    with pytest.raises(ValidationError):
        membership_change_role(membership=membership, role=Membership.Role.MEMBER, by=site_admin)
    with pytest.raises(ValidationError):
        membership_remove(membership=membership, by=site_admin)


def test_a_facilitator_can_step_down_once_another_takes_over(
    facilitator: User, member: User, community: Community
) -> None:
    membership_change_role(
        membership=_membership(member, community), role=Membership.Role.FACILITATOR, by=facilitator
    )
    membership_leave(community=community, user=facilitator)
    assert _membership(facilitator, community).state == Membership.State.LEFT


def test_removed_members_lose_access_and_the_removal_is_audited(
    client: Client, member: User, facilitator: User, community: Community
) -> None:
    client.force_login(facilitator)
    url = f"/communities/{community.slug}/memberships/{_membership(member, community).pk}/remove/"
    client.post(url, {"reason": "Deelde vertrouwelijke informatie."})
    assert _membership(member, community).state == Membership.State.REMOVED
    event = AuditEvent.objects.get(action=AuditEvent.Action.REMOVED)
    assert (event.actor, event.subject) == (facilitator, member)
    client.force_login(member)
    assert client.get(f"/c/{community.slug}/threads/").status_code == 403


def test_a_changed_charter_asks_members_to_accept_again(
    client: Client, member: User, facilitator: User, community: Community
) -> None:
    community_update(community=community, by=facilitator, charter="Nieuwe afspraken.")
    community.refresh_from_db()
    assert _membership(member, community).needs_charter_acceptance
    client.force_login(member)
    assert client.get(f"/communities/{community.slug}/").context["needs_charter"]
    client.post(f"/communities/{community.slug}/charter/", {"accept_charter": "on"})
    assert not _membership(member, community).needs_charter_acceptance


def test_role_changes_are_audited(facilitator: User, member: User, community: Community) -> None:
    membership_change_role(
        membership=_membership(member, community), role=Membership.Role.CORE, by=facilitator
    )
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGED, subject=member).latest(
        "pk"
    )
    assert event.detail == {"old_role": Membership.Role.MEMBER, "role": Membership.Role.CORE}


def test_leaving_is_a_post_with_a_confirmation_page(
    client: Client, member: User, community: Community
) -> None:
    client.force_login(member)
    assert client.get(f"/communities/{community.slug}/leave/").status_code == 200
    assert _membership(member, community).state == Membership.State.ACTIVE
    client.post(f"/communities/{community.slug}/leave/")
    assert _membership(member, community).state == Membership.State.LEFT


def test_someone_not_in_the_community_cannot_leave_it(outsider: User, community: Community) -> None:
    with pytest.raises(ValidationError):
        membership_leave(community=community, user=outsider)
