from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cop_platform.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Dump the database and copy the media files into var/backups/<timestamp>/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--into",
            type=Path,
            default=settings.VAR_DIR / "backups",
            help="Directory that receives the new backup directory (default var/backups).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            directory = backup_create(
                database=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
                into=options["into"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(directory))
