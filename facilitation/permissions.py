"""Who may open the console and act in it: the one place for the facilitation app."""

from django.db.models import QuerySet
from django.http import Http404

from communities.models import Community
from communities.permissions import (
    access_of,
    can_manage_community,
    get_community_for_manager_or_403,
    get_community_for_user_or_404,
)
from facilitation.models import FacilitatorNote
from members.types import Viewer

# === The act side: seeding threads, notes, the playbook ====================================


def can_act_in(user: Viewer, community: Community) -> bool:
    """Seed threads and tick the playbook: the community's facilitators and site admins
    (the right to manage it)."""
    return can_manage_community(user, community)


def get_community_for_acting_or_403(user: Viewer, slug: str) -> Community:
    return get_community_for_manager_or_403(user, slug)


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
    return can_manage_community(user, community)


def can_edit_note(user: Viewer, note: FacilitatorNote) -> bool:
    """Its author, while they facilitate the community, and site admins."""
    if not can_manage_community(user, note.community):
        return False
    return bool(user.is_staff) or note.author_id == user.pk
