"""The console page's whole context, from the selectors beside this module: a fixed
number of queries (health 1, participation 2, attention 4, answerers 1, plus the act
side's `act_context`) whatever the size of the community."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, Membership
from discussions.models import Thread
from facilitation.charts import activity_chart
from facilitation.models import NudgeRecipient
from facilitation.permissions import can_act_in_console, can_open_console
from facilitation.selectors.act import act_context
from facilitation.selectors.answerers import answer_candidates
from facilitation.selectors.attention import attention_for, open_threads_q
from facilitation.selectors.health import activity_by_week
from facilitation.selectors.participation import (
    CORE_POSTS,
    NAMES_SHOWN,
    MemberActivity,
    participation_of,
)
from members.models import User
from members.types import Viewer

# A member is sent a note at most once in this many days per community; one note goes
# to at most MAX_RECIPIENTS people.
NUDGE_QUIET_DAYS = 30
MAX_RECIPIENTS = 50


def series_labels() -> dict[str, str]:
    return {
        "threads": _("Threads"),
        "replies": _("Replies"),
        "readers": _("Readers"),
        "value": _("Value events"),
    }


def console_context(user: Viewer, community: Community) -> dict[str, object]:
    """Everything templates/facilitation/console.html shows. The caller checked that
    the viewer may open the console (`get_community_for_console_or_404`)."""
    now = timezone.now()
    can_act = can_act_in_console(user, community)
    activity = activity_by_week(user, community, now)
    participation = participation_of(community, now)
    attention = attention_for(community, now)
    labels = series_labels()
    candidates = answer_candidates(user, community, attention.questions, now)
    for thread in attention.questions:
        thread.candidates = candidates.get(thread.pk, [])  # type: ignore[attr-defined]
    return {
        "community": community,
        "can_act": can_act,
        "now": now,
        "activity": activity,
        "activity_chart": activity_chart(
            activity, title=_("Activity per week, the last 12 weeks"), labels=labels
        ),
        "labels": labels,
        "participation": participation,
        "names_shown": NAMES_SHOWN,
        "core_posts": CORE_POSTS,
        "attention": attention,
        "attention_total": attention.total(manages=can_act),
        **act_context(user, community),
    }


def nudge_candidates(community: Community) -> list[tuple[MemberActivity, str]]:
    """Members a note could go to: those who went quiet, then those who never posted,
    leaving out anyone nudged here in the last NUDGE_QUIET_DAYS days (three queries)."""
    participation = participation_of(community)
    since = timezone.now() - timedelta(days=NUDGE_QUIET_DAYS)
    nudged = set(
        NudgeRecipient.objects.filter(community=community, created_at__gte=since).values_list(
            "user_id", flat=True
        )
    )
    chosen: list[tuple[MemberActivity, str]] = []
    seen: set[int] = set()
    for group, why in (
        (participation.went_quiet, _("posted before, not in the last 30 days")),
        (participation.never_posted, _("has not posted yet")),
    ):
        for member in group:
            fresh = member.user_id not in seen and member.user_id not in nudged
            if fresh and member.role < Membership.Role.FACILITATOR:
                seen.add(member.user_id)
                chosen.append((member, why))
    return chosen


def question_get_for_console(community: Community, thread_id: int) -> Thread | None:
    """An open question of the community (the ask form names it by id)."""
    return (
        Thread.objects.filter(open_threads_q(), community=community, kind=Thread.Kind.QUESTION)
        .select_related("community")
        .filter(pk=thread_id)
        .first()
    )


def member_get_for_console(community: Community, user_id: int) -> User | None:
    """An active member (not by sponsorship alone) of the community."""
    return User.objects.filter(
        pk=user_id,
        is_active=True,
        memberships__community=community,
        memberships__state=Membership.State.ACTIVE,
        memberships__role__gte=Membership.Role.MEMBER,
    ).first()


def members_get_for_console(community: Community, user_ids: list[int]) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=user_ids,
            is_active=True,
            memberships__community=community,
            memberships__state=Membership.State.ACTIVE,
            memberships__role__gte=Membership.Role.MEMBER,
        )
    )


def community_home_context(user: Viewer, community: Community) -> dict[str, object]:
    """What templates/facilitation/_home_link.html needs on the community home (from the
    access object: no query)."""
    return {"can_open_console": can_open_console(user, community)}
