from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from outbox import actions, privacy

        actions.register_builtin_actions()
        privacy.register()
        # Register the delivery task in every process: services enqueue it by name.
        from outbox import tasks  # noqa: F401
