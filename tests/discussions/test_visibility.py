"""The visibility querysets are built once per user object: only their shape is kept,
so a change in the data shows in the same request."""

from communities.models import Community, Membership
from communities.services.memberships import membership_grant
from discussions.permissions import replies_visible_to, threads_visible_to
from discussions.services.posts import reply_create, thread_create
from members.models import User


def test_a_new_membership_shows_in_the_same_request(
    community: Community, member: User, outsider: User, site_admin: User
) -> None:
    thread = thread_create(community=community, author=member, kind="tip", title="T", body="b")
    reply_create(thread=thread, author=member, body="r")
    assert not threads_visible_to(outsider).exists()
    assert not replies_visible_to(outsider).exists()
    membership_grant(
        community=community, user=outsider, role=Membership.Role.MEMBER, granted_by=site_admin
    )
    assert list(threads_visible_to(outsider)) == [thread]
    assert replies_visible_to(outsider).count() == 1


def test_callers_get_their_own_copy(community: Community, member: User) -> None:
    thread_create(community=community, author=member, kind="tip", title="T", body="b")
    first = threads_visible_to(member)
    assert list(first.filter(title="nothing")) == []
    assert threads_visible_to(member).count() == 1
    assert first is not threads_visible_to(member)
