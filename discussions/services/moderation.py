"""Moderation: flags, hide, lock, pin, move, mute, and limits on new members' posting.

Every change re-checks `can_moderate`, is audit-logged in the community's log (actor,
action, the post's author as subject, thread/reply ids; never post text) and is
idempotent: asking for the state a post is already in changes and records nothing.
User-facing refusals raise ValidationError with a translated message; acting without
the right raises PermissionDenied.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import AuditEvent, Community, Membership
from communities.services.audit import audit_record
from discussions.emails.moderation import flag_enqueue
from discussions.models import CommunityMute, Flag, ReadState, Reply, Thread
from discussions.permissions import can_flag, can_moderate
from discussions.services.search_index import thread_index
from members.models import User

A = AuditEvent.Action
MUTE_MIN_DAYS = 1
MUTE_MAX_DAYS = 90


def _when(moment: datetime) -> str:
    """A moment in the reader's time zone and language, for messages."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _community_of(post: Thread | Reply) -> Community:
    return post.community if isinstance(post, Thread) else post.thread.community


def _post_ids(post: Thread | Reply) -> dict[str, int]:
    if isinstance(post, Thread):
        return {"thread_id": post.pk}
    return {"thread_id": post.thread_id, "reply_id": post.pk}


def _active_mute(user: User, community: Community) -> CommunityMute | None:
    return (
        CommunityMute.objects.filter(community=community, user=user, until__gt=timezone.now())
        .order_by("-until")
        .first()
    )


def _new_member_since(user: User, community: Community) -> datetime | None:
    """When the user became an active member, if that is recent enough for the
    new-member limit. Membership.updated_at is set whenever a membership is (re)activated,
    so someone who comes back counts as new again; core members and up are trusted."""
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, community=community, state=Membership.State.ACTIVE)
        .first()
    )
    if membership is None or membership.role >= Membership.Role.CORE:
        return None
    days = getattr(settings, "COP_NEW_MEMBER_DAYS", 7)
    joined = max(membership.created_at, membership.updated_at)
    return joined if joined > timezone.now() - timedelta(days=days) else None


def _post_times_last_day(user: User, community: Community) -> list[datetime]:
    since = timezone.now() - timedelta(hours=24)
    # Deleted posts count too: deleting and posting again must not get round the limit.
    threads = Thread.objects.filter(author=user, community=community, created_at__gt=since)
    replies = Reply.objects.filter(author=user, thread__community=community, created_at__gt=since)
    return list(
        threads.values_list("created_at", flat=True).union(
            replies.values_list("created_at", flat=True), all=True
        )
    )


@transaction.atomic
def ensure_may_post(*, user: User, community: Community) -> None:
    """Raise ValidationError with a clear message when the user may not post right now:
    muted in the community, or a new member over the daily posting limit.

    Call it first inside the transaction that creates the thread or reply: it locks the
    user's membership row, so two posts sent at once cannot both slip under the limit.
    Moderators and site admins are never limited.
    """
    if can_moderate(user, community):
        return
    mute = _active_mute(user, community)
    if mute is not None:
        raise ValidationError(
            _(
                "A facilitator has muted you in this community until %(date)s. "
                "You can still read along; you can post again after that."
            )
            % {"date": _when(mute.until)},
            code="muted",
        )
    if _new_member_since(user, community) is None:
        return
    limit = max(1, int(getattr(settings, "COP_NEW_MEMBER_POSTS_PER_DAY", 10)))
    times = _post_times_last_day(user, community)
    if len(times) < limit:
        return
    # Posting opens again when enough of the day's posts are more than 24 hours old.
    again = sorted(times)[len(times) - limit] + timedelta(hours=24)
    raise ValidationError(
        ngettext(
            "New members can post %(limit)s message a day in this community.",
            "New members can post %(limit)s messages a day in this community.",
            limit,
        )
        % {"limit": limit}
        + " "
        + _("You can post again from %(time)s.") % {"time": _when(again)},
        code="rate_limited",
    )


