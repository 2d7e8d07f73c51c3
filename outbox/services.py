"""The transactional outbox: record a message with the change that causes it; a task
renders and sends it after the commit, at most once.

API for every app (call inside the transaction of the change; all keyword-only):

    message_enqueue(*, recipient: User, kind: str, key: str,
                    payload: dict | None = None, delay: timedelta | None = None) -> Message
    message_enqueue_many(*, kind: str, items: list[tuple[int, str, dict]],
                         delay: timedelta | None = None, batched: bool = False) -> list[int]
        (items: (recipient id, key, payload); one insert, one read-back; `batched`
        delivers them all in one `outbox.deliver_batch` task: one render in a fixed
        number of queries (the kind's batch handler) and one SMTP connection)

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
- Batches (`messages_deliver_batch`, task `outbox.deliver_batch`): the due rows are
  claimed in one statement, rendered by the kind's batch handler (registry
  `register_batch_kind`) in a fixed number of queries, sent over one SMTP connection,
  and marked in one update per outcome; the same at-most-once rules hold. Run it
  outside a transaction (as the task does), so the claim commits before SMTP.
"""

import logging
import smtplib
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.utils import timezone

from members.models import User
from outbox.models import Message
from outbox.registry import Email, batch_handler_for, handler_for
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


def _enqueue_batch(message_ids: list[int], countdown: float = 0) -> None:
    """One task for many rows; never fails the caller (the sweeper is the fallback)."""
    try:
        current_app.signature("outbox.deliver_batch").apply_async(
            kwargs={"message_ids": message_ids}, countdown=countdown, retry=False
        )
    except Exception:  # the broker's errors vary by transport: any is logged
        logger.warning("outbox: could not enqueue %s messages; the sweeper will", len(message_ids))


def _on_commit(message_ids: list[int], delay: timedelta | None, batched: bool = False) -> None:
    if message_ids:
        countdown = delay.total_seconds() if delay else 0
        send = _enqueue_batch if batched else _enqueue
        transaction.on_commit(lambda: send(message_ids, countdown), robust=True)


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
    *,
    kind: str,
    items: list[tuple[int, str, dict[str, Any]]],
    delay: timedelta | None = None,
    batched: bool = False,
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
    _on_commit(ids, delay, batched)
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
        return _record_failure(message, error)
    _finish(message, State.SENT)
    if email.on_sent is not None:
        email.on_sent()
    return State.SENT


_CLAIM_MANY = """
UPDATE {table} SET state = %s, claimed_at = %s, attempts = attempts + 1
WHERE id IN (
    SELECT id FROM {table}
    WHERE id = ANY(%s) AND state = %s AND not_before <= %s
    FOR UPDATE SKIP LOCKED
)
RETURNING id
"""


def _claim_many(message_ids: list[int]) -> list[Message]:
    """pending -> sending for those of `message_ids` that are due and not taken, in one
    statement (committed at once: autocommit), then the claimed rows with their
    recipients. Two queries however many."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM_MANY.format(table=connection.ops.quote_name(Message._meta.db_table)),
            [State.SENDING, now, list(message_ids), State.PENDING, now],
        )
        claimed = [row[0] for row in cursor.fetchall()]
    if not claimed:
        return []
    return list(Message.objects.filter(pk__in=claimed).select_related("recipient").order_by("pk"))


def _render_many(messages: list[Message]) -> dict[int, Email | None]:
    """Each kind's batch handler when it has one, else its handler row by row."""
    emails: dict[int, Email | None] = {}
    by_kind: dict[str, list[Message]] = {}
    for message in messages:
        if message.recipient.is_active:
            by_kind.setdefault(message.kind, []).append(message)
    for kind, group in by_kind.items():
        batch = batch_handler_for(kind)
        if batch is not None:
            emails.update(batch(group))
            continue
        handler = handler_for(kind)
        for message in group:
            emails[message.pk] = handler(message) if handler is not None else None
    return emails


