from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.scale_data import BENCH_MEMBER, generate, save_result
from members.models import User


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic data set for benchmarks: small (CI), medium, "
        "or large (10,000 members, 50 communities, 100,000 threads, 1,000,000 replies)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "medium", "large"], default="large")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: object, **options: object) -> None:
        if User.objects.filter(email=BENCH_MEMBER).exists():
            raise CommandError("Scale data is already loaded in this database.")
        size = str(options["size"])
        # Steps and each table's rows, rate and time left go to stderr (progress.py).
        result = generate(size, seed=int(options["seed"]))  # type: ignore[call-overload]
        save_result(result, settings.VAR_DIR / "bench" / f"scale-{size}.json")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated the {size} set in {result.seconds} s: "
                + ", ".join(f"{count:,} {what}" for what, count in result.counts.items())
            )
        )
