"""`manage.py backup` and `manage.py restore` (make backup / make restore): a dump of
the database and a copy of the media files, restored into an empty database.

Runs against the test run's own Postgres: the test database is dumped, restored into
a scratch database made for the test, and both are compared table by table. Skipped
only when pg_dump / pg_restore are not installed."""

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql

from cop_platform.backups import (
    BackupError,
    backup_create,
    backup_restore,
    client_major,
    file_checksums,
    row_counts,
    server_major,
)
from tests.conftest import make_community
from tests.factories import UserFactory, make_thread

pytestmark = pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="pg_dump and pg_restore are not installed",
)

PHOTO = b"\x89PNG\r\n\x1a\n a stored file, byte for byte"


def _admin(settings_dict: dict[str, Any]) -> psycopg.Connection[Any]:
    return psycopg.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


@pytest.fixture
def scratch_database() -> Iterator[dict[str, Any]]:
    """An empty database beside the test database, dropped afterwards."""
    source = connection.settings_dict
    name = f"{source['NAME']}_restore"
    with _admin(source) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield {**source, "NAME": name}
    with _admin(source) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.mark.django_db
def test_the_client_tools_can_dump_this_server() -> None:
    assert client_major("pg_dump") >= server_major(connection.settings_dict)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_every_row_and_file(
    tmp_path: Path, scratch_database: dict[str, Any]
) -> None:
    admin, facilitator = UserFactory(is_staff=True), UserFactory()
    community = make_community(admin, facilitator, "backup")
    make_thread(community, facilitator, title="Bewaard", body="Ook na een restore.")
    media = tmp_path / "media"
    (media / "avatars").mkdir(parents=True)
    (media / "avatars" / "a.png").write_bytes(PHOTO)

    backup = backup_create(
        database=connection.settings_dict, media_root=media, into=tmp_path / "backups"
    )
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media", "manifest.json"}

    restored_media = tmp_path / "restored-media"
    backup_restore(source=backup, database=scratch_database, media_root=restored_media)

    before = row_counts(connection.settings_dict)
    assert before["discussions_thread"] == 1
    assert row_counts(scratch_database) == before
    assert file_checksums(restored_media) == file_checksums(media)
    assert (restored_media / "avatars" / "a.png").read_bytes() == PHOTO

    # A second restore into the now filled database is refused.
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(source=backup, database=scratch_database, media_root=restored_media)


@pytest.mark.django_db
def test_a_damaged_backup_restores_nothing(
    tmp_path: Path, scratch_database: dict[str, Any]
) -> None:
    backup = backup_create(
        database=connection.settings_dict, media_root=tmp_path / "none", into=tmp_path
    )
    (backup / "media" / "added.txt").write_text("not in the manifest")
    with pytest.raises(BackupError, match="do not match"):
        backup_restore(source=backup, database=scratch_database, media_root=tmp_path / "m")
    assert row_counts(scratch_database) == {}


def test_the_commands_report_errors_plainly(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(tmp_path))


def test_the_image_carries_the_client_of_the_compose_postgres() -> None:
    """A pg_dump older than its server refuses to dump it: the image's client follows
    the compose file's Postgres image."""
    base = Path(__file__).resolve().parents[2]
    compose = (base / "docker-compose.yml").read_text()
    dockerfile = (base / "Dockerfile").read_text()
    server = re.search(r"image: postgres:(\d+)", compose)
    client = re.search(r"ARG POSTGRES_CLIENT_MAJOR=(\d+)", dockerfile)
    assert server and client
    assert client.group(1) == server.group(1)
