"""Querysets compiled once per process, then run with new values.

Building and compiling a queryset with many subqueries costs more than running it (the
thread page spent a third of its time in the ORM's query building for four queries). A
`PreparedQuery` builds its queryset once, from placeholder values, keeps the SQL and
the compiler's column map, and per run puts the real values where the placeholders
were and turns the rows into model objects as `QuerySet.__iter__` does. The SQL text
is then the same on every run, so psycopg also prepares it on the server (settings:
`prepare_threshold`).

Only for querysets whose *shape* is fixed: what varies per run must be a placeholder
(an id, a time), never something that changes the SQL (a list of ids of varying length,
a condition present for some viewers only: build one PreparedQuery per shape). Lives in
the lowest app layer so every app may use it.
"""

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

# Values no row holds and no query uses as a constant: they mark where the per-run
# values go in the compiled parameters.
ID_PLACEHOLDERS = (-7_300_001, -7_300_002, -7_300_003)
TIME_PLACEHOLDER = datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC)


class PreparedQuery(Generic[M]):
    def __init__(self, build: Callable[..., QuerySet[M]], **placeholders: Any) -> None:
        self._build = build
        self._placeholders = placeholders
        self._compiled: tuple[Any, ...] | None = None
        self._lock = threading.Lock()

    def _compile(self) -> tuple[Any, ...]:
        queryset = self._build(**self._placeholders)
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        slots: list[tuple[int, str]] = []
        for position, value in enumerate(params):
            for name, placeholder in self._placeholders.items():
                if type(value) is type(placeholder) and value == placeholder:
                    slots.append((position, name))
        missing = set(self._placeholders) - {name for _, name in slots}
        if missing:  # a value the query never uses would be silently ignored
            raise ValueError(f"placeholders not in the query: {sorted(missing)}")
        klass_info = compiler.klass_info
        if klass_info is None:
            raise ValueError("only querysets of model objects are prepared")
        select = compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        # Django 5.2 takes three arguments (the stubs already describe a later one).
        populators = get_related_populators(klass_info, select, db)  # type: ignore[call-arg]
        return (db, compiler, sql, list(params), slots, start, end, init_list, populators)

    def run(self, **values: Any) -> list[M]:
        compiled = self._compiled
        if compiled is None:
            with self._lock:
                compiled = self._compiled = self._compiled or self._compile()
        db, compiler, sql, template, slots, start, end, init_list, populators = compiled
        params = list(template)
        for position, name in slots:
            params[position] = values[name]
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        model = compiler.klass_info["model"]
        annotations = compiler.annotation_col_map.items()
        objects: list[M] = []
        for row in compiler.results_iter(results=[rows]):
            obj = model.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects
