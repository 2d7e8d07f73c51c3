from django.core.management.base import BaseCommand

from devtools.demo import load_demo_data


class Command(BaseCommand):
    help = "Load the demo communities, people and discussions (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        created = load_demo_data()
        if any(created.values()):
            summary = ", ".join(f"{count} {what}" for what, count in created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
