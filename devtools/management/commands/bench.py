from django.core.management.base import BaseCommand, CommandParser

from devtools.bench_mixed import run_mixed
from devtools.benchmark import run


class Command(BaseCommand):
    help = (
        "Benchmark the main pages as ratios to a hello-world view, or with --mixed many "
        "members at once on a mix of pages (see docs/performance.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=["small", "medium", "large"], default="large")
        parser.add_argument("--seconds", type=int, default=10, help="per page, or the mixed run")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument(
            "--smoke", action="store_true", help="fail on errors or queries over budget (CI)"
        )
        parser.add_argument(
            "--mixed", action="store_true", help="mixed load of --users members instead of pages"
        )
        parser.add_argument("--users", type=int, default=50, help="members in the mixed run")
        parser.add_argument(
            "--proxy",
            action="store_true",
            help="put a buffering proxy (nginx) in front, as production has (mixed run)",
        )
        parser.add_argument(
            "--think-ms",
            type=int,
            default=0,
            help="mean pause between one member's requests in the mixed run (0: none)",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["mixed"]:
            code = run_mixed(
                size=str(options["size"]),
                users=int(options["users"]),  # type: ignore[call-overload]
                seconds=int(options["seconds"]),  # type: ignore[call-overload]
                think_ms=int(options["think_ms"]),  # type: ignore[call-overload]
                smoke=bool(options["smoke"]),
                proxy=bool(options["proxy"]),
                out=self.stdout.write,
            )
        else:
            code = run(
                size=str(options["size"]),
                seconds=int(options["seconds"]),  # type: ignore[call-overload]
                connections=int(options["connections"]),  # type: ignore[call-overload]
                smoke=bool(options["smoke"]),
                out=self.stdout.write,
            )
        if code:
            raise SystemExit(code)
