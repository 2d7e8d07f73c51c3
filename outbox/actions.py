"""The outbox's own one-click action: "stop these emails" (also List-Unsubscribe)."""

from typing import Any

from django.utils.translation import gettext as _

from members.models import User
from outbox.models import Preference
from outbox.preferences import preference_set
from outbox.registry import preference_kind, register_action
from outbox.rendering import STOP


def _stop_describe(user: User, params: dict[str, Any]) -> str | None:
    kind = preference_kind(str(params.get("kind", "")))
    if kind is None:
        return None
    return _("Stop these emails: “%(kind)s”?") % {"kind": kind.label}


def _stop_perform(user: User, params: dict[str, Any]) -> None:
    kind = preference_kind(str(params.get("kind", "")))
    if kind is None:
        return
    community = params.get("community")
    if community is None:
        # "All communities": choices made per community would otherwise win.
        Preference.objects.filter(user=user, kind=kind.kind, community_id__isnull=False).delete()
    preference_set(
        user=user,
        kind=kind.kind,
        community_id=int(community) if community is not None else None,
        value=Preference.Frequency.OFF if kind.choices == "frequency" else Preference.Mode.OFF,
    )


def register_builtin_actions() -> None:
    register_action(STOP, describe=_stop_describe, perform=_stop_perform)
