from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Register the app's tasks in every process: services enqueue them by name
        # (members.queue), so the name must be known where the service runs.
        from meetings import emails, privacy, tasks  # noqa: F401

        emails.register()
        privacy.register()
