"""The admin writes only through the services: a change there leaves its audit row, and
what has no service (posts, memberships, invitations) cannot be changed there at all."""

import pytest
from django.test import Client

from communities.models import COMMUNITY_SETTINGS_FIELDS, AuditEvent, Community, Membership
from discussions.models import Thread
from discussions.services.posts import thread_create
from members.models import User

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def _admin_client(site_admin: User) -> Client:
    site_admin.is_staff = True
    site_admin.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(site_admin)
    return client


def _community_form(community: Community, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        field: getattr(community, field) for field in COMMUNITY_SETTINGS_FIELDS
    }
    data.update({"stage": community.stage, **changes})
    for flag in ("is_listed", "is_confidential"):
        if not data[flag]:
            del data[flag]
    # The read-only membership inline still sends its management form.
    prefix = "memberships"
    data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def test_a_settings_change_in_the_admin_is_audited_like_one_on_the_site(
    community: Community, site_admin: User
) -> None:
    client = _admin_client(site_admin)
    url = f"/admin/communities/community/{community.pk}/change/"
    response = client.post(url, _community_form(community, name="E-health NL", stage="maturing"))
    assert response.status_code == 302, response.content.decode()[:2000]
    community.refresh_from_db()
    assert (community.name, community.stage) == ("E-health NL", "maturing")
    events = AuditEvent.objects.filter(community=community, actor=site_admin)
    assert set(events.values_list("action", flat=True)) >= {A.COMMUNITY_UPDATED, A.STAGE_CHANGED}
    assert events.get(action=A.COMMUNITY_UPDATED).detail == {"fields": ["name"]}


def test_a_community_added_in_the_admin_gets_its_facilitator_and_history(
    site_admin: User,
) -> None:
    client = _admin_client(site_admin)
    data = {
        "slug": "zorgdata",
        "name": "Zorgdata",
        "focus": "f",
        "urgency": "u",
        "member_value": "m",
        "charter": "",
        "language": "nl",
        "join_policy": "open",
        "visibility": "members",
        "is_listed": "on",
        "stage": "potential",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/communities/community/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    community = Community.objects.get(slug="zorgdata")
    assert community.memberships.get().role == Membership.Role.FACILITATOR
    assert community.audit_events.filter(action=A.COMMUNITY_CREATED).exists()


def test_posts_memberships_and_invitations_are_read_only_in_the_admin(
    community: Community, member: User, site_admin: User
) -> None:
    thread = thread_create(
        community=community, author=member, kind="question", title="Vraag", body="Hoe?"
    )
    client = _admin_client(site_admin)
    url = f"/admin/discussions/thread/{thread.pk}/change/"
    assert client.get(url).status_code == 200  # shown
    client.post(url, {"title": "Gewijzigd", "body": "Anders", "kind": "question"})
    assert Thread.objects.get(pk=thread.pk).title == "Vraag"
    membership = Membership.objects.get(community=community, user=member)
    for path in (
        "/admin/discussions/thread/add/",
        "/admin/discussions/reply/add/",
        "/admin/communities/membership/add/",
        "/admin/communities/invitation/add/",
        f"/admin/discussions/thread/{thread.pk}/delete/",
        f"/admin/communities/membership/{membership.pk}/delete/",
        f"/admin/communities/community/{community.pk}/delete/",
    ):
        assert client.get(path).status_code == 403, path
