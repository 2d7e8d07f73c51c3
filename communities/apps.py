from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        # Register the app's tasks in every process (not only in workers): services
        # enqueue them by name (members.queue), and a task known here is sent, or run
        # at once under CELERY_TASK_ALWAYS_EAGER, exactly as its own .delay would.
        from communities import tasks  # noqa: F401
        from communities.emails import memberships, proposals, scopes
        from outbox.registry import register_scopes

        memberships.register()
        proposals.register()
        register_scopes(scopes.preference_scopes)

        from communities import privacy, signals
        from members.signals import member_erased

        privacy.register()
        member_erased.connect(signals.erase_member, dispatch_uid="communities.erase_member")
