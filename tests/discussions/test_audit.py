"""A moderator's delete and restore of a thread or a reply is in the community's log,
with the post's author as subject and the post's ids, never its text."""

import pytest
from django.test import Client

from communities.models import AuditEvent, Community
from discussions.models import Thread
from discussions.services.posts import (
    reply_create,
    reply_delete,
    reply_restore,
    thread_delete,
    thread_restore,
)
from members.models import User

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def _log(community: Community) -> list[tuple[str, int | None, dict[str, object]]]:
    return [
        (event.action, event.subject_id, event.detail)
        for event in AuditEvent.objects.filter(
            community=community, action__in=[A.POST_DELETED, A.POST_RESTORED]
        ).order_by("pk")
    ]


def test_a_moderator_deleting_and_restoring_a_thread_is_logged_once_each(
    client: Client, community: Community, thread: Thread, member: User, facilitator: User
) -> None:
    client.force_login(facilitator)
    for _twice in range(2):
        assert client.post(f"/t/{thread.pk}/delete/").status_code == 302
    for _twice in range(2):
        assert client.post(f"/t/{thread.pk}/restore/").status_code == 302
    ids = {"thread_id": thread.pk}
    assert _log(community) == [(A.POST_DELETED, member.pk, ids), (A.POST_RESTORED, member.pk, ids)]


def test_a_moderator_deleting_and_restoring_a_reply_is_logged_with_its_ids(
    community: Community, thread: Thread, core_member: User, facilitator: User
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Antwoord")
    reply_delete(reply=reply, by=facilitator)
    reply_delete(reply=reply, by=facilitator)
    reply_restore(reply=reply, by=facilitator)
    reply_restore(reply=reply, by=facilitator)
    ids = {"thread_id": thread.pk, "reply_id": reply.pk}
    assert _log(community) == [
        (A.POST_DELETED, core_member.pk, ids),
        (A.POST_RESTORED, core_member.pk, ids),
    ]


def test_an_author_deleting_their_own_post_is_not_a_moderation_event(
    community: Community, thread: Thread, member: User, facilitator: User
) -> None:
    reply = reply_create(thread=thread, author=member, body="Oeps")
    reply_delete(reply=reply, by=member)
    thread_delete(thread=thread, by=member)
    assert _log(community) == []
    thread_restore(thread=thread, by=facilitator)
    assert _log(community) == [(A.POST_RESTORED, member.pk, {"thread_id": thread.pk})]
