"""Demo email preferences for the personas, written through the outbox's service:
Mira gets her e-health digest daily, Olivia wants replies in watched threads at once,
Fenna keeps the defaults (weekly digest). Idempotent, like the loader that calls it."""

from communities.models import Community
from members.models import User
from outbox.models import Preference
from outbox.preferences import preference_set


def load_demo(personas: dict[str, User], communities: dict[str, Community]) -> None:
    ehealth = communities.get("e-health-projectleiders")
    if "mira" in personas and ehealth is not None:
        preference_set(
            user=personas["mira"],
            kind="digest",
            community_id=ehealth.pk,
            value=Preference.Frequency.DAILY,
        )
    if "olivia" in personas:
        preference_set(
            user=personas["olivia"],
            kind="discussions.watched_reply",
            community_id=None,
            value=Preference.Mode.IMMEDIATELY,
        )
