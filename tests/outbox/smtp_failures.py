"""A mail backend for tests that fails the way an SMTP server does, as told."""

import smtplib
from collections.abc import Sequence
from typing import ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class FailingBackend(EmailBackend):
    """Raises `failure` (then clears it unless `sticky`), else behaves like locmem."""

    failure: ClassVar[Exception | None] = None
    sticky: ClassVar[bool] = False

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        failure = FailingBackend.failure
        if failure is not None:
            if not FailingBackend.sticky:
                FailingBackend.failure = None
            raise failure
        return super().send_messages(messages)


def refused(code: int) -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({"x@example.org": (code, b"no")})
