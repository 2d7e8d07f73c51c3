"""The transactional outbox: record a message with the change that causes it; a task
renders and sends it after the commit, at most once.

API for every app (call inside the transaction of the change; all keyword-only):

    message_enqueue(*, recipient: User, kind: str, key: str,
                    payload: dict | None = None, delay: timedelta | None = None) -> Message
    message_enqueue_many(*, kind: str, items: list[tuple[int, str, dict]],
                         delay: timedelta | None = None) -> list[int]
        (items: (recipient id, key, payload); one insert, one read-back)

- (recipient, kind, key) is unique: put the object and the period into `key`
  ("thread:12:2026-12-01T10:20"), and the same message is recorded once however often
  the caller runs. A second call returns the row recorded first (its payload stays).
- `delay` holds the message back (events about one thread gather into one email).
- On commit, `outbox.deliver` is enqueued per message. If Redis is down the failure is
  logged and the request carries on: `outbox.sweep` (every minute, beat) finds the rows
  still pending and enqueues them again.
- At send time the handler registered for `kind` (outbox.registry.register_kind, done in
  the higher app's AppConfig.ready()) renders the message from the ids in `payload`,
  re-checking with its permissions module that the recipient may still see it; it
  returns None when not, and the row becomes "skipped".
- Sending: the row is claimed (pending -> sending) under `select_for_update(skip_locked)`
  and committed before any SMTP traffic; the SMTP call holds no lock; then the row is
  marked sent. A row is therefore sent at most once. A row left "sending" by a worker
  that died is marked failed by the sweeper, not sent again. Permanent SMTP refusals
  (5xx) are recorded as failed; transient ones (4xx, connection errors) go back to
  pending with exponential backoff, up to COP_EMAIL_MAX_ATTEMPTS.
"""

import logging
import smtplib
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from members.models import User
from outbox.models import Message
from outbox.registry import Email, handler_for
from outbox.rendering import stop_url

logger = logging.getLogger(__name__)
State = Message.State
# Rows left pending this long after falling due are enqueued again by the sweeper; the
# grace keeps it from racing the on-commit enqueue.
SWEEP_GRACE = timedelta(seconds=60)
# A claim older than this belongs to a worker that died mid-send.
CLAIM_TIMEOUT = timedelta(minutes=30)
SWEEP_BATCH = 1000


def _enqueue(message_ids: list[int], countdown: float = 0) -> None:
    """Hand rows to the worker; never fails the caller (the sweeper is the fallback)."""
    # By name (outbox.tasks imports this module): the task's own apply_async, eager
    # in tests.
    deliver = current_app.signature("outbox.deliver")
    for message_id in message_ids:
        try:
            deliver.apply_async(kwargs={"message_id": message_id}, countdown=countdown, retry=False)
        except Exception:  # the broker's errors vary by transport: any is logged
            logger.warning("outbox: could not enqueue message %s; the sweeper will", message_id)
            return


def _on_commit(message_ids: list[int], delay: timedelta | None) -> None:
    if message_ids:
        countdown = delay.total_seconds() if delay else 0
        transaction.on_commit(lambda: _enqueue(message_ids, countdown), robust=True)


@transaction.atomic(savepoint=False)
def message_enqueue(
    *,
    recipient: User,
    kind: str,
    key: str,
    payload: dict[str, Any] | None = None,
    delay: timedelta | None = None,
) -> Message:
    """Record one message (idempotent on (recipient, kind, key)); deliver after commit."""
    message, created = Message.objects.get_or_create(
        recipient=recipient,
        kind=kind,
        key=key,
        defaults={"payload": payload or {}, "not_before": timezone.now() + (delay or timedelta())},
    )
    if created:
        _on_commit([message.pk], delay)
    return message


