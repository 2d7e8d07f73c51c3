"""The welcome sequence: three short emails to a new member of a community, on the day
they join (what the community is for, how to post from a phone), on day 3 ("ask your
first question") and on day 10 ("what others found useful"). It stops as soon as they
have posted there, and follows the "welcome" preference per community.

`welcome_record` (hourly, beat) records the step due now for each member who joined
within the last STEPS[-1] + 1 days, once per (member, community, step): the unique key
makes a second run record nothing. A step missed (the job did not run that day) is not
sent late once the next one is due: only the latest due step goes out. Nothing is
recorded at night in the member's time zone; the next hourly run does it.
"""

import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Membership
from communities.permissions import can_read_community
from discussions.models import Reply, Thread
from discussions.permissions import knowledge_pages_visible_to, threads_visible_to
from outbox.models import Message, Preference
from outbox.preferences import preference_mode, preference_modes
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

KIND = "discussions.welcome"
# Days after joining.
STEPS = (0, 3, 10)
DAY_HOURS = range(8, 21)
USEFUL = 5


def _posted(user_ref: OuterRef | int, community_ref: OuterRef | int) -> Q:
    return Exists(Thread.objects.filter(author_id=user_ref, community_id=community_ref)) | Exists(
        Reply.objects.filter(author_id=user_ref, thread__community_id=community_ref)
    )


def welcome_record(now: datetime) -> int:
    """Record the welcome emails due now; returns how many. Three queries: the new
    members who have not posted, their preferences (one per community), the insert."""
    joined = Greatest(
        "created_at",
        Coalesce("decided_at", "created_at"),
        Coalesce("charter_accepted_at", "created_at"),
    )
    rows = list(
        Membership.objects.annotate(joined=joined)
        .filter(
            state=Membership.State.ACTIVE,
            role__gte=Membership.Role.MEMBER,
            user__is_active=True,
            joined__gt=now - timedelta(days=STEPS[-1] + 1),
        )
        .exclude(_posted(OuterRef("user_id"), OuterRef("community_id")))
        .values_list("user_id", "community_id", "joined", F("user__time_zone"))
    )
    by_community: dict[int, list[tuple[int, int]]] = {}
    for user_id, community_id, joined_at, zone in rows:
        if now.astimezone(zoneinfo.ZoneInfo(zone)).hour not in DAY_HOURS:
            continue
        days = (now - joined_at).days
        step = max((s for s in STEPS if s <= days), default=None)
        if step is not None:
            by_community.setdefault(community_id, []).append((user_id, step))
    recorded = 0
    for community_id, people in by_community.items():
        modes = preference_modes(
            user_ids=[u for u, _ in people], kinds=[KIND], community_id=community_id
        )
        items = [
            (user_id, f"welcome:{community_id}:{step}", {"community": community_id, "step": step})
            for user_id, step in people
            if modes[(user_id, KIND)] != Preference.Mode.OFF
        ]
        recorded += len(message_enqueue_many(kind=KIND, items=items))
    return recorded


def render_welcome(message: Message) -> Email | None:
    user = message.recipient
    step = message.payload.get("step")
    community = Community.objects.filter(pk=message.payload.get("community")).first()
    if community is None or step not in STEPS or not can_read_community(user, community):
        return None
    if Membership.objects.filter(
        _posted(user.pk, community.pk),
        user=user,
        community=community,
    ).exists():
        return None  # they have posted: the sequence has done its work
    if preference_mode(user, KIND, community.pk) == Preference.Mode.OFF:
        return None
    useful: list[Any] = []
    if step == STEPS[-1]:
        # Knowledge pages first, then questions with an accepted answer.
        useful = [
            *knowledge_pages_visible_to(user)
            .filter(community=community)
            .select_related("community")
            .order_by("-updated_at")[:2],
            *threads_visible_to(user)
            .filter(
                community=community,
                deleted_at__isnull=True,
                is_hidden=False,
                accepted_reply__isnull=False,
            )
            .order_by("-last_activity_at")[:USEFUL],
        ][:USEFUL]
        if not useful:
            return None  # nothing to show yet: better no email than an empty one
    return render_email(
        f"discussions/emails/welcome_{step}",
        recipient=user,
        context={
            "community": community,
            "useful": useful,
            "community_url": reverse("communities:detail", kwargs={"slug": community.slug}),
            "ask_url": reverse("discussions:thread-create", kwargs={"slug": community.slug}),
        },
        stream=(KIND, community.pk),
    )


def register() -> None:
    register_kind(KIND, render_welcome)
    register_preference(
        KIND,
        label=_("Welcome emails for new members"),
        default=Preference.Mode.IMMEDIATELY,
        choices="switch",
    )
