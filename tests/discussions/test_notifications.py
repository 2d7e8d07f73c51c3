"""On-site notifications: who is told about what, recorded once, re-checked at delivery,
listed only while the thread is still readable."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import translation

from communities.models import Community, Membership
from communities.services.memberships import membership_grant, membership_remove
from discussions.context_processors import notifications as notifications_context
from discussions.models import Notification, Reply, Thread
from discussions.services.moderation import post_set_hidden
from discussions.services.notifications import (
    notification_mark_read,
    notifications_deliver,
    notify_answer_accepted,
    notify_reply_created,
    notify_thread_created,
)
from discussions.services.posts import answer_accept, reply_create, thread_create, thread_delete
from discussions.services.subscriptions import subscription_set
from discussions.tasks import deliver_notifications
from members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

K = Notification.Kind


def _thread(community: Community, author: User, body: str = "Wie heeft tips?") -> Thread:
    return thread_create(
        community=community,
        author=author,
        kind=Thread.Kind.QUESTION,
        title="Hoe krijg je collega's mee?",
        body=body,
    )


def _kinds(user: User) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def _member(community: Community, admin: User, **fields: Any) -> User:
    user = UserFactory(**fields)
    membership_grant(community=community, user=user, role=Membership.Role.MEMBER, granted_by=admin)
    return user


# Who is told -------------------------------------------------------------------------


def test_a_reply_tells_the_threads_author(thread: Thread, member: User, facilitator: User) -> None:
    reply = reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    notification = Notification.objects.get(recipient=member)
    assert (notification.kind, notification.reply, notification.actor) == (
        K.REPLY,
        reply,
        facilitator,
    )


def test_a_reply_to_a_reply_tells_its_author_and_the_watching_thread_author(
    thread: Thread, member: User, core_member: User, facilitator: User
) -> None:
    first = reply_create(thread=thread, author=core_member, body="Begin klein.")
    reply_create(thread=thread, author=facilitator, body="Eens.", parent=first)
    assert _kinds(core_member) == [K.REPLY]
    assert _kinds(member) == [K.REPLY, K.WATCHED_REPLY]  # author watches own thread


def test_people_at_normal_level_hear_nothing_of_other_replies(
    thread: Thread, core_member: User, facilitator: User
) -> None:
    reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    assert _kinds(core_member) == []


def test_watching_a_thread_tells_about_every_reply(
    thread: Thread, core_member: User, facilitator: User
) -> None:
    subscription_set(user=core_member, thread=thread, level="watch")
    reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    assert _kinds(core_member) == [K.WATCHED_REPLY]


def test_watching_a_community_tells_about_new_threads_and_their_replies(
    community: Community, member: User, core_member: User, facilitator: User
) -> None:
    subscription_set(user=core_member, community=community, level="watch")
    thread = _thread(community, member)
    reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    assert _kinds(core_member) == [K.NEW_THREAD, K.WATCHED_REPLY]


def test_muting_a_thread_silences_replies_and_mentions(
    thread: Thread, member: User, core_member: User
) -> None:
    subscription_set(user=member, thread=thread, level="mute")
    reply_create(thread=thread, author=core_member, body="Vraag het @Mira Member zelf.")
    assert _kinds(member) == []


def test_muting_a_community_silences_its_threads(
    community: Community, member: User, core_member: User, facilitator: User
) -> None:
    subscription_set(user=core_member, community=community, level="mute")
    thread = _thread(community, core_member)  # even their own thread
    reply_create(thread=thread, author=facilitator, body="@Cor Core, kijk hier.")
    assert _kinds(core_member) == []


def test_a_thread_setting_beats_the_community_setting(
    community: Community, member: User, core_member: User, facilitator: User
) -> None:
    subscription_set(user=core_member, community=community, level="mute")
    thread = _thread(community, member)
    subscription_set(user=core_member, thread=thread, level="watch")
    reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    assert _kinds(core_member) == [K.WATCHED_REPLY]


def test_nobody_is_told_about_their_own_post(thread: Thread, member: User) -> None:
    reply_create(thread=thread, author=member, body="Aanvulling van @Mira Member zelf.")
    assert _kinds(member) == []


def test_an_accepted_answer_tells_the_replys_author(
    thread: Thread, member: User, facilitator: User
) -> None:
    reply = reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    answer_accept(thread=thread, reply=reply, by=member)
    notification = Notification.objects.get(recipient=facilitator)
    assert (notification.kind, notification.actor) == (K.ACCEPTED, member)


def test_accepting_your_own_reply_tells_nobody(thread: Thread, member: User) -> None:
    reply = reply_create(thread=thread, author=member, body="Zelf gevonden.")
    answer_accept(thread=thread, reply=reply, by=member)
    assert Notification.objects.count() == 0


def test_hidden_and_deleted_posts_notify_nobody(
    thread: Thread, member: User, facilitator: User, core_member: User
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Spam")
    Notification.objects.all().delete()
    post_set_hidden(post=reply, by=facilitator, hidden=True)
    notify_reply_created(reply)
    notify_answer_accepted(thread=thread, reply=reply, by=member)
    thread_delete(thread=thread, by=member)
    notify_thread_created(thread)
    assert Notification.objects.count() == 0


def test_people_who_cannot_read_the_thread_are_never_told(
    community: Community, member: User, sponsor: User, outsider: User, facilitator: User
) -> None:
    # A subscription left from before (set while they could read) must not leak the thread.
    membership = Membership.objects.get(user=member, community=community)
    subscription_set(user=member, community=community, level="watch")
    membership_remove(membership=membership, by=facilitator)
    thread = _thread(community, facilitator, body="Voor @Mira Member en @Sam Sponsor.")
    reply_create(thread=thread, author=facilitator, body="@Otto Outsider?")
    assert Notification.objects.count() == 0


# Recorded once, delivered once -----------------------------------------------------


def test_an_event_is_recorded_once_when_the_hook_runs_twice(
    thread: Thread, member: User, facilitator: User
) -> None:
    reply = reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    notify_reply_created(reply)
    notify_reply_created(reply)
    assert Notification.objects.filter(recipient=member).count() == 1


def test_recording_hands_the_ids_to_the_delivery_task_on_commit(
    thread: Thread, member: User, facilitator: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    assert Notification.objects.filter(recipient=member).exists()
    assert callbacks  # nothing runs before the commit
    for callback in callbacks:
        callback()  # eager in tests: the task re-checks and keeps the readable row
    assert Notification.objects.filter(recipient=member).exists()


def test_a_member_removed_after_the_event_gets_nothing_at_delivery(
    community: Community,
    thread: Thread,
    member: User,
    core_member: User,
    facilitator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscription_set(user=core_member, thread=thread, level="watch")
    with django_capture_on_commit_callbacks() as callbacks:
        reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    membership_remove(
        membership=Membership.objects.get(user=core_member, community=community), by=facilitator
    )
    for callback in callbacks:
        callback()
    assert _kinds(core_member) == []
    assert _kinds(member) == [K.REPLY]


def test_delivery_drops_notifications_of_posts_hidden_since(
    thread: Thread, member: User, core_member: User, facilitator: User
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Spam")
    post_set_hidden(post=reply, by=facilitator, hidden=True)
    ids = list(Notification.objects.values_list("pk", flat=True))
    deliver_notifications(notification_ids=ids)
    assert Notification.objects.count() == 0


def test_delivery_keeps_what_the_recipient_may_still_read_and_runs_twice_alike(
    thread: Thread, member: User, facilitator: User
) -> None:
    reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notifications_deliver(notification_ids=ids) == 1
    assert notifications_deliver(notification_ids=ids) == 1
    assert list(Notification.objects.values_list("pk", flat=True)) == ids


# Performance -------------------------------------------------------------------------


@pytest.mark.parametrize("watchers", [3, 30])
def test_recording_takes_the_same_queries_for_any_number_of_watchers(
    community: Community,
    site_admin: User,
    thread: Thread,
    facilitator: User,
    watchers: int,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    for _ in range(watchers):
        subscription_set(user=_member(community, site_admin), community=community, level="watch")
    reply = Reply.objects.create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    # recipients with their levels, the insert, the ids; then the email side: their
    # email preferences, the outbox insert, the outbox ids
    with django_assert_num_queries(6):
        notify_reply_created(reply)
    assert Notification.objects.filter(reply=reply).count() == watchers + 1


# The list page -------------------------------------------------------------------------


def _page(client: Client, user: User) -> Any:
    client.force_login(user)
    return client.get("/notifications/")


def test_the_list_shows_the_unread_count_and_a_sentence_per_notification(
    thread: Thread, member: User, facilitator: User, client: Client
) -> None:
    reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    response = _page(client, member)
    assert response.status_code == 200
    assert response.context["unread_notification_count"] == 1
    content = response.content.decode()
    assert "Fenna Facilitator" in content
    assert "Hoe krijg je collega&#x27;s mee?" in content


def test_the_empty_list_says_what_to_do_next(member: User, client: Client) -> None:
    response = _page(client, member)
    assert 'class="empty-state"' in response.content.decode()
    assert "/communities/mine/" in response.content.decode()


def test_titles_in_the_list_are_escaped(
    community: Community, member: User, facilitator: User, client: Client
) -> None:
    thread = thread_create(
        community=community,
        author=member,
        kind=Thread.Kind.QUESTION,
        title="<script>alert(1)</script>",
        body="x",
    )
    reply_create(thread=thread, author=facilitator, body="y")
    assert "<script>alert" not in _page(client, member).content.decode()


def test_the_list_hides_notifications_of_threads_no_longer_readable(
    community: Community, thread: Thread, member: User, facilitator: User, client: Client
) -> None:
    reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    membership_remove(
        membership=Membership.objects.get(user=member, community=community), by=facilitator
    )
    response = _page(client, member)
    assert list(response.context["notifications"]) == []
    assert response.context["unread_notification_count"] == 0
    assert "Hoe krijg je" not in response.content.decode()


def test_the_list_hides_notifications_of_replies_hidden_since(
    thread: Thread, member: User, core_member: User, facilitator: User, client: Client
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Spam")
    post_set_hidden(post=reply, by=facilitator, hidden=True)
    assert list(_page(client, member).context["notifications"]) == []


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_query_count_does_not_grow(
    community: Community,
    facilitator: User,
    member: User,
    count: int,
    client: Client,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    thread = _thread(community, member)
    for i in range(count):
        reply_create(thread=thread, author=facilitator, body=f"Antwoord {i}")
    client.force_login(member)
    client.get("/")  # settle the session
    # session, user, page count, page rows (actor, thread, community, reply joined),
    # unread count
    with django_assert_num_queries(4):
        response = client.get("/notifications/")
    assert len(response.context["notifications"]) == count


def test_opening_a_notification_marks_it_read_and_goes_to_the_reply(
    thread: Thread, member: User, facilitator: User, client: Client
) -> None:
    reply = reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    notification = Notification.objects.get(recipient=member)
    client.force_login(member)
    response = client.post(f"/notifications/{notification.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/#reply-{reply.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_is_a_post_and_only_for_the_recipient(
    thread: Thread, member: User, core_member: User, facilitator: User, client: Client
) -> None:
    reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    notification = Notification.objects.get(recipient=member)
    client.force_login(member)
    assert client.get(f"/notifications/{notification.pk}/").status_code == 405
    client.force_login(core_member)
    assert client.post(f"/notifications/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(
    thread: Thread, member: User, core_member: User, facilitator: User, client: Client
) -> None:
    subscription_set(user=core_member, thread=thread, level="watch")
    reply_create(thread=thread, author=facilitator, body="Een.")
    reply_create(thread=thread, author=facilitator, body="Twee.")
    client.force_login(member)
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=core_member, read_at__isnull=True).count() == 2


def test_marking_someone_elses_notification_read_is_refused(
    thread: Thread, member: User, core_member: User, facilitator: User
) -> None:
    reply_create(thread=thread, author=facilitator, body="Een.")
    notification = Notification.objects.get(recipient=member)
    with pytest.raises(PermissionDenied):
        notification_mark_read(user=core_member, notification=notification)


# The header count ----------------------------------------------------------------------


HEADER_SNIPPET = (
    "{% load i18n %}"
    '<li><a href="{% url \'discussions:notifications\' %}">{% translate "Notifications" %}'
    '{% if unread_notification_count %} <span class="badge">{% blocktranslate count '
    "counter=unread_notification_count %}{{ counter }} new{% plural %}{{ counter }} new"
    "{% endblocktranslate %}</span>{% endif %}</a></li>"
)


def test_the_header_count_is_lazy_and_one_query(
    thread: Thread,
    member: User,
    facilitator: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    reply_create(thread=thread, author=facilitator, body="Een.")
    reply_create(thread=thread, author=facilitator, body="Twee.")
    request = RequestFactory().get("/")
    request.user = member
    with django_assert_num_queries(0):
        context = notifications_context(request)
    with django_assert_num_queries(1), translation.override("en"):
        html = Template(HEADER_SNIPPET).render(Context(context))
    assert (
        html
        == '<li><a href="/notifications/">Notifications <span class="badge">2 new</span></a></li>'
    )


def test_the_header_shows_no_badge_without_unread_notifications(member: User) -> None:
    request = RequestFactory().get("/")
    request.user = member
    html = Template(HEADER_SNIPPET).render(Context(notifications_context(request)))
    assert "badge" not in html


def test_the_header_count_is_absent_for_anonymous_visitors() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert notifications_context(request) == {}
