from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from communities.emails import memberships, scopes
        from outbox.registry import register_scopes

        memberships.register()
        register_scopes(scopes.preference_scopes)
