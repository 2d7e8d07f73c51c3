"""The transactional outbox: recorded once, sent at most once, retried when the failure
is transient, swept when the queue lost its message, rendered at send time."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from members.models import User
from outbox import services
from outbox.models import Message
from outbox.registry import Email, register_kind
from outbox.services import message_deliver, message_enqueue, messages_sweep
from tests.factories import UserFactory
from tests.outbox.smtp_failures import FailingBackend, refused

pytestmark = pytest.mark.django_db
KIND = "tests.note"
SKIPPED = "tests.skipped"
rendered: list[int] = []


def _render(message: Message) -> Email | None:
    rendered.append(message.pk)
    return Email(subject=f"Note {message.key}", text="Hello", html="<p>Hello</p>")


register_kind(KIND, _render)
register_kind(SKIPPED, lambda message: None)


@pytest.fixture
def person(db: None) -> User:
    return UserFactory(language="en")


@pytest.fixture
def failing() -> Iterator[type[FailingBackend]]:
    with override_settings(EMAIL_BACKEND="tests.outbox.smtp_failures.FailingBackend"):
        yield FailingBackend
    FailingBackend.failure, FailingBackend.sticky = None, False


def test_the_same_message_is_recorded_once(person: User) -> None:
    first = message_enqueue(recipient=person, kind=KIND, key="object:1:p1")
    second = message_enqueue(recipient=person, kind=KIND, key="object:1:p1")
    other_period = message_enqueue(recipient=person, kind=KIND, key="object:1:p2")
    assert first.pk == second.pk != other_period.pk
    assert Message.objects.filter(recipient=person).count() == 2


def test_delivered_on_commit_and_twice_is_one_email(
    person: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = message_enqueue(recipient=person, kind=KIND, key="object:2")
    assert len(mail.outbox) == 1
    assert message_deliver(message_id=message.pk) is None
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.state == Message.State.SENT and message.sent_at is not None
    sent = mail.outbox[0]
    assert sent.to == [person.email]
    assert sent.reply_to == ["noreply@localhost"]
    assert sent.alternatives[0][1] == "text/html"


def test_nothing_is_sent_before_the_transaction_commits(
    person: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message_enqueue(recipient=person, kind=KIND, key="object:3")
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_message_the_handler_declines_is_skipped(person: User) -> None:
    message = message_enqueue(recipient=person, kind=SKIPPED, key="object:4")
    assert message_deliver(message_id=message.pk) == Message.State.SKIPPED
    assert mail.outbox == []


def test_a_message_to_a_deactivated_person_is_skipped(person: User) -> None:
    message = message_enqueue(recipient=person, kind=KIND, key="object:5")
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert message_deliver(message_id=message.pk) == Message.State.SKIPPED


def test_a_held_back_message_waits_for_its_time(person: User) -> None:
    message = message_enqueue(
        recipient=person, kind=KIND, key="object:6", delay=timedelta(minutes=5)
    )
    assert message_deliver(message_id=message.pk) is None
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert message_deliver(message_id=message.pk) == Message.State.SENT
    assert len(mail.outbox) == 1


def test_the_sweeper_sends_what_a_lost_queue_message_left_pending(
    person: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The broker "loses" the message: enqueuing does nothing.
    from outbox import tasks

    def lost(**kwargs: Any) -> None:
        return None

    monkeypatch.setattr(tasks.deliver, "apply_async", lost)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_enqueue(recipient=person, kind=KIND, key="object:7")
    assert mail.outbox == []
    monkeypatch.undo()
    # Within the grace period the sweeper leaves it to the queue.
    assert messages_sweep() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert messages_sweep() == 1
        assert messages_sweep() == 0
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.state == Message.State.SENT


def test_redis_down_does_not_fail_the_request(
    person: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from outbox import tasks

    def down(**kwargs: Any) -> None:
        raise ConnectionRefusedError("Redis is down")

    monkeypatch.setattr(tasks.deliver, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        message = message_enqueue(recipient=person, kind=KIND, key="object:8")
    assert Message.objects.get(pk=message.pk).state == Message.State.PENDING
    assert "sweeper" in caplog.text


def test_a_permanent_smtp_failure_is_recorded_not_retried(
    person: User, failing: type[FailingBackend]
) -> None:
    failing.failure = refused(550)
    message = message_enqueue(recipient=person, kind=KIND, key="object:9")
    assert message_deliver(message_id=message.pk) == Message.State.FAILED
    message.refresh_from_db()
    assert "550" in message.last_error and message.attempts == 1
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert messages_sweep() == 0
    assert mail.outbox == []


def test_a_transient_smtp_failure_is_retried_with_backoff(
    person: User, failing: type[FailingBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_enqueue", lambda ids, countdown=0: None)
    failing.failure = refused(451)
    message = message_enqueue(recipient=person, kind=KIND, key="object:10")
    assert message_deliver(message_id=message.pk) == Message.State.PENDING
    message.refresh_from_db()
    first_retry = message.not_before
    assert first_retry > timezone.now()
    failing.failure = ConnectionRefusedError("server away")
    with time_machine.travel(first_retry + timedelta(seconds=1)):
        assert message_deliver(message_id=message.pk) == Message.State.PENDING
    message.refresh_from_db()
    # The second wait is twice the first.
    assert message.not_before - first_retry > (first_retry - message.created_at) * 1.5
    with time_machine.travel(message.not_before + timedelta(seconds=1)):
        assert message_deliver(message_id=message.pk) == Message.State.SENT
    assert len(mail.outbox) == 1


@override_settings(COP_EMAIL_MAX_ATTEMPTS=2)
def test_transient_failures_give_up_after_the_last_attempt(
    person: User, failing: type[FailingBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_enqueue", lambda ids, countdown=0: None)
    failing.failure, failing.sticky = ConnectionRefusedError("away"), True
    message = message_enqueue(recipient=person, kind=KIND, key="object:11")
    assert message_deliver(message_id=message.pk) == Message.State.PENDING
    message.refresh_from_db()
    with time_machine.travel(message.not_before + timedelta(seconds=1)):
        assert message_deliver(message_id=message.pk) == Message.State.FAILED


def test_a_claimed_row_is_not_sent_by_a_second_worker(person: User) -> None:
    message = message_enqueue(recipient=person, kind=KIND, key="object:12")
    claimed = services._claim(message.pk)
    assert claimed is not None
    # Another worker (or the same task run twice) finds it taken.
    assert message_deliver(message_id=message.pk) is None
    assert mail.outbox == []


def test_a_send_interrupted_by_a_dead_worker_is_failed_not_repeated(person: User) -> None:
    message = message_enqueue(recipient=person, kind=KIND, key="object:13")
    services._claim(message.pk)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        messages_sweep()
    message.refresh_from_db()
    assert message.state == Message.State.FAILED
    assert mail.outbox == []


def test_rendering_happens_at_send_time(person: User) -> None:
    rendered.clear()
    with transaction.atomic():
        message = message_enqueue(recipient=person, kind=KIND, key="object:14")
        assert rendered == []
    message_deliver(message_id=message.pk)
    assert rendered == [message.pk]


def _broken(message: Message) -> Email | None:
    raise RuntimeError("template bug")


register_kind("tests.broken", _broken)


def test_a_rendering_error_fails_the_row_instead_of_leaving_it_claimed(person: User) -> None:
    message = message_enqueue(recipient=person, kind="tests.broken", key="object:15")
    with pytest.raises(RuntimeError):
        message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.state == Message.State.FAILED and "template bug" in message.last_error
