from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitationConfig(AppConfig):
    name = "facilitation"
    verbose_name = _("Facilitation")

    def ready(self) -> None:
        # Services enqueue tasks by name (members.queue): register them in every process.
        from facilitation import emails, privacy, tasks  # noqa: F401

        # The outbox renders the console's personal emails at send time by kind.
        emails.register()
        privacy.register()
