from django.core.management.base import BaseCommand, CommandParser

from devtools.demo import PERSONAS


class Command(BaseCommand):
    help = "Print where to open the site and how to log in as each demo persona."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args: object, **options: str) -> None:
        url = options["url"]
        lines = [
            "",
            f"  The platform runs at {url}",
            "",
            f"  Log in at {url}/accounts/login/code/ with one of these addresses; the",
            "  sign-in code is printed below in this terminal and kept in var/mail/.",
            "",
        ]
        lines += [f"    {p.email:<22} {p.name:<16} {p.role_note}" for p in PERSONAS]
        lines += ["", "  Stop everything with Ctrl-C.", ""]
        self.stdout.write("\n".join(lines))