def messages_deliver_batch(*, message_ids: list[int]) -> dict[str, int]:
    """Render and send many messages: the due, untaken ones are claimed in one
    statement, rendered by their kind's batch handler (a fixed number of queries) and
    sent over one SMTP connection; the outcomes are written in one update per state.
    At most once, like `message_deliver`: safe to run twice or concurrently. Returns
    how many ended in each state."""
    messages = _claim_many(message_ids)
    if not messages:
        return {}
    try:
        emails = _render_many(messages)
    except Exception:
        # A rendering bug must not fail a whole batch: give the rows back and send
        # them one by one, where the faulty one fails alone (visible in the admin).
        Message.objects.filter(pk__in=[m.pk for m in messages], state=State.SENDING).update(
            state=State.PENDING
        )
        _enqueue([m.pk for m in messages])
        raise
    outcome: dict[str, list[int]] = {State.SENT: [], State.SKIPPED: []}
    sent_emails: list[Email] = []
    pending: list[tuple[Message, Email]] = []
    for message in messages:
        email = emails.get(message.pk)
        if email is None:
            outcome[State.SKIPPED].append(message.pk)
        else:
            pending.append((message, email))
    if pending:
        # One connection for the batch: opened here, every send_messages call reuses
        # it. A server that cannot be reached is a transient failure of every row.
        smtp = get_connection(fail_silently=False)
        try:
            smtp.open()
        except (smtplib.SMTPException, OSError) as error:
            for message, _email in pending:
                _record_failure(message, error)
            pending = []
        try:
            for message, email in pending:
                try:
                    smtp.send_messages([build_message(message, email)])
                except (smtplib.SMTPException, OSError) as error:
                    _record_failure(message, error)
                    continue
                outcome[State.SENT].append(message.pk)
                sent_emails.append(email)
        finally:
            smtp.close()
    now = timezone.now()
    if outcome[State.SENT]:
        Message.objects.filter(pk__in=outcome[State.SENT], state=State.SENDING).update(
            state=State.SENT, sent_at=now, last_error=""
        )
    if outcome[State.SKIPPED]:
        Message.objects.filter(pk__in=outcome[State.SKIPPED], state=State.SENDING).update(
            state=State.SKIPPED, last_error=""
        )
    for email in sent_emails:
        if email.on_sent is not None:
            email.on_sent()
    return {state: len(ids) for state, ids in outcome.items()}


def _record_failure(message: Message, error: Exception) -> str:
    """A refused send: failed when permanent or out of attempts, else pending again
    with exponential backoff."""
    description = f"{type(error).__name__}: {error}"
    if _is_permanent(error) or message.attempts >= settings.COP_EMAIL_MAX_ATTEMPTS:
        logger.warning("outbox: message %s failed: %s", message.pk, description)
        _finish(message, State.FAILED, description)
        return State.FAILED
    backoff = timedelta(seconds=settings.COP_EMAIL_RETRY_SECONDS * 2 ** (message.attempts - 1))
    _finish(message, State.PENDING, description, retry_at=timezone.now() + backoff)
    _enqueue([message.pk], backoff.total_seconds())
    return State.PENDING


def messages_sweep() -> int:
    """Enqueue again the rows left pending past their time (a lost queue message, Redis
    down at commit, a retry's delay over); fail rows whose sender died mid-send.
    Returns how many were enqueued."""
    now = timezone.now()
    Message.objects.filter(state=State.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        state=State.FAILED, last_error="interrupted while sending; not sent again"
    )
    rows = list(
        Message.objects.filter(state=State.PENDING, not_before__lt=now - SWEEP_GRACE)
        .order_by("not_before")
        .values_list("pk", "kind")[:SWEEP_BATCH]
    )
    # Kinds with a batch handler (digests) go out in one task per kind, one by one
    # otherwise.
    batched: dict[str, list[int]] = {}
    single: list[int] = []
    for pk, kind in rows:
        if batch_handler_for(kind) is not None:
            batched.setdefault(kind, []).append(pk)
        else:
            single.append(pk)
    for ids in batched.values():
        _enqueue_batch(ids)
    _enqueue(single)
    return len(rows)