@transaction.atomic
def flag_create(*, reporter: User, post: Thread | Reply, reason: str) -> Flag:
    """Report a post to the community's facilitators. One open flag per reporter per
    post: a second report while the first is open is refused kindly. The post row is
    locked so that a double submit cannot create two flags."""
    thread = post if isinstance(post, Thread) else post.thread
    if not can_flag(reporter, thread) or post.is_deleted:
        raise PermissionDenied
    type(post).objects.select_for_update().filter(pk=post.pk).first()
    own_open = Flag.objects.filter(reporter=reporter, resolved_at__isnull=True)
    if isinstance(post, Thread):
        own_open = own_open.filter(thread=post)
    else:
        own_open = own_open.filter(reply=post)
    if own_open.exists():
        raise ValidationError(
            _("You have already reported this post. Thank you: the facilitators will look at it."),
            code="duplicate",
        )
    flag = Flag.objects.create(
        thread=post if isinstance(post, Thread) else None,
        reply=post if isinstance(post, Reply) else None,
        community=thread.community,
        reporter=reporter,
        reason=reason.strip(),
    )
    flag_enqueue(flag, thread)
    return flag


def _resolve_open_flags(post: Thread | Reply, by: User) -> list[int]:
    flags = Flag.objects.filter(resolved_at__isnull=True).filter(
        thread=post if isinstance(post, Thread) else None,
        reply=post if isinstance(post, Reply) else None,
    )
    ids = list(flags.values_list("pk", flat=True))
    Flag.objects.filter(pk__in=ids).update(resolved_at=timezone.now(), resolved_by=by)
    return ids


@transaction.atomic
def flag_resolve(*, flag: Flag, by: User) -> Flag:
    """Close a flag (the post stays as it is unless hidden separately). Idempotent."""
    if not can_moderate(by, flag.community):
        raise PermissionDenied
    locked = (
        Flag.objects.select_for_update(of=("self",))
        .select_related("community", "thread__author", "reply__author")
        .get(pk=flag.pk)
    )
    if locked.resolved_at is not None:
        return locked
    locked.resolved_at = timezone.now()
    locked.resolved_by = by
    locked.save(update_fields=["resolved_at", "resolved_by"])
    post = locked.thread or locked.reply
    audit_record(
        community=locked.community,
        actor=by,
        action=A.FLAG_RESOLVED,
        subject=post.author if post is not None else None,
        flag_id=locked.pk,
        **(_post_ids(post) if post is not None else {}),
    )
    return locked


@transaction.atomic
def post_set_hidden(*, post: Thread | Reply, by: User, hidden: bool) -> Thread | Reply:
    """Hide a post from everyone but its author and the moderators, or show it again.
    Hiding also closes the open flags on the post (their ids go in the audit row)."""
    community = _community_of(post)
    if not can_moderate(by, community):
        raise PermissionDenied
    changed = type(post).objects.filter(pk=post.pk, is_hidden=not hidden).update(is_hidden=hidden)
    post.is_hidden = hidden
    if not changed:
        return post
    detail: dict[str, object] = dict(_post_ids(post))
    if hidden:
        detail["resolved_flag_ids"] = _resolve_open_flags(post, by)
    audit_record(
        community=community,
        actor=by,
        action=A.POST_HIDDEN if hidden else A.POST_UNHIDDEN,
        subject=post.author,
        **detail,
    )
    return post


def _thread_toggle(thread: Thread, by: User, field: str, value: bool, on: str, off: str) -> Thread:
    if not can_moderate(by, thread.community):
        raise PermissionDenied
    changed = Thread.objects.filter(pk=thread.pk, **{field: not value}).update(**{field: value})
    setattr(thread, field, value)
    if changed:
        audit_record(
            community=thread.community,
            actor=by,
            action=on if value else off,
            subject=thread.author,
            thread_id=thread.pk,
        )
    return thread


