"""Who may see which profile field: the one place that decides.

Whether the viewer shares a community with the person is community knowledge, which
this app must not import; callers in `communities` compute it and pass it in as
`shares_community`. Who may see a person *at all* is decided there too
(`communities.permissions.people_visible_to`): these rules only thin out what such
a viewer sees. The display name is always shown to anyone who may see the person; email
addresses are never shown to other members, so they are not a profile field here.
"""

from django.db.models import Q, TextChoices
from django.utils.translation import gettext_lazy as _

from members.models import DataExport, User
from members.types import Viewer


class FieldVisibility(TextChoices):
    SHARED = "shared", _("People who share a community with me")
    SIGNED_IN = "signed_in", _("Everyone who is signed in")
    PRIVATE = "private", _("Only me")


# The optional fields a person may hide, in the order the profile shows them.
PROFILE_FIELDS: tuple[str, ...] = (
    "organization",
    "job_title",
    "bio",
    "expertise",
    "interests",
    "avatar",
)
DEFAULT_VISIBILITY = FieldVisibility.SHARED


def field_visibility_of(person: User, field: str) -> FieldVisibility:
    """The level the person chose for one field; a missing key means the default.

    A stored value that is not a known level fails closed (private), so a corrupt or
    hand-edited row never shows more than its owner meant to.
    """
    if field not in PROFILE_FIELDS:
        raise ValueError(field)
    chosen = person.field_visibility if isinstance(person.field_visibility, dict) else {}
    stored = chosen.get(field, DEFAULT_VISIBILITY.value)
    if stored in FieldVisibility.values:
        return FieldVisibility(stored)
    return FieldVisibility.PRIVATE


def can_see_profile_field(
    person: User, viewer: Viewer, field: str, *, shares_community: bool
) -> bool:
    """One field of `person` for `viewer`. The person and site admins see everything."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk or viewer.is_staff:
        return True
    level = field_visibility_of(person, field)
    if level == FieldVisibility.SIGNED_IN:
        return True
    if level == FieldVisibility.SHARED:
        return shares_community
    return False


def visible_profile_fields(person: User, viewer: Viewer, *, shares_community: bool) -> set[str]:
    """The optional fields of `person` that `viewer` may see."""
    return {
        field
        for field in PROFILE_FIELDS
        if can_see_profile_field(person, viewer, field, shares_community=shares_community)
    }


def profile_field_visible_q(
    field: str, viewer: Viewer, *, shares_community: bool, prefix: str = ""
) -> Q:
    """The database form of `can_see_profile_field`, for filtering and ranking people.

    `shares_community` holds for every row the query can return (callers start from
    people the viewer shares a community with, or pass False). `prefix` reaches the
    person through a relation, e.g. "content_object__" from a tagged item.
    """
    if field not in PROFILE_FIELDS:
        raise ValueError(field)
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    if viewer.is_staff:
        return Q()
    key = f"{prefix}field_visibility__{field}"
    if shares_community:
        # A missing key is the default, "shared". A stored value that is no level
        # (JSON null included) fails closed, as in `field_visibility_of`.
        missing = ~Q(**{f"{prefix}field_visibility__has_key": field})
        levels = [FieldVisibility.SHARED.value, FieldVisibility.SIGNED_IN.value]
        visible = Q(**{f"{key}__in": levels})
        visible |= missing
    else:
        visible = Q(**{key: FieldVisibility.SIGNED_IN.value})
    return visible | Q(**{f"{prefix}pk": viewer.pk})


def get_export_for_owner_or_404(user: Viewer, export_id: int) -> DataExport:
    """The viewer's own export, ready and not expired; one 404 for missing, someone
    else's, not made yet and expired, so an id says nothing about whose it is."""
    from django.http import Http404
    from django.utils import timezone

    export = (
        DataExport.objects.filter(pk=export_id, user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    if export is None or not export.is_downloadable(timezone.now()):
        raise Http404
    return export
