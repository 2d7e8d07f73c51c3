from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cop_platform.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into an empty database and the media root."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="The backup's directory.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup_restore(
                source=options["source"],
                database=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {options['source']}")
