"""Rows in bulk: COPY with ids assigned by the generator, then the id sequences moved
past them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from devtools.scale_data.progress import Meter


def next_id(model: type[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def copy_rows(
    model: type[Any], columns: Sequence[str], rows: Iterable[Sequence[Any]], meter: Meter
) -> int:
    """COPY the rows into the model's table, counting them on `meter`; returns the count."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's cursor: COPY is not part of Django's API
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in meter.counted(rows):
                copy.write_row(row)
    return meter.done()


def reset_sequence(model: type[Any]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )
