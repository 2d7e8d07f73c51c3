from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # Register the tasks in every process: services enqueue them by name.
        from members import exports, tasks  # noqa: F401

        exports.register()

        from allauth.mfa import signals as mfa_signals

        from members.receivers import authenticator_app_confirmed, authenticator_change_audited

        mfa_signals.authenticator_added.connect(
            authenticator_app_confirmed, dispatch_uid="members.mfa"
        )
        for change in ("added", "removed", "reset"):
            getattr(mfa_signals, f"authenticator_{change}").connect(
                authenticator_change_audited, dispatch_uid=f"members.mfa_audit_{change}"
            )
