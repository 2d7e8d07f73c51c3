"""Development mail backend: print every message and keep it as a file under var/mail,
so that login codes can be read in the terminal or afterwards."""

from collections.abc import Sequence
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends import console, filebased
from django.core.mail.backends.base import BaseEmailBackend


class ConsoleAndFileBackend(BaseEmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._console = console.EmailBackend(*args, **kwargs)
        self._file = filebased.EmailBackend(*args, **kwargs)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self._file.send_messages(email_messages)
        return self._console.send_messages(email_messages)
