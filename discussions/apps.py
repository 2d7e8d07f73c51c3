from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionsConfig(AppConfig):
    name = "discussions"
    verbose_name = _("Discussions")

    def ready(self) -> None:
        from discussions.emails import activity, digest, moderation, nudges, summary

        activity.register()
        moderation.register()
        digest.register()
        nudges.register()
        summary.register()
