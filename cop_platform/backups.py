"""Backups: a pg_dump of the database and a copy of the media files, and their restore.

A backup is one directory, `<backups>/<UTC timestamp>/`, holding `database.dump`
(pg_dump's custom format: restored table by table, indexes rebuilt), `media/` (the
uploaded files as they are on disk) and `manifest.json` (versions, time, and the
SHA-256 of every media file, checked before and after a restore).

Dumps are made with the client of the server's major version or a newer one: pg_dump
refuses a newer server, and a dump made by an older client could miss what the server
has. A restore goes into an empty database only (a fresh `createdb`, before `migrate`),
so it never mixes two states of the data.

Used by `manage.py backup` / `manage.py restore` (and so `make backup` / `make restore`
and the compose deployment: README, "Backups").
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg
from django.utils import timezone
from psycopg import sql

DUMP = "database.dump"
MEDIA = "media"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that must not go ahead; the message says why."""


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")
    return found


def client_major(name: str) -> int:
    """The major version of pg_dump / pg_restore ("pg_dump (PostgreSQL) 16.4" -> 16)."""
    output = subprocess.run(  # noqa: S603 - a fixed binary found on PATH, no shell
        [_binary(name), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    if match is None:
        raise BackupError(f"cannot read the version of {name}: {output!r}")
    return int(match.group(1))


def _conninfo(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq's environment for a Django database entry: no password on a command line."""
    pairs = {
        "PGDATABASE": database.get("NAME"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
    }
    return {key: str(value) for key, value in pairs.items() if value}


def _connect(database: Mapping[str, Any]) -> psycopg.Connection[Any]:
    info = _conninfo(database)
    return psycopg.connect(
        dbname=info.get("PGDATABASE", ""),
        user=info.get("PGUSER"),
        password=info.get("PGPASSWORD"),
        host=info.get("PGHOST"),
        port=info.get("PGPORT"),
        autocommit=True,
    )


def server_major(database: Mapping[str, Any]) -> int:
    with _connect(database) as connection:
        return connection.info.server_version // 10000


def table_names(database: Mapping[str, Any]) -> list[str]:
    with _connect(database) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    return [row[0] for row in rows]


def row_counts(database: Mapping[str, Any]) -> dict[str, int]:
    """Rows per table of the public schema (for checking a restore)."""
    counts = {}
    with _connect(database) as connection:
        for name in table_names(database):
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))
            row = connection.execute(query).fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts


def file_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file under `root`, by its path relative to `root`."""
    sums = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            sums[path.relative_to(root).as_posix()] = digest.hexdigest()
    return sums


def _run(name: str, arguments: list[str], database: Mapping[str, Any]) -> None:
    result = subprocess.run(  # noqa: S603 - a fixed binary, arguments from settings
        [_binary(name), *arguments],
        env={**os.environ, **_conninfo(database)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-2000:]}")


def backup_create(*, database: Mapping[str, Any], media_root: Path, into: Path) -> Path:
    """Dump `database` and copy `media_root` into a new directory under `into`."""
    client, server = client_major("pg_dump"), server_major(database)
    if client < server:
        raise BackupError(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server: install "
            f"postgresql-client-{server}."
        )
    directory = into / timezone.now().strftime("%Y%m%dT%H%M%SZ")
    directory.mkdir(parents=True, exist_ok=False)
    _run(
        "pg_dump",
        ["--format=custom", "--no-owner", "--no-privileges", f"--file={directory / DUMP}"],
        database,
    )
    if media_root.is_dir():
        shutil.copytree(media_root, directory / MEDIA)
    else:
        (directory / MEDIA).mkdir()
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": database.get("NAME"),
        "server_version": server,
        "pg_dump_version": client,
        "media_files": file_checksums(directory / MEDIA),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return directory


def _manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a backup made by `manage.py backup`.") from error
    if not (source / DUMP).is_file():
        raise BackupError(f"{source / DUMP} is missing.")
    return manifest


def backup_restore(*, source: Path, database: Mapping[str, Any], media_root: Path) -> None:
    """Restore the backup in `source` into the empty `database` and put its media
    files under `media_root`. Checks the media files against the manifest before
    (a damaged backup restores nothing) and after copying them."""
    manifest = _manifest(source)
    if file_checksums(source / MEDIA) != manifest["media_files"]:
        raise BackupError(f"the media files of {source} do not match its manifest.")
    if table_names(database):
        raise BackupError(
            f"database {database.get('NAME')!r} is not empty: restore into a new one "
            "(createdb), before running migrate."
        )
    if client_major("pg_restore") < int(manifest["pg_dump_version"]):
        raise BackupError("pg_restore is older than the pg_dump that made this backup.")
    _run(
        "pg_restore",
        [
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database.get('NAME')}",
            str(source / DUMP),
        ],
        database,
    )
    media_root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source / MEDIA, media_root, dirs_exist_ok=True)
    restored = file_checksums(media_root)
    wrong = [
        name for name, digest in manifest["media_files"].items() if restored.get(name) != digest
    ]
    if wrong:
        raise BackupError(f"media files differ after copying: {wrong[:10]}")
