"""Email preferences: what each person chose, with the registered defaults.

A choice for one community beats a choice for all communities, which beats the kind's
default. `preference_modes` answers for many people in one query.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from members.models import User
from outbox.models import Preference
from outbox.registry import preference_kind

FREQUENCY_DAYS: dict[str, int] = {
    Preference.Frequency.DAILY: 1,
    Preference.Frequency.WEEKLY: 7,
    Preference.Frequency.BIWEEKLY: 14,
    Preference.Frequency.MONTHLY: 30,
}
DIGEST = "digest"


def preference_choices(kind: str) -> list[tuple[str, Any]]:
    """The (value, label) choices of a registered kind: the digest's frequencies; on or
    off ("switch": mail with no digest to go into); else immediately / digest / off."""
    registered = preference_kind(kind)
    if registered is not None and registered.choices == "frequency":
        return list(Preference.Frequency.choices)
    if registered is not None and registered.choices == "switch":
        return [
            (value, label)
            for value, label in Preference.Mode.choices
            if value != Preference.Mode.DIGEST
        ]
    return list(Preference.Mode.choices)


def preference_default(kind: str) -> str:
    registered = preference_kind(kind)
    return registered.default if registered else Preference.Mode.IMMEDIATELY


def preference_modes(
    *, user_ids: Iterable[int], kinds: Iterable[str], community_id: int | None
) -> dict[tuple[int, str], str]:
    """{(user id, kind): value} for every pair asked for. One query."""
    user_ids, kinds = list(user_ids), list(kinds)
    scope = Q(community_id__isnull=True)
    if community_id is not None:
        scope |= Q(community_id=community_id)
    chosen: dict[tuple[int, str, int | None], str] = {
        (user_id, kind, scope_id): value
        for user_id, kind, scope_id, value in Preference.objects.filter(
            scope, user_id__in=user_ids, kind__in=kinds
        ).values_list("user_id", "kind", "community_id", "value")
    }
    return {
        (user_id, kind): chosen.get(
            (user_id, kind, community_id),
            chosen.get((user_id, kind, None), preference_default(kind)),
        )
        for user_id in user_ids
        for kind in kinds
    }


def preference_mode(user: User, kind: str, community_id: int | None) -> str:
    return preference_modes(user_ids=[user.pk], kinds=[kind], community_id=community_id)[
        (user.pk, kind)
    ]


def preferences_of(user: User) -> dict[tuple[str, int | None], str]:
    """Everything the user chose explicitly: {(kind, community id or None): value}."""
    return {
        (kind, community_id): value
        for kind, community_id, value in Preference.objects.filter(user=user).values_list(
            "kind", "community_id", "value"
        )
    }


@transaction.atomic
def preference_set(*, user: User, kind: str, community_id: int | None, value: str) -> None:
    """Record a choice (the same choice again changes nothing but the time)."""
    if value not in {choice for choice, _label in preference_choices(kind)}:
        raise ValueError(f"{value!r} is not a choice for {kind}")
    Preference.objects.update_or_create(
        user=user,
        kind=kind,
        community_id=community_id,
        defaults={"value": value, "updated_at": timezone.now()},
    )
