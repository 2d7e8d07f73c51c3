from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValueCyclesConfig(AppConfig):
    name = "value_cycles"
    verbose_name = _("Value cycles")

    def ready(self) -> None:
        from value_cycles import emails, privacy

        emails.register()
        privacy.register()
