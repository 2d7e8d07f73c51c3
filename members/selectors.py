"""Reads on people and organisations.

Lists of people are community business (who may see whom depends on shared
communities) and start from `communities.permissions.people_visible_to`. What this
module adds is the per-field view of one person: `profile_for_viewer` returns only the
fields the viewer may see, so templates cannot show a hidden one by mistake.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from members.models import Organization, User
from members.permissions import (
    PROFILE_FIELDS,
    FieldVisibility,
    field_visibility_of,
    visible_profile_fields,
)
from members.types import Viewer


@dataclass
class ProfileView:
    """One person as one viewer may see them. Hidden fields are empty."""

    person_id: int
    name: str
    organization: str = ""
    job_title: str = ""
    bio: str = ""
    expertise: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    # Changes with every new photo, so browsers do not keep showing an old one.
    avatar_version: str = ""

    @property
    def has_avatar(self) -> bool:
        return bool(self.avatar_version)


def organization_list(viewer: User | None = None) -> QuerySet[Organization]:
    """The organisations `viewer` may choose from: those listed by site admins, plus the
    viewer's own. Names typed by others stay out: one typed by a member of a confidential
    community would tell every signed-in person it exists (it shows only through a
    profile the viewer may see)."""
    chosen = Q(is_listed=True)
    if viewer is not None and viewer.organization_id:
        chosen |= Q(pk=viewer.organization_id)
    return Organization.objects.filter(chosen).order_by("name", "pk")


def tag_names(manager: object) -> list[str]:
    """A tag manager's names, sorted; uses prefetched tags when the caller prefetched."""
    return sorted((tag.name for tag in manager.all()), key=str.lower)  # type: ignore[attr-defined]


def avatar_version(person: User) -> str:
    name = person.avatar.name or ""
    return name.rsplit("/", 1)[-1][:12]


def profile_for_viewer(
    person: User,
    viewer: Viewer,
    *,
    shares_community: bool,
    only: Collection[str] = PROFILE_FIELDS,
) -> ProfileView:
    """The fields of `person` that `viewer` may see, limited to `only` (what a page
    shows). Reads `person.organization`, `person.expertise` and `person.interests` only
    when shown: select and prefetch those in list queries."""
    visible = visible_profile_fields(person, viewer, shares_community=shares_community)
    visible &= set(only)
    organization = person.organization if "organization" in visible else None
    return ProfileView(
        person_id=person.pk,
        name=person.name,
        organization=organization.name if organization else "",
        job_title=person.job_title if "job_title" in visible else "",
        bio=person.bio if "bio" in visible else "",
        expertise=tag_names(person.expertise) if "expertise" in visible else [],
        interests=tag_names(person.interests) if "interests" in visible else [],
        avatar_version=avatar_version(person) if "avatar" in visible else "",
    )


_FIELD_LABELS = {
    "organization": _("Organisation"),
    "job_title": _("Job title"),
    "bio": _("About me"),
    "expertise": _("Expertise"),
    "interests": _("Interests"),
    "avatar": _("Photo"),
}


def profile_visibility_summary(person: User) -> list[tuple[str, str]]:
    """For the person themselves: each optional field and who sees it, in words."""
    levels = dict(FieldVisibility.choices)
    return [
        (str(_FIELD_LABELS[name]), str(levels[field_visibility_of(person, name)]))
        for name in PROFILE_FIELDS
    ]


# --- bylines ---------------------------------------------------------------------------------

# Initials avatars take one of this many colours (CSS classes avatar-c0 ... avatar-c7),
# fixed per person so someone keeps their colour across pages.
AVATAR_COLOURS = 8


def initials(name: str) -> str:
    """One or two capital letters for an initials avatar: first and last word."""
    words = [word for word in name.replace(".", " ").replace("_", " ").split() if word[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def byline_for_viewer(
    viewer: Viewer,
    *,
    person_id: int | None,
    name: str,
    avatar_name: str,
    organization: str,
    field_visibility: object,
    shares_community: bool,
    role_label: str = "",
) -> dict[str, object]:
    """Who wrote a post, as plain values (cached fragments are keyed on them): the
    name, initials and colour, the photo's version and the organisation only where the
    viewer may see them (`members.permissions`), and the role badge. A photo needs a
    viewer who may see the person at all (a shared community), since its address
    answers 404 to anyone else."""
    if person_id is None:
        return {
            "id": None,
            "name": "",
            "initials": "?",
            "colour": 0,
            "photo": "",
            "org": "",
            "role": "",
        }
    person = User(pk=person_id, field_visibility=field_visibility or {})
    person.avatar.name = avatar_name or ""
    visible = visible_profile_fields(person, viewer, shares_community=shares_community)
    sees_person = shares_community or (
        viewer.is_authenticated and (viewer.pk == person_id or viewer.is_staff)
    )
    return {
        "id": person_id,
        "name": name,
        "initials": initials(name),
        "colour": person_id % AVATAR_COLOURS,
        "photo": avatar_version(person) if "avatar" in visible and sees_person else "",
        "org": organization if "organization" in visible else "",
        "role": role_label,
    }
