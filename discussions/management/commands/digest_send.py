"""Send one person their digest now, whatever the day and hour (for demos and checks).

    python manage.py digest_send ann@example.org

It covers every community whose digest the person has not switched off, since their
last digest, and goes through the outbox like every other email.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from discussions.emails.digest import KIND, digest_windows
from members.models import User
from outbox.services import message_deliver, message_enqueue


class Command(BaseCommand):
    help = "Send one person their digest now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError("No active person with that email address.")
        now = timezone.now()
        windows = digest_windows([user.pk], now, only_due=False).get(user.pk, {})
        with transaction.atomic():
            message = message_enqueue(
                recipient=user,
                kind=KIND,
                key=f"digest:now:{now.isoformat()}",
                payload={
                    "communities": {str(cid): since.isoformat() for cid, since in windows.items()}
                },
            )
        state = message_deliver(message_id=message.pk)
        self.stdout.write(f"{user.email}: {state or 'queued'}")
