from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # Register the tasks in every process: services enqueue them by name.
        from members import exports, tasks  # noqa: F401

        exports.register()

        from allauth.mfa.signals import authenticator_added

        from members.receivers import authenticator_app_confirmed

        authenticator_added.connect(authenticator_app_confirmed, dispatch_uid="members.mfa")
