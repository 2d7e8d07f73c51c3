"""The weekly summary to facilitators: pending requests and invitations, unanswered
questions, new members. Recorded on Mondays in the digest hour of each facilitator's
zone (by the digest job), once per community and ISO week; counted at send time."""

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Invitation, Membership
from discussions.models import Thread
from discussions.permissions import can_moderate, threads_visible_to
from outbox.models import Message, Preference
from outbox.preferences import preference_modes
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

KIND = "discussions.facilitator_summary"


def summaries_record(*, user_ids: list[int], now: datetime) -> int:
    """For the facilitators among `user_ids` whose local day is Monday: one summary per
    community they facilitate and ISO week. A fixed number of queries."""
    rows = list(
        Membership.objects.filter(
            user_id__in=user_ids,
            state=Membership.State.ACTIVE,
            role__gte=Membership.Role.FACILITATOR,
        ).values_list("user_id", "community_id", "user__time_zone")
    )
    if not rows:
        return 0
    items = []
    for user_id, community_id, zone in rows:
        local = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
        if local.weekday() != 0:
            continue
        year, week, _day = local.isocalendar()
        modes = preference_modes(user_ids=[user_id], kinds=[KIND], community_id=community_id)
        if modes[(user_id, KIND)] == Preference.Mode.OFF:
            continue
        items.append(
            (user_id, f"summary:{community_id}:{year}-W{week:02d}", {"community": community_id})
        )
    message_enqueue_many(kind=KIND, items=items)
    return len(items)


def render_summary(message: Message) -> Email | None:
    recipient = message.recipient
    community = Community.objects.filter(pk=message.payload.get("community")).first()
    if community is None or not can_moderate(recipient, community):
        return None
    week_ago = timezone.now() - timedelta(days=7)
    context = {
        "community": community,
        "requests": Membership.objects.filter(
            community=community, state=Membership.State.REQUESTED
        ).count(),
        "invitations": Invitation.objects.filter(
            community=community, state=Invitation.State.PENDING, expires_at__gt=timezone.now()
        ).count(),
        "unanswered": list(
            threads_visible_to(recipient)
            .filter(
                community=community,
                kind=Thread.Kind.QUESTION,
                reply_count=0,
                deleted_at__isnull=True,
                created_at__gte=timezone.now() - timedelta(days=30),
            )
            .order_by("created_at")[:10]
        ),
        "new_members": list(
            Membership.objects.filter(
                community=community,
                state=Membership.State.ACTIVE,
                role__gte=Membership.Role.MEMBER,
                created_at__gte=week_ago,
            )
            .select_related("user")
            .order_by("created_at")[:20]
        ),
        "requests_url": settings.SITE_URL.rstrip("/")
        + reverse("communities:requests", kwargs={"slug": community.slug}),
    }
    if not (
        context["requests"]
        or context["invitations"]
        or context["unanswered"]
        or context["new_members"]
    ):
        return None
    return render_email(
        "discussions/emails/facilitator_summary",
        recipient=recipient,
        context=context,
        stream=(KIND, community.pk),
    )


def register() -> None:
    register_kind(KIND, render_summary)
    register_preference(
        KIND,
        label=_("Weekly summary (for facilitators)"),
        default=Preference.Mode.IMMEDIATELY,
        for_facilitators=True,
    )
