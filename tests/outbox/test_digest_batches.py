"""Digests delivered a batch at a time: a fixed number of queries and one SMTP
connection per batch, each person once, in their language, read with the rights they
hold when the batch is sent."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from communities.models import Community, Membership
from communities.services.memberships import membership_grant, membership_remove
from discussions.emails.digest import KIND, digests_build
from discussions.models import Thread
from discussions.services.posts import thread_create
from members.models import User
from outbox.models import Message
from outbox.services import messages_deliver_batch
from tests.factories import UserFactory
from tests.outbox.counting_backend import CountingBackend

pytestmark = pytest.mark.django_db

MONDAY_MORNING = datetime(2026, 12, 7, 6, 5, tzinfo=UTC)
SATURDAY = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
COUNTING = "tests.outbox.counting_backend.CountingBackend"


@pytest.fixture
def activity(community: Community, facilitator: User) -> Thread:
    with time_machine.travel(SATURDAY, tick=False):
        return thread_create(
            community=community,
            author=facilitator,
            kind=Thread.Kind.QUESTION,
            title="Welke app voor thuismeten?",
            body="Wie weet dit?",
            tags=["bloeddruk"],
        )


def _people(community: Community, site_admin: User, size: int, **fields: Any) -> list[User]:
    people = [UserFactory(**fields) for _ in range(size)]
    for person in people:
        membership_grant(
            community=community, user=person, role=Membership.Role.MEMBER, granted_by=site_admin
        )
    return people


def _record(people: list[User]) -> list[int]:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        digests_build(user_ids=[p.pk for p in people], now=MONDAY_MORNING)
    return list(
        Message.objects.filter(kind=KIND, recipient__in=people).values_list("pk", flat=True)
    )


@override_settings(EMAIL_BACKEND=COUNTING)
def test_a_batch_is_sent_in_the_same_queries_over_one_connection_for_any_size(
    activity: Thread,
    community: Community,
    site_admin: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    for size in (3, 30):
        people = _people(community, site_admin, size)
        people[0].expertise.add("bloeddruk")
        ids = _record(people)
        mail.outbox.clear()
        CountingBackend.opened = 0
        # the claim, the claimed rows with their recipients; the recipients with their
        # access, their expertise, the threads, their tags, the pages, the communities;
        # the sent ones marked in one update
        with time_machine.travel(MONDAY_MORNING, tick=False), django_assert_num_queries(9):
            assert messages_deliver_batch(message_ids=ids)["sent"] == size
        assert CountingBackend.opened == 1
        assert len(mail.outbox) == size
        assert "Questions you may be able to answer" in mail.outbox[0].body or (
            "Vragen" in mail.outbox[0].body
        )


def test_a_batch_sent_twice_sends_each_digest_once(
    activity: Thread, community: Community, site_admin: User
) -> None:
    people = _people(community, site_admin, 4)
    ids = _record(people)
    mail.outbox.clear()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        messages_deliver_batch(message_ids=ids)
        assert messages_deliver_batch(message_ids=ids) == {}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert set(Message.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"sent"}


def test_someone_removed_before_the_batch_is_sent_gets_nothing(
    activity: Thread, community: Community, member: User, site_admin: User
) -> None:
    others = _people(community, site_admin, 2)
    ids = _record([member, *others])
    membership_remove(
        membership=Membership.objects.get(community=community, user=member), by=site_admin
    )
    mail.outbox.clear()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert messages_deliver_batch(message_ids=ids) == {"sent": 2, "skipped": 1}
    assert member.email not in {m.to[0] for m in mail.outbox}
    assert all(activity.title in m.body for m in mail.outbox)
    assert Message.objects.get(kind=KIND, recipient=member).state == Message.State.SKIPPED


def test_each_recipient_of_a_batch_reads_their_own_language(
    activity: Thread, community: Community, site_admin: User
) -> None:
    [dutch] = _people(community, site_admin, 1, language="nl")
    [english] = _people(community, site_admin, 1, language="en")
    ids = _record([dutch, english])
    mail.outbox.clear()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        messages_deliver_batch(message_ids=ids)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Hello" in by_address[english.email].body
    assert "Hallo" in by_address[dutch.email].body
    html = {a: m.alternatives[0][0] for a, m in by_address.items()}  # type: ignore[index]
    assert "<html" in html[dutch.email].lower() or "<p>" in html[dutch.email]


@override_settings(EMAIL_BACKEND=COUNTING)
def test_the_sweeper_sends_digests_left_pending_as_one_batch(
    activity: Thread, community: Community, site_admin: User
) -> None:
    from datetime import timedelta

    from outbox.services import messages_sweep

    people = _people(community, site_admin, 5)
    _record(people)  # the on-commit enqueue never runs here: as if Redis had been down
    mail.outbox.clear()
    CountingBackend.opened = 0
    with time_machine.travel(MONDAY_MORNING + timedelta(minutes=5), tick=False):
        assert messages_sweep() == 5
    assert CountingBackend.opened == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
