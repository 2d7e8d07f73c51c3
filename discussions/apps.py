from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self) -> None:
        # Register the app's tasks in every process (not only in workers): services
        # enqueue them by name (members.queue), and a task known here is sent, or run
        # at once under CELERY_TASK_ALWAYS_EAGER, exactly as its own .delay would.
        from discussions import tasks  # noqa: F401
        from discussions.emails import activity, digest, moderation, nudges, summary, welcome
        from discussions.services.subscriptions import thread_mute_by_link
        from outbox.registry import register_action

        activity.register()
        # The action writes, so its service is joined to the email's wording here,
        # above both layers.
        register_action(
            activity.MUTE_THREAD, describe=activity.mute_describe, perform=thread_mute_by_link
        )
        moderation.register()
        digest.register()
        nudges.register()
        summary.register()

        from discussions import privacy, signals
        from members.signals import member_erased

        privacy.register()
        member_erased.connect(signals.erase_member, dispatch_uid="discussions.erase_member")
        welcome.register()
