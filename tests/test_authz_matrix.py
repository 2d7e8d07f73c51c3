"""The authorisation matrix: every URL pattern of the project by personas by community
settings, with the status each must answer for GET and POST.

A URL pattern without an expectation here fails `test_every_url_pattern_has_an_expectation`,
so every new page must say who may see and do what.

Expectations are written from the product rules (decisions.md), not from the code:
404 for what a persona may not know exists, 403 for what they know of but may not do.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from communities.models import Community, CommunityProposal, Membership
from communities.services.communities import community_create
from communities.services.invitations import invitation_create_many
from communities.services.memberships import (
    membership_grant,
    membership_remove,
    membership_request,
)
from communities.services.proposals import proposal_create as community_proposal_create
from discussions.models import Attachment, Flag, KnowledgePage, Reply, Thread
from discussions.services.attachments import attachments_add
from discussions.services.knowledge import knowledge_page_create
from discussions.services.moderation import flag_create
from discussions.services.posts import reply_create, thread_create
from facilitation.models import FacilitatorNote, SeedTemplate
from facilitation.services.act import note_create
from meetings.models import Meeting, OutputFile, TopicProposal
from meetings.services.meetings import meeting_create
from meetings.services.outputs import output_files_add
from meetings.services.proposals import proposal_create
from members.models import User
from tests.factories import UserFactory
from value_cycles.models import Cycle, Tier, ValueEvent, ValueStory
from value_cycles.services.events import value_event_record
from value_cycles.services.stories import value_story_create

PERSONAS = [
    "anonymous",
    "outsider",
    "invited",
    "requested",
    "member",
    "core_member",
    "facilitator",
    "other_facilitator",
    "sponsor",
    "removed",
    "site_admin",
    "other_member",
]
SETTINGS: dict[str, dict[str, Any]] = {
    "open_readable": {"join_policy": "open", "visibility": "signed_in"},
    "open_members_only": {"join_policy": "open", "visibility": "members"},
    "approval": {"join_policy": "approval", "visibility": "members"},
    "invite_confidential": {"join_policy": "invite", "is_listed": False, "is_confidential": True},
    # Everyone may read along without signing in: the thread list, threads and their
    # attachments open to anonymous visitors; everything else still asks them to log in.
    "public_readable": {"join_policy": "open", "visibility": "public"},
}
LOGIN = 302  # anonymous visitors are sent to the login page


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name or ""]))
            yield name or prefix + str(pattern.pattern), prefix + str(pattern.pattern)


ALL_PATTERNS = sorted(set(_walk(get_resolver().url_patterns)))


@dataclass(frozen=True)
class Facts:
    """What the product rules say about one persona in one community."""

    persona: str
    setting: str

    @property
    def anonymous(self) -> bool:
        return self.persona == "anonymous"

    @property
    def listed(self) -> bool:
        return self.setting != "invite_confidential"

    @property
    def active(self) -> bool:
        return self.persona in {"member", "core_member", "facilitator", "sponsor"}

    @property
    def requested(self) -> bool:
        return self.persona == "requested" and self.setting == "approval"

    @property
    def admin(self) -> bool:
        return self.persona == "site_admin"

    @property
    def knows(self) -> bool:
        """May know the community exists."""
        if self.anonymous:
            return False
        return self.listed or self.active or self.requested or self.admin

    @property
    def reads(self) -> bool:
        """May read its discussions (sponsors only see the home)."""
        if self.anonymous:
            return False
        return (
            self.admin
            or self.persona in {"member", "core_member", "facilitator"}
            or self.setting in {"open_readable", "public_readable"}
        )

    @property
    def reads_without_login(self) -> bool:
        """An anonymous visitor reading along: only where the community is public."""
        return self.anonymous and self.setting == "public_readable"

    @property
    def manages(self) -> bool:
        return self.admin or self.persona == "facilitator"

    def seen(self, allowed: int | set[int], can: bool) -> int | set[int]:
        """`allowed` if the persona may do it, else 403 when they know of the community
        and 404 when they may not know it exists (anonymous: to the login page)."""
        if self.anonymous:
            return LOGIN
        if can:
            return allowed
        return 403 if self.knows else 404


Expectation = Callable[[Facts], tuple[int | set[int], int | set[int]]]


def _signed_in(get: int | set[int], post: int | set[int]) -> Expectation:
    return lambda f: (LOGIN, LOGIN) if f.anonymous else (get, post)


def _public(get: int | set[int], post: int | set[int]) -> Expectation:
    return lambda f: (get, post)


def _knows(get: int | set[int], post: int | set[int] = 405) -> Expectation:
    return lambda f: (
        f.seen(get, f.knows),
        f.seen(post, f.knows) if post != 405 else (LOGIN if f.anonymous else 405),
    )


def _manages(get: int | set[int], post: int | set[int]) -> Expectation:
    def rule(f: Facts) -> tuple[int | set[int], int | set[int]]:
        get_status = (LOGIN if f.anonymous else 405) if get == 405 else f.seen(get, f.manages)
        post_status = (LOGIN if f.anonymous else 405) if post == 405 else f.seen(post, f.manages)
        return get_status, post_status

    return rule


def _join(f: Facts) -> tuple[int | set[int], int | set[int]]:
    can = (
        f.knows
        and f.setting in {"open_readable", "open_members_only", "public_readable"}
        and not f.active
        and f.persona != "removed"  # back only by invitation
    )
    # Those who cannot join in one click are sent back to the community page.
    return f.seen(200 if can else 302, f.knows), f.seen(200 if can else 302, f.knows)


def _request(f: Facts) -> tuple[int | set[int], int | set[int]]:
    if f.requested:
        return f.seen(302, True), f.seen(302, True)
    can = f.setting == "approval" and not f.active and f.persona != "removed"
    return f.seen(200, f.knows and can), f.seen(200, f.knows and can)


def _leave(f: Facts) -> tuple[int | set[int], int | set[int]]:
    inside = f.active or f.requested
    # The last facilitator is told they cannot leave (200); others leave (302).
    post = 200 if f.persona == "facilitator" else 302
    return f.seen(200 if inside else 302, f.knows), f.seen(post if inside else 302, f.knows)


def _charter(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # The charter is shown to whoever knows the community; accepting is for members.
    return f.seen(200, f.knows), f.seen(200, f.knows and f.active)


def _reads(f: Facts) -> tuple[int | set[int], int | set[int]]:
    return f.seen(200, f.reads), (LOGIN if f.anonymous else 405)


def _thread(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # A thread's id must not reveal that it exists: 404, even to those who know the
    # community but may not read it.
    if f.anonymous:
        return LOGIN, LOGIN
    return (200 if f.reads else 404), 405


def _thread_public(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # As `_thread`, and anonymous visitors read along where the community is public;
    # elsewhere they are sent to log in, the same for every address. A POST is refused
    # as a method (405) before anything is looked up.
    if f.anonymous:
        return (200 if f.reads_without_login else LOGIN), 405
    return _thread(f)


def _reads_public(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # The thread list: as `_reads`, and open to anonymous visitors where it is public.
    if f.anonymous:
        return (200 if f.reads_without_login else LOGIN), 405
    return _reads(f)


def _sees_member(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # A profile is for people who share a community with its owner (not by sponsorship).
    if f.anonymous:
        return LOGIN, LOGIN
    sees = f.admin or f.persona in {"member", "core_member", "facilitator"}
    return (200 if sees else 404), 405


def _member_list(f: Facts) -> tuple[int | set[int], int | set[int]]:
    can = f.admin or f.persona in {"member", "core_member", "facilitator"}
    return f.seen(200, can), (LOGIN if f.anonymous else 405)


def _on_thread(get: int, post: int, can: Callable[[Facts], bool] = lambda f: True) -> Expectation:
    """Pages of a thread (or a reply, or a page of the community): 404 unless the persona
    reads the community, then `get`/`post` if `can`, else 403. 405 is method refusal,
    answered before anything else."""

    def rule(f: Facts) -> tuple[int | set[int], int | set[int]]:
        if f.anonymous:
            return LOGIN, LOGIN
        statuses = []
        for status in (get, post):
            if status == 405:
                statuses.append(405)
            elif not f.reads:
                statuses.append(404)
            else:
                statuses.append(status if can(f) else 403)
        return statuses[0], statuses[1]

    return rule


def _writes_knowledge(f: Facts) -> bool:
    return f.admin or f.persona in {"facilitator", "core_member"}


def _knowledge_create(f: Facts) -> tuple[int | set[int], int | set[int]]:
    return f.seen(200, _writes_knowledge(f)), f.seen(200, _writes_knowledge(f))


def _knowledge_page(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # Open to anonymous visitors by design: a members-only page sends them to log in.
    if f.anonymous:
        return LOGIN, 405
    return (200 if f.reads else 404), 405


def _lists_members(f: Facts) -> bool:
    return f.admin or f.persona in {"member", "core_member", "facilitator"}


def _thread_mentions(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # 404 for who may not read the thread; the names are the community's members,
    # so only those who may see its member list get them (403 for other readers).
    if f.anonymous:
        return LOGIN, LOGIN
    if not f.reads:
        return 404, 405
    return (200 if _lists_members(f) else 403), 405


def _thread_subscription(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # The matrix posts no level: 400 for readers, 404 for who may not know the thread.
    if f.anonymous:
        return LOGIN, LOGIN
    return 405, (400 if f.reads else 404)


def _community_subscription(f: Facts) -> tuple[int | set[int], int | set[int]]:
    return (LOGIN if f.anonymous else 405), f.seen(400, f.reads)


def _contributes(f: Facts) -> bool:
    return f.persona in {"member", "core_member", "facilitator"}


def _in_thread(can: Callable[[Facts], bool], get: int, post: int) -> Expectation:
    """404 for who may not read the thread, then 403 for who may not do it; a wrong
    method is 405 for everyone signed in."""

    def rule(f: Facts) -> tuple[int | set[int], int | set[int]]:
        if f.anonymous:
            return LOGIN, LOGIN

        def status(allowed: int) -> int:
            if allowed == 405:
                return 405
            if not f.reads:
                return 404
            return allowed if can(f) else 403

        return status(get), status(post)

    return rule


def _moderates(f: Facts) -> bool:  # the world's thread is the facilitator's own
    return f.manages


def _reply_author(f: Facts) -> bool:  # the world's reply is the member's
    return f.manages or f.persona == "member"


def _own_value(get: int, post: int) -> Expectation:
    # The world's value event and story are the member's: nobody else may know of them.
    return lambda f: (
        (LOGIN, LOGIN) if f.anonymous else ((get, post) if f.persona == "member" else (404, 404))
    )


def _value_story(f: Facts) -> tuple[int | set[int], int | set[int]]:
    # The world's story is published at the members' tier: readers of that tier only.
    if f.anonymous:
        return LOGIN, LOGIN
    return (200 if f.admin or _contributes(f) else 404), 405


def _value_story_edit(f: Facts) -> tuple[int | set[int], int | set[int]]:
    if f.anonymous:
        return LOGIN, LOGIN
    if f.persona == "member":
        return 200, 200
    return (403, 403) if f.admin or _contributes(f) else (404, 404)


def _notes(f: Facts, get: int, post: int) -> tuple[int, int]:
    return (get, post) if f.manages else (404, 404)


def _sees_dashboard(f: Facts) -> bool:
    return f.admin or f.persona in {"facilitator", "sponsor"}


def _dashboard(f: Facts) -> tuple[int | set[int], int | set[int]]:
    return f.seen(200, _sees_dashboard(f)), (LOGIN if f.anonymous else 405)


EXPECTATIONS: dict[str, Expectation] = {
    "home": _public(200, 405),
    "health": _public(200, 405),
    "privacy": _public(200, 405),
    "manifest": _public(200, 405),
    "bench-hello": _signed_in(200, 405),
    "members:account": _signed_in(200, 200),
    "members:language-set": _public(405, 302),
    # Your data: every signed-in person has their own page; an empty erasure POST does
    # not confirm (200, the form again); the world holds no export: the id names nothing.
    "members:privacy-data": _signed_in(200, 405),
    "members:export-request": _signed_in(405, 302),
    "members:export-download": _signed_in(404, 405),
    "members:member-erase": _signed_in(200, 200),
    "communities:directory": _signed_in(200, 405),
    "communities:mine": _signed_in(200, 405),
    "communities:create": lambda f: (
        (LOGIN, LOGIN) if f.anonymous else ((200, 200) if f.admin else (403, 403))
    ),
    "communities:detail": _knows(200),
    "communities:update": _manages(200, 200),
    "communities:stage": _manages(405, 302),
    "communities:audit": _manages(200, 405),
    "communities:join": _join,
    "communities:request": _request,
    "communities:leave": _leave,
    "communities:charter": _charter,
    "communities:requests": _manages(200, 405),
    "communities:request-approve": _manages(405, 302),
    "communities:request-decline": _manages({200, 404}, {200, 404}),
    "communities:membership-role": _manages(405, 302),
    "communities:membership-remove": _manages(200, 302),
    "communities:invitations": _manages(200, 200),
    "communities:invitation-resend": _manages(405, 302),
    "communities:invitation-revoke": _manages(405, 302),
    # Strangers arrive here from an email; an unknown token names nothing, for anyone.
    "communities:invitation-accept": _public(404, 404),
    "members:profile-edit": _signed_in(200, 200),
    "members:profile-avatar": _signed_in(404, 405),
    "communities:people-experts": _signed_in(200, 405),
    "communities:people-like-you": _signed_in(200, 405),
    "communities:person": _sees_member,
    "communities:person-avatar": _signed_in(404, 405),  # the member has no photo
    "communities:members": _member_list,
    "discussions:thread-list": _reads_public,
    "discussions:thread": _thread_public,
    "discussions:search": _signed_in(200, 405),
    "discussions:feed": _signed_in(200, 405),
    "discussions:thread-create": lambda f: (
        f.seen(200, _contributes(f)),
        f.seen(200, _contributes(f)),
    ),
    "discussions:thread-similar": _reads,
    "discussions:reply-create": _in_thread(_contributes, 200, 200),
    "discussions:thread-edit": _in_thread(_moderates, 200, 200),
    "discussions:thread-delete": _in_thread(_moderates, 200, 302),
    "discussions:thread-restore": _in_thread(_moderates, 405, 302),
    "discussions:thread-revisions": _in_thread(_moderates, 200, 405),
    # An empty POST names no reaction: 400 for those who may react.
    "discussions:thread-react": _in_thread(_contributes, 405, 400),
    "discussions:answer-unaccept": _in_thread(_moderates, 405, 302),
    "discussions:reply-edit": _in_thread(_reply_author, 200, 200),
    "discussions:reply-delete": _in_thread(_reply_author, 200, 302),
    "discussions:reply-restore": _in_thread(_moderates, 405, 302),
    "discussions:reply-revisions": _in_thread(_reply_author, 200, 405),
    "discussions:reply-react": _in_thread(_contributes, 405, 400),
    "discussions:answer-accept": _in_thread(_moderates, 405, 302),
    # Like the thread itself: 404 (never 403) for anyone who may not read it.
    "discussions:attachment-download": _thread_public,
    "discussions:notifications": _signed_in(200, 405),
    "discussions:notification-read-all": _signed_in(405, 302),
    # The world holds no notification of anyone's: the id names nothing, for everyone.
    "discussions:notification-open": _signed_in(405, 404),
    "discussions:thread-subscription": _thread_subscription,
    "discussions:community-subscription": _community_subscription,
    "discussions:thread-mentions": _thread_mentions,
    "discussions:community-mentions": _member_list,
    "discussions:moderation-all": lambda f: (
        (LOGIN, LOGIN) if f.anonymous else ((200 if f.admin else 403), 405)
    ),
    "discussions:moderation-queue": _manages(200, 405),
    "discussions:flag-resolve": _manages(405, 302),
    "discussions:member-mute": _manages(200, 200),
    "discussions:member-unmute": _manages(405, 302),
    "discussions:thread-flag": _on_thread(200, 200),
    "discussions:reply-flag": _on_thread(200, 200),
    "discussions:thread-moderate": _on_thread(405, 302, lambda f: f.manages),
    "discussions:reply-moderate": _on_thread(405, 302, lambda f: f.manages),
    "discussions:thread-move": _on_thread(200, 200, lambda f: f.manages),
    "discussions:knowledge-list": _knows(200),
    "discussions:knowledge-create": _knowledge_create,
    "discussions:knowledge-create-from-thread": _on_thread(200, 200, _writes_knowledge),
    "discussions:knowledge-page": _knowledge_page,
    "discussions:knowledge-edit": _on_thread(200, 200, _writes_knowledge),
    "discussions:knowledge-history": _on_thread(200, 405),
    # Meetings and topics follow the community's reading rules (like threads): 404 by
    # id for who may not read, 403 on the community's pages for who knows it only.
    "meetings:meeting-list": _reads,
    "meetings:meeting-create": _manages(200, 200),
    "meetings:meeting": _thread,
    "meetings:meeting-ics": _thread,
    "meetings:meeting-edit": _in_thread(_moderates, 200, 200),
    "meetings:meeting-cancel": _in_thread(_moderates, 200, 302),
    # An empty POST names no answer: 400 for members, who may answer.
    "meetings:meeting-rsvp": _in_thread(_contributes, 405, 400),
    "meetings:meeting-attended": _in_thread(_contributes, 405, 302),
    "meetings:meeting-attendance": _in_thread(_moderates, 200, 302),
    "meetings:meeting-outputs": _in_thread(_moderates, 200, 200),
    "meetings:outputs-send": _in_thread(_moderates, 405, 302),
    "meetings:agenda-add": _in_thread(_moderates, 405, 302),
    "meetings:proposal-list": lambda f: (f.seen(200, f.reads), f.seen(200, _contributes(f))),
    "meetings:proposal-vote": _in_thread(_contributes, 405, 400),
    "meetings:proposal-take-up": _in_thread(_moderates, 405, 400),
    "meetings:calendar-feed-settings": _signed_in(200, 400),
    # Calendar clients and email links come without a session; an unknown token names
    # nothing, for anyone.
    "meetings:calendar-feed": _public(404, 405),
    "meetings:rsvp-link": _public(400, 400),
    "meetings:search": _signed_in(200, 405),
    # A meeting's files: downloaded like the meeting is seen (404 by id for who may not
    # read), uploaded and removed by who plans it; an empty upload is sent back.
    "meetings:output-file": _thread,
    "meetings:output-files-add": _in_thread(_moderates, 405, 302),
    "meetings:output-file-remove": _in_thread(_moderates, 405, 302),
    # Value capture: members only (not sponsors by that role alone), where they read.
    "value_cycles:reply-helped": _in_thread(_contributes, 405, 302),
    "value_cycles:reply-will-use": _in_thread(_contributes, 200, 200),
    "value_cycles:reply-used": _in_thread(_contributes, 200, 200),
    "value_cycles:thread-helped": _in_thread(_contributes, 405, 302),
    "value_cycles:thread-will-use": _in_thread(_contributes, 200, 200),
    "value_cycles:thread-used": _in_thread(_contributes, 200, 200),
    "value_cycles:page-helped": _on_thread(405, 302, _contributes),
    "value_cycles:page-will-use": _on_thread(200, 200, _contributes),
    "value_cycles:page-used": _on_thread(200, 200, _contributes),
    # A meeting as the source of value: as for a thread.
    "value_cycles:meeting-helped": _in_thread(_contributes, 405, 302),
    "value_cycles:meeting-will-use": _in_thread(_contributes, 200, 200),
    "value_cycles:meeting-used": _in_thread(_contributes, 200, 200),
    "value_cycles:mine": _signed_in(200, 405),
    "value_cycles:event-edit": _own_value(200, 200),
    "value_cycles:event-delete": lambda f: (
        (LOGIN, LOGIN) if f.anonymous else (405, 302 if f.persona == "member" else 404)
    ),
    "value_cycles:story-from-chain": _own_value(200, 200),
    "value_cycles:log": lambda f: (f.seen(200, _contributes(f)), f.seen(200, _contributes(f))),
    "value_cycles:story": _value_story,
    "value_cycles:story-edit": _value_story_edit,
    "value_cycles:dashboard": _dashboard,
    "value_cycles:dashboard-print": _dashboard,
    "value_cycles:dashboard-csv": _dashboard,
    # Across all one's dashboards: an empty page for those who have none.
    "value_cycles:dashboard-all": _signed_in(200, 405),
    "value_cycles:dashboard-all-print": _signed_in(200, 405),
    "value_cycles:dashboard-all-csv": _signed_in(200, 405),
    "value_cycles:aspiration-create": lambda f: (
        f.seen(200, _sees_dashboard(f)),
        f.seen(200, _sees_dashboard(f)),
    ),
    # Signed links from emails, for anyone holding one: a forged token names nothing.
    "value_cycles:follow-up": _public(404, 404),
    "value_cycles:follow-up-yes": _public(404, 404),
    "outbox:preferences": _signed_in(200, 302),
    # Reached from an email without a session; an unsigned token names nothing.
    "outbox:action": _public(404, 404),
    "discussions:digest-preview": _signed_in(200, 405),
    # The facilitator console: facilitators, core members and site admins open it;
    # its acts (an empty POST names nobody: 400 / the form again) are facilitators'.
    "facilitation:console": lambda f: (
        f.seen(200, f.manages or f.persona == "core_member"),
        LOGIN if f.anonymous else 405,
    ),
    "facilitation:ask": _manages(405, 400),
    "facilitation:nudge": _manages(200, 200),
    # Across one's communities: an empty page for those who facilitate none.
    "facilitation:overview": _signed_in(200, 405),
    # The console's acts: facilitators and site admins. Notes answer 404 to everyone
    # else (that notes about a community exist is not theirs to know).
    "facilitation:seed": _manages(200, 405),
    "facilitation:seed-template": _manages(200, 200),
    "facilitation:notes": lambda f: (LOGIN, LOGIN) if f.anonymous else _notes(f, 200, 200),
    "facilitation:note-edit": lambda f: (LOGIN, LOGIN) if f.anonymous else _notes(f, 200, 200),
    "facilitation:note-delete": lambda f: (
        (LOGIN, LOGIN) if f.anonymous else (405, _notes(f, 0, 302)[1])
    ),
    "facilitation:playbook": _manages(200, 405),
    # An empty POST names no step: 400 for those who may tick.
    "facilitation:playbook-tick": _manages(405, 400),
    # Proposed communities are for every signed-in person; the world's is the member's.
    "communities:proposal-list": _signed_in(200, 405),
    "communities:proposal-create": _signed_in(200, 200),
    "communities:proposal": _signed_in(200, 405),
    "communities:proposal-support": lambda f: (
        (LOGIN, LOGIN) if f.anonymous else (405, 403 if f.persona == "member" else 302)
    ),
    "communities:proposal-found": lambda f: (
        (LOGIN, LOGIN) if f.anonymous else ((200, 200) if f.admin else (403, 403))
    ),
    "communities:proposal-close": lambda f: (
        (LOGIN, LOGIN)
        if f.anonymous
        else ((200, 302) if f.admin or f.persona == "member" else (403, 403))
    ),
}


@dataclass
class World:
    community: Community
    thread: Thread
    reply: Reply
    flag: Flag
    page: KnowledgePage
    people: dict[str, User | None]
    member_membership: Membership
    request_membership: Membership | None
    attachment: Attachment
    meeting: Meeting
    proposal: TopicProposal
    output_file: OutputFile

    def kwargs_for(self, route: str) -> dict[str, Any]:
        values: dict[str, Any] = {
            "slug": self.community.slug,
            "thread_id": self.thread.pk,
            "reply_id": self.reply.pk,
            "flag_id": self.flag.pk,
            "page_slug": self.page.slug,
            "membership_id": (self.request_membership or self.member_membership).pk
            if "requests/" in route
            else self.member_membership.pk,
            "user_id": self.people["member"].pk,
            "token": "not-a-real-token",
            "invitation_id": self.community.invitations.values_list("pk", flat=True).first(),
            "attachment_id": self.attachment.pk,
            # The world holds no notification of anyone's: the id names nothing.
            "notification_id": 0,
            "export_id": 0,
            "meeting_id": self.meeting.pk,
            "proposal_id": self.proposal.pk,
            "file_id": self.output_file.pk,
            "event_id": ValueEvent.objects.filter(community=self.community)
            .values_list("pk", flat=True)
            .first(),
            "story_id": ValueStory.objects.filter(community=self.community)
            .values_list("pk", flat=True)
            .first(),
            "template_id": SeedTemplate.objects.values_list("pk", flat=True).first(),
            "note_id": FacilitatorNote.objects.filter(community=self.community)
            .values_list("pk", flat=True)
            .first(),
            "community_proposal_id": CommunityProposal.objects.values_list("pk", flat=True).first(),
        }
        return {k: v for k, v in values.items() if f"<{k}>" in route or f":{k}>" in route}


def _build_world(setting: str) -> World:
    admin = UserFactory(is_staff=True, is_superuser=True)
    facilitator = UserFactory()
    community = community_create(
        creator=admin,
        facilitator=facilitator,
        name="C",
        slug="c",
        focus="f",
        urgency="u",
        member_value="m",
        charter="Wees aardig.",
        **SETTINGS[setting],
    )
    other_facilitator, other_member = UserFactory(), UserFactory()
    other = community_create(
        creator=admin,
        facilitator=other_facilitator,
        name="O",
        slug="o",
        focus="f",
        urgency="u",
        member_value="m",
    )
    membership_grant(
        community=other, user=other_member, role=Membership.Role.MEMBER, granted_by=admin
    )
    people: dict[str, User | None] = {
        "anonymous": None,
        "site_admin": admin,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "other_member": other_member,
    }
    grants = {
        "member": Membership.Role.MEMBER,
        "core_member": Membership.Role.CORE,
        "sponsor": Membership.Role.SPONSOR,
        "removed": Membership.Role.MEMBER,
    }
    memberships = {}
    for persona, role in grants.items():
        people[persona] = UserFactory()
        memberships[persona] = membership_grant(
            community=community, user=people[persona], role=role, granted_by=admin
        )
    membership_remove(membership=memberships["removed"], by=admin)
    people["outsider"] = UserFactory()
    people["invited"] = UserFactory()
    invitation_create_many(
        community=community, invited_by=facilitator, addresses=people["invited"].email
    )
    people["requested"] = UserFactory()
    request_membership = None
    if setting == "approval":
        request_membership = membership_request(
            community=community, user=people["requested"], message="", charter_accepted=True
        )
    thread = thread_create(
        community=community,
        author=facilitator,
        kind=Thread.Kind.QUESTION,
        title="Vraag",
        body="Tekst",
    )
    # A member's reply: its author may edit it, the facilitator moderates it.
    reply = reply_create(thread=thread, author=people["member"], body="Antwoord")
    flag = flag_create(reporter=facilitator, post=thread, reason="Controle")
    page = knowledge_page_create(
        community=community,
        by=facilitator,
        title="Kennis",
        body="Tekst",
        visibility=KnowledgePage.Visibility.COMMUNITY,
        source_threads=[thread],
    )
    # The member's value: "this helped" on the reply, told as a story for members.
    helped = value_event_record(
        member=people["member"], community=community, cycle=Cycle.IMMEDIATE, source=reply
    )
    value_story_create(
        community=community,
        author=people["member"],
        title="Verhaal",
        sections={"immediate": "Het hielp."},
        ending=ValueStory.Ending.HOPED,
        tier=Tier.MEMBERS,
        events=[helped],
        publish=True,
    )
    [attachment] = attachments_add(
        post=thread, files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")], by=facilitator
    )
    # Under way: members may still answer and already say they were there.
    starts = timezone.now() - timedelta(hours=1)
    meeting = meeting_create(
        community=community,
        by=facilitator,
        kind=Meeting.Kind.MEETUP,
        title="Bijeenkomst",
        description="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="Europe/Amsterdam",
        place="Utrecht",
    )
    proposal = proposal_create(community=community, by=people["member"], title="Onderwerp")
    # The act side: a template to seed from, the facilitator's note, the member's idea.
    SeedTemplate.objects.create(
        stage="coalescing", kind="question", title_nl="V", title_en="Q", body_nl="T", body_en="T"
    )
    note_create(community=community, author=facilitator, body="Notitie")
    community_proposal_create(
        by=people["member"], name="Nieuw", focus="f", urgency="u", member_value="m"
    )
    [output_file] = output_files_add(
        meeting=meeting, by=facilitator, files=[SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n")]
    )
    return World(
        community,
        thread,
        reply,
        flag,
        page,
        people,
        memberships["member"],
        request_membership,
        attachment,
        meeting,
        proposal,
        output_file,
    )


def _status(client: Client, method: str, url: str) -> int:
    # Each request in a savepoint rolled back afterwards, so a POST that leaves or
    # removes does not change what the next persona meets.
    sid = transaction.savepoint()
    try:
        response = client.get(url) if method == "GET" else client.post(url, {})
        return response.status_code
    finally:
        transaction.savepoint_rollback(sid)


def _matches(actual: int, expected: int | set[int]) -> bool:
    return actual in expected if isinstance(expected, set) else actual == expected


GENERIC_PREFIXES = ("admin/", "accounts/", "static/", "media/")


def test_every_url_pattern_has_an_expectation() -> None:
    missing = [
        name
        for name, route in ALL_PATTERNS
        if name not in EXPECTATIONS and not route.startswith(GENERIC_PREFIXES)
    ]
    assert missing == [], f"add authorisation expectations for: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("setting", list(SETTINGS))
@pytest.mark.parametrize(("name", "route"), [(n, r) for n, r in ALL_PATTERNS if n in EXPECTATIONS])
def test_authorisation_matrix(name: str, route: str, setting: str) -> None:
    world = _build_world(setting)
    url = reverse(name, kwargs=world.kwargs_for(route))
    failures = []
    for persona in PERSONAS:
        expected_get, expected_post = EXPECTATIONS[name](Facts(persona, setting))
        client = Client()
        user = world.people[persona]
        if user is not None:
            client.force_login(user)
        for method, expected in (("GET", expected_get), ("POST", expected_post)):
            actual = _status(client, method, url)
            if not _matches(actual, expected):
                failures.append(f"{persona:>17} {method:<4} {url}: {actual}, expected {expected}")
    assert failures == [], "\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:members_user_changelist",
        "admin:communities_community_changelist",
        "admin:communities_membership_changelist",
        "admin:communities_auditevent_changelist",
        "admin:communities_communityproposal_changelist",
        "admin:facilitation_seedtemplate_changelist",
        "admin:members_privacyevent_changelist",
    ],
)
def test_the_admin_is_for_site_admins_only(name: str) -> None:
    """Admin pages send everyone but site admins to a login page; none errors."""
    url = reverse(name)
    outsider = Client()
    outsider.force_login(UserFactory())
    assert outsider.get(url).status_code == 302
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert admin.get(url).status_code in {200, 302}
