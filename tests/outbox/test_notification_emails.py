"""Notification emails: grouped per thread, in the recipient's language, re-checked at
send time, with one-click mute and stop links that need no login."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.memberships import membership_remove
from discussions.models import Notification, Subscription, Thread
from discussions.services.moderation import flag_create
from discussions.services.posts import reply_create, thread_create
from discussions.services.subscriptions import subscription_set
from members.models import User
from outbox.models import Message, Preference
from outbox.preferences import preference_mode
from outbox.services import messages_sweep

pytestmark = pytest.mark.django_db


def _flush() -> None:
    """Past the grouping window: the sweeper hands every due message to the (eager)
    worker."""
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        messages_sweep()


def _question(community: Community, author: User, title: str = "Hoe begin ik?") -> Thread:
    return thread_create(
        community=community, author=author, kind=Thread.Kind.QUESTION, title=title, body="Tips?"
    )


def _to(user: User) -> list[Any]:
    return [m for m in mail.outbox if m.to == [user.email]]


def _link(message: Any, start: str) -> str:
    for word in message.body.split():
        if word.startswith(start):
            return word
    raise AssertionError(f"no link starting with {start}")


def test_a_reply_to_you_is_emailed_once_in_your_language(
    community: Community, member: User, facilitator: User
) -> None:
    User.objects.filter(pk=member.pk).update(language="en")
    thread = _question(community, member)
    mail.outbox.clear()
    reply_create(thread=thread, author=facilitator, body="Begin klein.")
    assert _to(member) == []  # held back for the grouping window
    _flush()
    _flush()
    [email] = _to(member)
    assert "replied to you" in email.subject
    assert "Begin klein." in email.body
    assert "Replies to it are not read" in email.body
    assert email.reply_to == ["noreply@localhost"]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(recipient=member).emailed_at is not None


def test_replies_within_the_window_arrive_as_one_email(
    community: Community, member: User, facilitator: User, core_member: User
) -> None:
    thread = _question(community, member)
    mail.outbox.clear()
    reply_create(thread=thread, author=facilitator, body="Eerste antwoord.")
    reply_create(thread=thread, author=core_member, body="Tweede antwoord.")
    _flush()
    [email] = _to(member)
    assert "Eerste antwoord." in email.body and "Tweede antwoord." in email.body
    assert email.subject.startswith("2 ")


def test_watched_activity_waits_for_the_digest_by_default(
    community: Community, member: User, facilitator: User, core_member: User
) -> None:
    thread = _question(community, member)
    subscription_set(user=core_member, thread=thread, level=Subscription.Level.WATCH)
    mail.outbox.clear()
    reply_create(thread=thread, author=facilitator, body="Antwoord.")
    _flush()
    assert _to(core_member) == []
    assert _to(member) != []


def test_someone_removed_before_sending_gets_nothing(
    community: Community, member: User, facilitator: User, site_admin: User
) -> None:
    thread = _question(community, member)
    reply_create(thread=thread, author=facilitator, body="Vertrouwelijk antwoord.")
    membership_remove(
        membership=Membership.objects.get(community=community, user=member), by=site_admin
    )
    mail.outbox.clear()
    _flush()
    assert _to(member) == []
    assert Message.objects.get(recipient=member).state == Message.State.SKIPPED


def test_mute_from_the_email_without_logging_in(
    community: Community, member: User, facilitator: User
) -> None:
    thread = _question(community, member)
    reply_create(thread=thread, author=facilitator, body="Eén.")
    _flush()
    mute = _link(_to(member)[0], "http://127.0.0.1:8000/email/a/")
    path = mute.removeprefix("http://127.0.0.1:8000")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200 and thread.title in page.content.decode()
    assert Subscription.objects.filter(user=member, level="mute").count() == 0
    assert client.post(path).status_code == 200
    assert Subscription.objects.get(user=member, thread=thread).level == "mute"
    mail.outbox.clear()
    reply_create(thread=thread, author=facilitator, body="Twee.")
    _flush()
    assert _to(member) == []


def test_list_unsubscribe_one_click_post_needs_no_session_or_csrf(
    community: Community, member: User, facilitator: User
) -> None:
    thread = _question(community, member)
    reply_create(thread=thread, author=facilitator, body="Eén.")
    _flush()
    header = _to(member)[0].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix("http://127.0.0.1:8000")
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert preference_mode(member, "discussions.reply", community.pk) == Preference.Mode.OFF


def test_a_tampered_or_expired_link_does_nothing(
    community: Community, member: User, facilitator: User
) -> None:
    thread = _question(community, member)
    reply_create(thread=thread, author=facilitator, body="Eén.")
    _flush()
    path = _link(_to(member)[0], "http://127.0.0.1:8000/email/a/").removeprefix(
        "http://127.0.0.1:8000"
    )
    client = Client()
    assert client.post(path[:-3] + "xx/").status_code == 404
    with time_machine.travel(timezone.now() + timedelta(days=61)):
        assert client.post(path).status_code == 404
    assert not Subscription.objects.filter(user=member, thread=thread).exists()


def test_a_flag_is_emailed_to_the_facilitators(
    community: Community, member: User, facilitator: User, core_member: User
) -> None:
    thread = _question(community, member)
    _flush()
    mail.outbox.clear()
    flag_create(reporter=core_member, post=thread, reason="Reclame.")
    _flush()
    [email] = _to(facilitator)
    assert "Reclame." in email.body
    assert _to(core_member) == [] and _to(member) == []


def test_a_new_members_first_question_is_emailed_to_the_facilitators(
    community: Community, member: User, facilitator: User
) -> None:
    _question(community, member)
    _flush()
    first = [m for m in _to(facilitator) if "first question" in m.subject or "eerste" in m.subject]
    assert len(first) == 1
    mail.outbox.clear()
    _question(community, member, title="Nog een vraag")
    _flush()
    assert _to(facilitator) == []


def test_the_preferences_page_saves_a_choice_per_community(
    client: Client,
    community: Community,
    member: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    client.force_login(member)
    client.get("/email/preferences/")
    # session, user, the choices made, the communities
    with django_assert_num_queries(4):
        page = client.get("/email/preferences/")
    assert community.name in page.content.decode()
    response = client.post(
        "/email/preferences/",
        {f"discussions.reply:{community.pk}": "digest", f"digest:{community.pk}": "daily"},
    )
    assert response.status_code == 302
    assert preference_mode(member, "discussions.reply", community.pk) == "digest"
    assert preference_mode(member, "digest", community.pk) == "daily"


def test_posting_works_while_redis_is_down(
    community: Community,
    member: User,
    facilitator: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from celery.app.task import Task
    from kombu.exceptions import OperationalError

    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    thread = _question(community, member)
    monkeypatch.setattr(Task, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_create(thread=thread, author=facilitator, body="Toch opgeslagen.")
    assert reply.pk is not None
    monkeypatch.undo()
    # Once Redis is back, the sweeper sends what waited.
    mail.outbox.clear()
    _flush()
    assert len(_to(member)) == 1


def test_opening_the_thread_marks_its_notifications_read(
    community: Community, member: User, facilitator: User, client: Client
) -> None:
    thread = _question(community, member)
    other = _question(community, member, title="Andere vraag")
    reply_create(thread=thread, author=facilitator, body="Eén.")
    reply_create(thread=other, author=facilitator, body="Twee.")
    client.force_login(member)
    assert client.get(f"/t/{thread.pk}/").status_code == 200
    unread = Notification.objects.filter(recipient=member, read_at__isnull=True)
    assert list(unread.values_list("thread_id", flat=True)) == [other.pk]