@transaction.atomic(savepoint=False)
def message_enqueue_many(
    *, kind: str, items: list[tuple[int, str, dict[str, Any]]], delay: timedelta | None = None
) -> list[int]:
    """Record many messages of one kind in one insert; returns the ids of the pending
    ones (those recorded now and any recorded earlier, not sent yet)."""
    if not items:
        return []
    not_before = timezone.now() + (delay or timedelta())
    Message.objects.bulk_create(
        [
            Message(recipient_id=r, kind=kind, key=k, payload=p, not_before=not_before)
            for r, k, p in items
        ],
        ignore_conflicts=True,
    )
    ids = list(
        Message.objects.filter(
            kind=kind,
            recipient_id__in={r for r, _, _ in items},
            key__in={k for _, k, _ in items},
            state=State.PENDING,
        ).values_list("pk", flat=True)
    )
    _on_commit(ids, delay)
    return ids


def _claim(message_id: int) -> Message | None:
    """pending -> sending, committed before returning. None when the row is not due,
    already taken, or being claimed by another worker right now."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=message_id, state=State.PENDING, not_before__lte=now)
            .first()
        )
        if message is None:
            return None
        message.state = State.SENDING
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["state", "claimed_at", "attempts"])
    return message


def _finish(message: Message, state: str, error: str = "", retry_at: Any = None) -> None:
    fields: dict[str, Any] = {"state": state, "last_error": error[:2000]}
    if state == State.SENT:
        fields["sent_at"] = timezone.now()
    if retry_at is not None:
        fields["not_before"] = retry_at
    Message.objects.filter(pk=message.pk, state=State.SENDING).update(**fields)


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def build_message(message: Message, email: Email) -> EmailMultiAlternatives:
    """The email with the outbox's headers: From and Reply-To by env settings and, for
    bulk mail, List-Unsubscribe with one-click POST (RFC 8058)."""
    headers = dict(email.headers)
    if email.unsubscribe is not None:
        kind, community_id = email.unsubscribe
        url = stop_url(user_id=message.recipient_id, kind=kind, community_id=community_id)
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    built = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient.email],
        reply_to=[settings.COP_EMAIL_REPLY_TO],
        headers=headers,
    )
    if email.html:
        built.attach_alternative(email.html, "text/html")
    return built


def message_deliver(*, message_id: int) -> str | None:
    """Render and send one message if it is due and not taken; returns its new state
    (None when nothing was done). Safe to run twice or concurrently: one email."""
    message = _claim(message_id)
    if message is None:
        return None
    handler = handler_for(message.kind)
    try:
        email = handler(message) if handler is not None and message.recipient.is_active else None
    except Exception as error:
        # A rendering bug fails this row at once (visible in the admin) instead of
        # leaving it claimed; the task still reports the error.
        _finish(message, State.FAILED, f"rendering: {type(error).__name__}: {error}")
        raise
    if email is None:
        _finish(message, State.SKIPPED)
        return State.SKIPPED
    try:
        build_message(message, email).send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        description = f"{type(error).__name__}: {error}"
        if _is_permanent(error) or message.attempts >= settings.COP_EMAIL_MAX_ATTEMPTS:
            logger.warning("outbox: message %s failed: %s", message.pk, description)
            _finish(message, State.FAILED, description)
            return State.FAILED
        backoff = timedelta(seconds=settings.COP_EMAIL_RETRY_SECONDS * 2 ** (message.attempts - 1))
        _finish(message, State.PENDING, description, retry_at=timezone.now() + backoff)
        _enqueue([message.pk], backoff.total_seconds())
        return State.PENDING
    _finish(message, State.SENT)
    if email.on_sent is not None:
        email.on_sent()
    return State.SENT


def messages_sweep() -> int:
    """Enqueue again the rows left pending past their time (a lost queue message, Redis
    down at commit, a retry's delay over); fail rows whose sender died mid-send.
    Returns how many were enqueued."""
    now = timezone.now()
    Message.objects.filter(state=State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        state=State.FAILED, last_error="interrupted while sending; not sent again"
    )
    ids = list(
        Message.objects.filter(state=State.PENDING, not_before__lt=now - SWEEP_GRACE)
        .order_by("not_before")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    _enqueue(ids)
    return len(ids)
