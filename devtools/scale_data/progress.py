"""Progress of a long generation: for each table, a line every few seconds with the rows
written, the rate and the time left, then one with the total, so that the minutes the
large set takes are not minutes of silence."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
# The clock is read once per this many rows: cheap on a million rows, often enough for
# a line every few seconds.
CHECK_EVERY = 1000


def to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


class Meter:
    """Counts what is written to one table and reports it through `emit`: at most once
    per `interval` seconds while it runs, and once when done()."""

    def __init__(
        self,
        what: str,
        *,
        total: int | None,
        emit: Callable[[str], None],
        interval: float = 5.0,
        unit: str = "rows",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.total, self.unit = what, total, unit
        self.emit, self.interval, self.clock = emit, interval, clock
        self.count = 0
        self.started = self.last = clock()
        self._next_check = CHECK_EVERY

    def add(self, count: int = 1) -> None:
        self.count += count
        if self.count < self._next_check:
            return
        self._next_check = self.count + CHECK_EVERY
        now = self.clock()
        if now - self.last >= self.interval:
            self.last = now
            self.emit(self.line(now))

    def counted(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            yield item
            self.add()

    def rate(self, now: float) -> float:
        elapsed = now - self.started
        return self.count / elapsed if elapsed > 0 else 0.0

    def line(self, now: float) -> str:
        rate = self.rate(now)
        written = f"{self.count:,}"
        if self.total:
            written += f" of {self.total:,} {self.unit} ({100 * self.count // self.total} %)"
        else:
            written += f" {self.unit}"
        text = f"  {self.what}: {written}, {rate:,.0f} {self.unit}/s"
        if self.total and rate:
            text += f", about {duration(max(self.total - self.count, 0) / rate)} left"
        return text

    def done(self) -> int:
        now = self.clock()
        self.emit(
            f"  {self.what}: {self.count:,} {self.unit} in {duration(now - self.started)} "
            f"({self.rate(now):,.0f} {self.unit}/s)"
        )
        return self.count
