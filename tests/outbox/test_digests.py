"""Digests: in each recipient's morning, since their last digest, nothing when nothing
is new, one per person however often the job runs, read with today's permissions."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client

from communities.models import Community, Membership
from communities.services.memberships import membership_grant, membership_remove
from discussions.emails.digest import KIND, digest_recipient_batches, digests_build
from discussions.models import Thread
from discussions.services.posts import thread_create
from discussions.tasks import digests_schedule
from members.models import User
from outbox.models import Message
from outbox.preferences import preference_set
from outbox.services import messages_sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 07:05 in Amsterdam (06:05 UTC): weekly digests are due.
MONDAY_MORNING = datetime(2026, 12, 7, 6, 5, tzinfo=UTC)
SATURDAY = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _thread(
    community: Community, author: User, title: str, tags: list[str] | None = None
) -> Thread:
    return thread_create(
        community=community,
        author=author,
        kind=Thread.Kind.QUESTION,
        title=title,
        body="Wie weet dit?",
        tags=tags or [],
    )


def _schedule_at(moment: datetime) -> None:
    """The hourly job at `moment`; the sweeper then sends what it recorded (tests do
    not run on-commit callbacks by themselves)."""
    with time_machine.travel(moment, tick=False):
        digests_schedule()
    with time_machine.travel(moment + timedelta(minutes=2), tick=False):
        messages_sweep()


@pytest.fixture
def activity(community: Community, facilitator: User) -> Thread:
    with time_machine.travel(SATURDAY, tick=False):
        return _thread(community, facilitator, "Welke app voor thuismeten?")


def test_the_digest_goes_out_in_the_recipients_morning_once(activity: Thread, member: User) -> None:
    mail.outbox.clear()
    with time_machine.travel(MONDAY_MORNING - timedelta(hours=1), tick=False):
        digests_schedule()
    assert Message.objects.filter(kind=KIND).count() == 0
    _schedule_at(MONDAY_MORNING)
    _schedule_at(MONDAY_MORNING)
    _schedule_at(MONDAY_MORNING)
    [message] = Message.objects.filter(kind=KIND, recipient=member)
    assert message.state == Message.State.SENT
    sent = [m for m in mail.outbox if m.to == [member.email]]
    assert len(sent) == 1
    assert activity.title in sent[0].body
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_someone_elsewhere_gets_it_in_their_own_morning(
    activity: Thread, community: Community, site_admin: User
) -> None:
    tokyo = UserFactory(time_zone="Asia/Tokyo")
    membership_grant(
        community=community, user=tokyo, role=Membership.Role.MEMBER, granted_by=site_admin
    )
    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert tokyo.pk not in {
            pk for batch in digest_recipient_batches(MONDAY_MORNING) for pk in batch
        }
    # 07:05 on Monday in Tokyo is 22:05 UTC on Sunday.
    sunday_evening_utc = datetime(2026, 12, 6, 22, 5, tzinfo=UTC)
    with time_machine.travel(sunday_evening_utc, tick=False):
        digests_schedule()
    assert Message.objects.filter(kind=KIND, recipient=tokyo).count() == 1


def test_nothing_new_sends_nothing(community: Community, member: User) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        digests_schedule()
    assert Message.objects.filter(kind=KIND).count() == 0


def test_the_window_starts_at_the_last_digest(
    activity: Thread, community: Community, member: User, facilitator: User
) -> None:
    _schedule_at(MONDAY_MORNING)
    mail.outbox.clear()
    with time_machine.travel(MONDAY_MORNING + timedelta(days=3), tick=False):
        newer = _thread(community, facilitator, "Nieuwe vraag over privacy")
    _schedule_at(MONDAY_MORNING + timedelta(days=7))
    [sent] = [m for m in mail.outbox if m.to == [member.email]]
    assert newer.title in sent.body and activity.title not in sent.body


def test_off_and_daily_are_respected(
    activity: Thread, community: Community, member: User, core_member: User
) -> None:
    preference_set(user=member, kind="digest", community_id=community.pk, value="off")
    preference_set(user=core_member, kind="digest", community_id=None, value="daily")
    tuesday = MONDAY_MORNING + timedelta(days=1)
    with time_machine.travel(MONDAY_MORNING + timedelta(hours=12), tick=False):
        _thread(community, core_member, "Maandagavond")
    with time_machine.travel(tuesday, tick=False):
        digests_schedule()
    recipients = set(Message.objects.filter(kind=KIND).values_list("recipient_id", flat=True))
    assert core_member.pk in recipients and member.pk not in recipients


def test_confidential_text_only_to_readers_at_send_time(
    activity: Thread, community: Community, member: User, site_admin: User
) -> None:
    with time_machine.travel(MONDAY_MORNING, tick=False):
        windows_ids = digest_recipient_batches(MONDAY_MORNING)[0]
        # Removed between building and sending: the handler reads with today's rights.
        from outbox import services

        original = services._enqueue
        services._enqueue = lambda ids, countdown=0: None  # type: ignore[assignment]
        try:
            digests_build(user_ids=windows_ids, now=MONDAY_MORNING)
        finally:
            services._enqueue = original  # type: ignore[assignment]
        membership_remove(
            membership=Membership.objects.get(community=community, user=member), by=site_admin
        )
        message = Message.objects.get(kind=KIND, recipient=member)
        services.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == Message.State.SKIPPED
    assert not any(activity.title in m.body for m in mail.outbox if m.to == [member.email])


def test_questions_matching_your_expertise_come_first(
    activity: Thread, community: Community, member: User, facilitator: User
) -> None:
    member.expertise.add("bloeddruk")
    with time_machine.travel(SATURDAY + timedelta(hours=1), tick=False):
        match = _thread(community, facilitator, "Bloeddrukmeters thuis", tags=["bloeddruk"])
    mail.outbox.clear()
    _schedule_at(MONDAY_MORNING)
    [sent] = [m for m in mail.outbox if m.to == [member.email]]
    assert sent.body.index(match.title) < sent.body.index(activity.title)


def test_a_batch_takes_the_same_queries_for_any_number_of_people(
    activity: Thread,
    community: Community,
    site_admin: User,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    for size in (3, 30):
        people = [UserFactory() for _ in range(size)]
        for person in people:
            membership_grant(
                community=community, user=person, role=Membership.Role.MEMBER, granted_by=site_admin
            )
        Message.objects.filter(kind=KIND).delete()
        # memberships with zones and digest choices, last digests, thread and page
        # activity (one union), the insert, the read-back
        with time_machine.travel(MONDAY_MORNING, tick=False), django_assert_num_queries(5):
            assert digests_build(user_ids=[p.pk for p in people], now=MONDAY_MORNING) == size


def test_send_now_command_and_preview_page(
    activity: Thread, member: User, client: Client, django_assert_num_queries: Callable[..., Any]
) -> None:
    client.force_login(member)
    client.get("/digest/preview/")
    with django_assert_num_queries(7):
        page = client.get("/digest/preview/")
    assert activity.title in page.content.decode()
    mail.outbox.clear()
    call_command("digest_send", member.email)
    [sent] = [m for m in mail.outbox if m.to == [member.email]]
    assert activity.title in sent.body


@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_record_one_digest_per_person(
    community: Community, facilitator: User, member: User
) -> None:
    with time_machine.travel(SATURDAY, tick=False):
        _thread(community, facilitator, "Samen tegelijk")
    ids = [member.pk, facilitator.pk]

    def run() -> int:
        try:
            return digests_build(user_ids=ids, now=MONDAY_MORNING)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda _: run(), range(2)))
    assert Message.objects.filter(kind=KIND, recipient=member).count() == 1


def test_facilitators_get_a_weekly_summary_once(
    community: Community, facilitator: User, member: User
) -> None:
    from communities.services.memberships import membership_request
    from discussions.emails.summary import KIND as SUMMARY

    community.join_policy = Community.JoinPolicy.APPROVAL
    community.save(update_fields=["join_policy"])
    asker = UserFactory(display_name="Anna Aanvrager")
    with time_machine.travel(SATURDAY, tick=False):
        membership_request(
            community=community, user=asker, message="Mag ik erbij?", charter_accepted=True
        )
    mail.outbox.clear()
    _schedule_at(MONDAY_MORNING)
    _schedule_at(MONDAY_MORNING)
    assert Message.objects.filter(kind=SUMMARY, recipient=facilitator).count() == 1
    [summary] = [m for m in mail.outbox if m.to == [facilitator.email] and "week" in m.subject]
    assert "1 " in summary.body and "/requests/" in summary.body
    assert not Message.objects.filter(kind=SUMMARY, recipient=member).exists()