@transaction.atomic
def thread_set_locked(*, thread: Thread, by: User, locked: bool) -> Thread:
    """Lock a thread (no new replies, except from moderators) or unlock it."""
    return _thread_toggle(thread, by, "is_locked", locked, A.THREAD_LOCKED, A.THREAD_UNLOCKED)


@transaction.atomic
def thread_set_pinned(*, thread: Thread, by: User, pinned: bool) -> Thread:
    """Pin a thread to the top of its community's list, or unpin it."""
    return _thread_toggle(thread, by, "is_pinned", pinned, A.THREAD_PINNED, A.THREAD_UNPINNED)


@transaction.atomic
def thread_move(*, thread: Thread, by: User, to: Community) -> Thread:
    """Move a thread, with its replies, to another community. The mover must moderate
    both. Open flags and read states follow the thread; the move is recorded in both
    communities' logs. A thread never leaves a confidential community: its replies and
    files were written for those members only."""
    source = thread.community
    if not (can_moderate(by, source) and can_moderate(by, to)):
        raise PermissionDenied
    if source.is_confidential:
        raise ValidationError(
            _("A thread in a confidential community stays there: it cannot be moved."),
            code="confidential",
        )
    if to.pk == source.pk:
        raise ValidationError(_("The thread is already in this community."), code="same")
    Thread.objects.select_for_update().filter(pk=thread.pk).update(community=to)
    Reply.objects.filter(thread=thread).update(community=to)
    Flag.objects.filter(thread=thread).update(community=to)
    Flag.objects.filter(reply__thread=thread).update(community=to)
    ReadState.objects.filter(thread=thread).update(community=to)
    thread.community = to
    for community, detail in (
        (source, {"to_community_id": to.pk}),
        (to, {"from_community_id": source.pk}),
    ):
        audit_record(
            community=community,
            actor=by,
            action=A.THREAD_MOVED,
            subject=thread.author,
            thread_id=thread.pk,
            **detail,
        )
    # The search vector uses the community's language, which may differ.
    transaction.on_commit(lambda: thread_index(thread))
    return thread


@transaction.atomic
def member_mute(
    *, community: Community, user: User, by: User, days: int, reason: str
) -> CommunityMute:
    """Mute a member in one community for 1-90 days: they read but cannot post. A new
    mute replaces a running one (it can shorten or extend it)."""
    if not can_moderate(by, community):
        raise PermissionDenied
    if not MUTE_MIN_DAYS <= days <= MUTE_MAX_DAYS:
        raise ValidationError(
            _("Choose between %(min)s and %(max)s days.")
            % {"min": MUTE_MIN_DAYS, "max": MUTE_MAX_DAYS},
            code="days",
        )
    if user.pk == by.pk or can_moderate(user, community):
        raise ValidationError(_("Facilitators and site admins cannot be muted."), code="moderator")
    now = timezone.now()
    CommunityMute.objects.filter(community=community, user=user, until__gt=now).update(until=now)
    mute = CommunityMute.objects.create(
        community=community,
        user=user,
        until=now + timedelta(days=days),
        reason=reason.strip(),
        muted_by=by,
    )
    audit_record(
        community=community,
        actor=by,
        action=A.MEMBER_MUTED,
        subject=user,
        until=mute.until.isoformat(),
        days=days,
        reason=mute.reason,
    )
    return mute


@transaction.atomic
def member_unmute(*, community: Community, user: User, by: User) -> None:
    """End a member's running mute now. Idempotent: nothing is recorded when the member
    is not muted. Recorded as a mute ending now (`ended: true`), as the audit log has no
    separate action for it."""
    if not can_moderate(by, community):
        raise PermissionDenied
    now = timezone.now()
    ended = CommunityMute.objects.filter(community=community, user=user, until__gt=now).update(
        until=now
    )
    if ended:
        audit_record(
            community=community,
            actor=by,
            action=A.MEMBER_UNMUTED,
            subject=user,
            until=now.isoformat(),
        )
