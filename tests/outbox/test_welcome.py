"""The welcome sequence: day 0, 3 and 10 after joining, each once, in the member's
language and daytime, through the outbox and its preference; it stops once the member
has posted in the community."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail

from communities.models import Community, Membership
from communities.services.memberships import membership_grant
from discussions.emails.welcome import KIND, welcome_record
from discussions.services.posts import answer_accept, reply_create, thread_create
from discussions.tasks import welcome_record as welcome_task
from members.models import User
from outbox.models import Message
from outbox.preferences import preference_set
from outbox.services import message_deliver
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox_at_once")]

# 10:00 in Amsterdam.
JOINED = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _newcomer(community: Community, site_admin: User, **fields: object) -> User:
    person = UserFactory(display_name="Nina Nieuw", **fields)
    with time_machine.travel(JOINED, tick=False):
        membership_grant(
            community=community, user=person, role=Membership.Role.MEMBER, granted_by=site_admin
        )
    return person


def _run(days: float) -> None:
    with time_machine.travel(JOINED + timedelta(days=days), tick=False):
        welcome_task()


def test_the_three_steps_go_out_once_each_in_the_members_language(
    community: Community, site_admin: User, facilitator: User, core_member: User
) -> None:
    person = _newcomer(community, site_admin, language="en")
    with time_machine.travel(JOINED - timedelta(days=30), tick=False):
        question = thread_create(
            community=community, author=core_member, kind="question", title="Welke app?", body="?"
        )
        answer = reply_create(thread=question, author=facilitator, body="Deze.")
        answer_accept(thread=question, reply=answer, by=core_member)
    mail.outbox.clear()
    for days in (0, 0.1, 1, 3, 3.2, 10, 10.3):
        _run(days)
    sent = [m for m in mail.outbox if m.to == [person.email]]
    assert [m.subject for m in sent] == [
        f"Welcome to {community.name}",
        f"What would you like to ask {community.name}?",
        f"What others in {community.name} found useful",
    ]
    assert community.focus in sent[0].body and "no password" in sent[0].body
    assert "Welke app?" in sent[2].body
    assert all(m.alternatives for m in sent)  # text and HTML
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Message.objects.filter(kind=KIND, recipient=person).count() == 3


def test_it_stops_once_the_member_has_posted(community: Community, site_admin: User) -> None:
    person = _newcomer(community, site_admin, language="nl")
    _run(0)
    [welcome] = [m for m in mail.outbox if m.to == [person.email]]
    assert welcome.subject == f"Welkom bij {community.name}"
    with time_machine.travel(JOINED + timedelta(days=1), tick=False):
        thread_create(community=community, author=person, kind="tip", title="Hallo", body="Ik")
    mail.outbox.clear()
    _run(3)
    _run(10)
    assert [m for m in mail.outbox if m.to == [person.email]] == []


def test_a_post_between_recording_and_sending_skips_the_email(
    monkeypatch: pytest.MonkeyPatch, community: Community, site_admin: User
) -> None:
    from outbox import services

    person = _newcomer(community, site_admin)
    monkeypatch.setattr(services, "_on_commit", lambda ids, delay, batched=False: None)
    with time_machine.travel(JOINED + timedelta(days=3), tick=False):
        welcome_record(JOINED + timedelta(days=3))
        thread_create(community=community, author=person, kind="tip", title="Hallo", body="Ik")
        [message] = Message.objects.filter(kind=KIND, recipient=person)
        assert message_deliver(message_id=message.pk) == Message.State.SKIPPED


def test_switched_off_or_at_night_nothing_is_recorded(
    community: Community, site_admin: User
) -> None:
    person = _newcomer(community, site_admin)
    night = JOINED.replace(hour=1)  # 02:00 in Amsterdam
    welcome_record(night)
    assert not Message.objects.filter(kind=KIND).exists()
    preference_set(user=person, kind=KIND, community_id=community.pk, value="off")
    welcome_record(JOINED)
    assert not Message.objects.filter(kind=KIND, recipient=person).exists()


def test_the_last_step_without_anything_useful_yet_sends_nothing(
    community: Community, site_admin: User
) -> None:
    person = _newcomer(community, site_admin)
    mail.outbox.clear()
    _run(10)
    assert [m for m in mail.outbox if m.to == [person.email]] == []
    assert Message.objects.get(kind=KIND, recipient=person).state == Message.State.SKIPPED


def test_a_member_who_joined_long_ago_gets_no_welcome(
    community: Community, site_admin: User
) -> None:
    person = _newcomer(community, site_admin)
    welcome_record(JOINED + timedelta(days=12))
    assert not Message.objects.filter(kind=KIND, recipient=person).exists()


def test_recording_takes_the_same_queries_for_any_number_of_newcomers(
    monkeypatch: pytest.MonkeyPatch,
    community: Community,
    site_admin: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    from outbox import services

    monkeypatch.setattr(services, "_on_commit", lambda ids, delay, batched=False: None)
    for size in (2, 12):
        for _ in range(size):
            _newcomer(community, site_admin)
        Message.objects.filter(kind=KIND).delete()
        # the newcomers who have not posted; per community their preferences, the
        # insert and the read-back
        with django_assert_num_queries(4):
            welcome_record(JOINED)
