"""Who may open the console and act in it: the one place for the facilitation app.

Built on the viewer's `communities.permissions.Access` (read with the user, so no query
of its own):

| who                        | opens the console | levels, requests, flags | asks, nudges |
|----------------------------|:-----------------:|:-----------------------:|:------------:|
| facilitators, site admins  | yes               | yes                     | yes          |
| core members (ambassadors) | yes               | no (counts only)        | no           |
| everyone else              | 403 / 404         |                         |              |

Core members see the community's health, its open questions and who could answer them
(what the expert finder would show them anyway), not who reads what nor the requests
and flags of the facilitators' own pages.

Statuses follow the communities app (`get_community_for_manager_or_403`): 404 for who
may not know the community exists (a slug must not reveal it), 403 for who knows it but
may not open its console. Every community has a console, so its address tells a member
nothing the community's home does not.

Recipients: a personal request to answer goes only to someone who may read the thread
when it is sent (`can_read_thread`, checked again at send time); a nudge only to an
active member of the community, checked again at send time.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from communities.models import Community
from communities.permissions import (
    Role,
    access_of,
    can_manage_community,
    get_community_for_user_or_404,
)
from discussions.models import Thread
from discussions.permissions import can_read_thread
from facilitation.models import FacilitatorNote
from members.models import User
from members.types import Viewer


def can_open_console(user: Viewer, community: Community) -> bool:
    """Facilitators and core members of the community, and site admins."""
    if not user.is_authenticated:
        return False
    access = access_of(user)
    return access.has("manages", community.pk) or access.role(community.pk) >= Role.CORE


def can_act_in_console(user: Viewer, community: Community) -> bool:
    """Ask members to answer, nudge quiet members, see each member's level, the join
    requests and the flags: the community's facilitators and site admins."""
    return user.is_authenticated and access_of(user).has("manages", community.pk)


def console_communities_for(user: Viewer) -> QuerySet[Community]:
    """The communities whose console the user may open (the overview's rows)."""
    if not user.is_authenticated:
        return Community.objects.none()
    access = access_of(user)
    if access.everything:
        return Community.objects.all()
    ids = sorted(cid for cid, role in access.roles.items() if role >= Role.CORE)
    return Community.objects.filter(pk__in=ids)


def can_see_overview(user: Viewer) -> bool:
    """Whether the header offers the overview: someone who may open at least one
    console. From the access object alone (no query)."""
    if not user.is_authenticated:
        return False
    access = access_of(user)
    return access.everything or any(role >= Role.CORE for role in access.roles.values())


def get_community_for_console_or_404(user: Viewer, slug: str) -> Community:
    """404 for who may not know the community exists, 403 for who may not open it."""
    community = get_community_for_user_or_404(user, slug)
    if not can_open_console(user, community):
        raise PermissionDenied
    return community


def get_community_for_console_actor_or_404(user: Viewer, slug: str) -> Community:
    """As above, for the console's acts (facilitators and site admins only)."""
    community = get_community_for_user_or_404(user, slug)
    if not can_act_in_console(user, community):
        raise PermissionDenied
    return community


def may_be_asked(person: User, thread: Thread) -> bool:
    """At send time: the person is active and may still read the thread, which is
    still shown and not solved."""
    return (
        person.is_active
        and thread.deleted_at is None
        and not thread.is_hidden
        and thread.accepted_reply_id is None
        and can_read_thread(person, thread)
    )


def may_be_nudged(person: User, community: Community) -> bool:
    """At send time: the person is still an active member (not by sponsorship alone)."""
    return person.is_active and access_of(person).role(community.pk) >= Role.MEMBER


# === The act side: seeding threads, notes, the playbook ====================================


# Seeding threads and ticking the playbook are acts of the console: `can_act_in_console`
# and `get_community_for_console_actor_or_404` decide them too.


def notes_visible_to(user: Viewer) -> QuerySet[FacilitatorNote]:
    """Notes of the communities the viewer facilitates (site admins: all). Nothing else
    ever lists them: not search, feeds, digests, emails or exports."""
    if not user.is_authenticated:
        return FacilitatorNote.objects.none()
    return FacilitatorNote.objects.filter(access_of(user).where("manages", "community_id"))


def get_community_for_notes_or_404(user: Viewer, slug: str) -> Community:
    """The notes page answers 404, not 403, to everyone who may not read them: that a
    community keeps notes about its members is itself not theirs to know."""
    community = get_community_for_user_or_404(user, slug)
    if not can_manage_community(user, community):
        raise Http404
    return community


def get_note_for_user_or_404(user: Viewer, community: Community, note_id: int) -> FacilitatorNote:
    note = notes_visible_to(user).filter(community=community, pk=note_id).first()
    if note is None:
        raise Http404
    note.community = community
    return note


def can_write_notes(user: Viewer, community: Community) -> bool:
    return can_act_in_console(user, community)


def can_edit_note(user: Viewer, note: FacilitatorNote) -> bool:
    """Its author, while they facilitate the community, and site admins."""
    if not can_manage_community(user, note.community):
        return False
    return bool(user.is_staff) or note.author_id == user.pk
