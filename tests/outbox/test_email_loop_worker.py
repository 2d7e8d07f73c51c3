"""The whole loop with real parts: a Celery worker on the real Redis sends a
notification and a digest to an SMTP server on loopback (aiosmtpd); the digest's
one-click unsubscribe then stops the digest."""

import email
import email.policy
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.memberships import membership_grant
from discussions.emails.digest import KIND, digest_windows
from discussions.models import Thread
from discussions.services.posts import reply_create, thread_create
from members.models import User
from outbox.models import Message
from outbox.preferences import preference_mode
from outbox.services import message_enqueue
from tests.factories import UserFactory
from tests.platform.test_celery_worker import (  # noqa: F401 - a fixture
    BASE_DIR,
    _test_database_url,
    celery_sends_to_broker,
)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _wait_for(inbox: Inbox, count: int, worker: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while len(inbox.messages) < count:
        assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
        assert time.monotonic() < deadline, "the worker sent nothing in 60 s"
        time.sleep(0.2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@override_settings(COP_EMAIL_GROUP_SECONDS=0)
def test_notification_and_digest_reach_an_smtp_server_and_unsubscribe_works(
    celery_sends_to_broker: str,  # noqa: F811 - the fixture imported above
    smtp: tuple[Inbox, int],
    community: Community,
    facilitator: User,
    site_admin: User,
) -> None:
    inbox, port = smtp
    member = UserFactory(language="en", display_name="Mira")
    membership_grant(
        community=community, user=member, role=Membership.Role.MEMBER, granted_by=site_admin
    )
    thread = thread_create(
        community=community,
        author=member,
        kind=Thread.Kind.QUESTION,
        title="Thuismeten?",
        body="Wie heeft ervaring?",
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
        "DJANGO_READ_DOT_ENV_FILE": "0",
        # The links the worker signs are checked by this process.
        "DJANGO_SECRET_KEY": str(settings.SECRET_KEY),
        "DATABASE_URL": _test_database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cop_platform",
            "worker",
            "--pool",
            "solo",
            "--queues",
            celery_sends_to_broker,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        inbox.messages.clear()  # the first question went to the facilitator
        Message.objects.all().delete()
        reply_create(thread=thread, author=facilitator, body="Ja, met een bloeddrukmeter.")
        _wait_for(inbox, 1, worker)
        [notification] = [m for m in inbox.messages if m["To"] == member.email]
        assert "replied to you" in str(notification["Subject"])
        assert notification["Reply-To"] == "noreply@localhost"
        assert notification.get_content_type() == "multipart/alternative"

        windows = digest_windows([member.pk], timezone.now(), only_due=False)[member.pk]
        with transaction.atomic():
            message_enqueue(
                recipient=member,
                kind=KIND,
                key="digest:worker-test",
                payload={"communities": {str(c): s.isoformat() for c, s in windows.items()}},
            )
        _wait_for(inbox, 2, worker)
        digest = inbox.messages[-1]
        assert "Thuismeten?" in digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = "".join(str(digest["List-Unsubscribe"]).split()).strip("<>")
        path = url.removeprefix("http://127.0.0.1:8000")
        response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert preference_mode(member, "digest", community.pk) == "off"
        assert Message.objects.filter(state=Message.State.SENT).count() == 2
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
