from collections.abc import Callable, Sequence

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Model

from discussions.models import Reply, Thread
from discussions.services.search_index import replies_reindex, threads_reindex


class Command(BaseCommand):
    help = (
        "Recompute the stored search vector of every thread and reply (accent-folded "
        "plain text, the community's language), in batches. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: object, **options: object) -> None:
        batch_size = max(1, int(options["batch_size"]))  # type: ignore[call-overload]
        self._rebuild("threads", Thread, threads_reindex, batch_size)
        self._rebuild("replies", Reply, replies_reindex, batch_size)
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))

    def _rebuild(
        self,
        label: str,
        model: type[Model],
        reindex: Callable[[Sequence[int]], int],
        batch_size: int,
    ) -> None:
        total = model._default_manager.count()
        done, last_id = 0, 0
        while True:
            # Keyset pagination: each batch is one short transaction of its own.
            ids = list(
                model._default_manager.filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            done += reindex(ids)
            last_id = ids[-1]
            self.stdout.write(f"  {label}: {done:,} of {total:,}")
        self.stdout.write(f"{label}: {done:,} indexed")
