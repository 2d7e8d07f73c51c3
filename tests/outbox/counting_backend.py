"""An email backend for tests that counts connections the way the SMTP backend makes
them: `open()` connects unless connected; `send_messages` on a closed backend connects
for that call alone (what `EmailMessage.send()` without a connection does)."""

from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend


class CountingBackend(EmailBackend):
    opened: ClassVar[int] = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connected = False

    def open(self) -> bool:
        if self.connected:
            return False
        self.connected = True
        CountingBackend.opened += 1
        return True

    def close(self) -> None:
        self.connected = False

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        created = self.open()
        try:
            return super().send_messages(messages)
        finally:
            if created:
                self.close()
