"""Measure one digest run: N members of one community with new threads, digests built
in batches and delivered batch by batch (`outbox.deliver_batch`: one render, one SMTP
connection per batch) to an SMTP sink on loopback (aiosmtpd, a dev dependency).
Everything happens in one transaction that is rolled back at the end, so the database
is left as it was. Run it against a bench database:

    DATABASE_URL=$BENCH_DATABASE_URL DJANGO_SECRET_KEY=x \\
        .venv/bin/python manage.py bench_digest --members 10000

Prints the seconds and queries of building, and of sending, per 1,000 members, and
the SMTP connections the sink saw.
"""

import logging
import socket
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from communities.models import Community, Membership
from discussions.emails.digest import DIGEST_BATCH, KIND, digests_build
from discussions.models import Thread
from members.models import User
from outbox.models import Message
from outbox.services import messages_deliver_batch


class _Rollback(Exception):
    pass


class _Sink:
    def __init__(self) -> None:
        self.count = 0
        self.connections = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def _next_monday_morning() -> datetime:
    now = timezone.now().astimezone(UTC)
    days = (7 - now.weekday()) % 7 or 7
    return (now + timedelta(days=days)).replace(hour=6, minute=5, second=0, microsecond=0)


class Command(BaseCommand):
    help = "Measure one digest run for many members (rolled back afterwards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=1000)
        parser.add_argument(
            "--send", type=int, default=0, help="how many to deliver (default: all)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from aiosmtpd.controller import Controller

        # aiosmtpd logs every envelope at INFO: thousands of lines that measure nothing.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        sink = _Sink()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            with (
                override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                    EMAIL_HOST="127.0.0.1",
                    EMAIL_PORT=port,
                    EMAIL_USE_TLS=False,
                    EMAIL_USE_SSL=False,
                    EMAIL_HOST_USER="",
                    EMAIL_HOST_PASSWORD="",
                ),
                transaction.atomic(),
            ):
                self._run(options["members"], options["send"], sink)
                raise _Rollback
        except _Rollback:
            pass
        finally:
            controller.stop()

    def _run(self, members: int, send: int, sink: _Sink) -> None:
        stamp = int(time.time())
        community = Community.objects.create(
            name=f"Bench digest {stamp}", slug=f"bench-digest-{stamp}", focus="Bench."
        )
        users = User.objects.bulk_create(
            [
                User(email=f"bench-digest-{stamp}-{i}@example.org", display_name=f"Lid {i}")
                for i in range(members)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [Membership(community=community, user=u) for u in users], batch_size=2000
        )
        Thread.objects.bulk_create(
            [
                Thread(community=community, title=f"Vraag {i}", body="Wie weet dit?")
                for i in range(20)
            ]
        )
        now = _next_monday_morning()
        ids = [u.pk for u in users]
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as built:
            for i in range(0, len(ids), DIGEST_BATCH):
                digests_build(user_ids=ids[i : i + DIGEST_BATCH], now=now)
        build_s, build_cpu = time.perf_counter() - started, time.process_time() - cpu
        message_ids = list(
            Message.objects.filter(kind=KIND, recipient_id__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )[: send or None]
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as sent:
            for i in range(0, len(message_ids), DIGEST_BATCH):
                messages_deliver_batch(message_ids=message_ids[i : i + DIGEST_BATCH])
        send_s, send_cpu = time.perf_counter() - started, time.process_time() - cpu
        per_k = 1000 / max(members, 1)
        delivered = max(len(message_ids), 1)
        self.stdout.write(
            f"members {members}: build {build_s:.2f} s, {build_cpu * 1000 / members:.3f} ms CPU"
            f" per member, {len(built.captured_queries) * per_k:.1f} queries per 1,000 members\n"
            f"send {len(message_ids)} (sink got {sink.count} over {sink.connections} SMTP"
            f" connections): {send_s:.2f} s, {send_s * 1000 / delivered:.1f} ms and"
            f" {send_cpu * 1000 / delivered:.1f} ms CPU per email,"
            f" {len(sent.captured_queries) * 1000 / delivered:.1f} queries per 1,000 emails;"
            f" {members} members at this rate on one process:"
            f" {send_s / delivered * members:.0f} s"
        )
