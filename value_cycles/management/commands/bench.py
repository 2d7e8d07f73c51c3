from django.core.management.base import BaseCommand, CommandParser

from value_cycles.benchmark import run


class Command(BaseCommand):
    help = "Benchmark the main pages as ratios to a hello-world view (see docs/performance.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "medium", "large"], default="large")
        parser.add_argument("--seconds", type=int, default=10, help="per page")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument(
            "--smoke", action="store_true", help="fail on errors or queries over budget (CI)"
        )

    def handle(self, *args: object, **options: object) -> None:
        code = run(
            size=str(options["size"]),
            seconds=int(options["seconds"]),  # type: ignore[call-overload]
            connections=int(options["connections"]),  # type: ignore[call-overload]
            smoke=bool(options["smoke"]),
            out=self.stdout.write,
        )
        if code:
            raise SystemExit(code)
