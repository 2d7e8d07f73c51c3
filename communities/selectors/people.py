"""People: who may see whom, profiles, the expert finder, "members like you" and a
community's members list.

Who may see whom is decided in `communities.permissions` (`people_visible_to`,
`shares_community`, `can_see_person_field`, re-exported here for existing callers);
every list here starts from `people_visible_to`. Which profile fields of a visible person
show is decided by `members.permissions`.
"""

from dataclasses import dataclass, field

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from communities.models import Community, Membership
from communities.permissions import (
    access_of,
    communities_visible_to,
    people_visible_to,
    shares_community,
)
from communities.permissions import (
    can_see_person_field as can_see_person_field,
)
from members.models import Organization, TaggedExpertise, TaggedInterest, User
from members.permissions import profile_field_visible_q
from members.selectors import ProfileView, profile_for_viewer, profile_visibility_summary

SUGGESTION_LIMIT = 10
# What a row in a list of people shows; the profile page shows every field.
LIST_FIELDS = ("organization", "job_title", "expertise", "avatar")


def get_person_for_user_or_404(viewer: User, user_id: int) -> User:
    # One 404 for missing and not visible: an id must not reveal that someone exists.
    people = User.objects.select_related("organization").filter(
        Q(pk__in=people_visible_to(viewer).values("pk")) | Q(pk=viewer.pk)
    )
    return get_object_or_404(people, pk=user_id)


def shared_communities(viewer: User, person: User) -> QuerySet[Community]:
    """Communities where both are active and whose members list the viewer sees."""
    theirs = Membership.objects.filter(user=person, state=Membership.State.ACTIVE)
    return (
        communities_visible_to(viewer)
        .filter(access_of(viewer).where("member_lists"))
        .filter(pk__in=theirs.values("community_id"))
        .order_by("name", "pk")
    )


@dataclass
class PersonRow:
    """A person in a list: the visible profile, plus what the list is about."""

    profile: ProfileView
    communities: list[Community] = field(default_factory=list)
    matching: list[str] = field(default_factory=list)
    score: int = 0


def _shared_memberships(viewer: User) -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(
            access_of(viewer).where("member_lists", "community_id"),
            state=Membership.State.ACTIVE,
        )
        .select_related("community")
        .order_by("community__name", "pk"),
        to_attr="shared_memberships",
    )


def _row(viewer: User, person: User) -> PersonRow:
    # Everyone `people_visible_to` returns shares a community with a viewer who is not
    # a site admin, and site admins see every field anyway.
    profile = profile_for_viewer(person, viewer, shares_community=True, only=LIST_FIELDS)
    communities = [m.community for m in getattr(person, "shared_memberships", [])]
    return PersonRow(profile=profile, communities=communities)


def _clean_tag(text: str) -> str:
    return " ".join(text.split())


def expert_list(viewer: User, tag: str) -> QuerySet[User]:
    """People the viewer may see who list `tag` (any case) as expertise, counting only
    those whose expertise the viewer may see. Shared memberships are prefetched."""
    name = _clean_tag(tag)
    if not name:
        return User.objects.none()
    has_tag = TaggedExpertise.objects.filter(content_object=OuterRef("pk"), tag__name__iexact=name)
    return (
        people_visible_to(viewer)
        .exclude(pk=viewer.pk)
        .filter(profile_field_visible_q("expertise", viewer, shares_community=True))
        .filter(Exists(has_tag))
        .select_related("organization")
        .prefetch_related("expertise", _shared_memberships(viewer))  # type: ignore[misc]
        .order_by(Lower("display_name"), "pk")
    )


def expert_rows(viewer: User, experts: list[User], tag: str) -> list[PersonRow]:
    """Rows for a page of `expert_list`, with the person's tags that match."""
    key = _clean_tag(tag).lower()
    rows = []
    for person in experts:
        row = _row(viewer, person)
        row.matching = [name for name in row.profile.expertise if name.lower() == key]
        rows.append(row)
    return rows


def expertise_suggestions(viewer: User, limit: int = 20) -> list[str]:
    """The most listed expertise among people the viewer may see (visible fields only),
    to show what the expert finder can find."""
    experts = (
        people_visible_to(viewer)
        .exclude(pk=viewer.pk)
        .filter(profile_field_visible_q("expertise", viewer, shares_community=True))
    )
    tagged = TaggedExpertise.objects.filter(content_object__in=experts)
    return list(
        Tag.objects.filter(pk__in=tagged.values("tag_id"))
        .annotate(
            uses=Subquery(
                tagged.filter(tag=OuterRef("pk"))
                .annotate(n=Func(F("pk"), function="COUNT"))
                .values("n")
            )
        )
        .order_by("-uses", Lower("name"), "pk")
        .values_list("name", flat=True)[:limit]
    )


def _own_tag_keys(user: User) -> set[str]:
    """The user's interests and expertise, lower-cased, in one query."""
    mine = Tag.objects.filter(
        Q(pk__in=TaggedExpertise.objects.filter(content_object=user).values("tag_id"))
        | Q(pk__in=TaggedInterest.objects.filter(content_object=user).values("tag_id"))
    )
    return {name.lower() for name in mine.values_list("name", flat=True)}


def members_like_you(viewer: User, limit: int = SUGGESTION_LIMIT) -> tuple[bool, list[PersonRow]]:
    """People the viewer may see, ranked by how many of the viewer's interests and
    expertise they share (as interest or expertise). Only tags in fields the viewer may
    see count, so the ranking cannot reveal hidden ones. Ranked in the database.

    Returns whether the viewer has any tags at all, and the top rows (the viewer and
    people with nothing in common left out).
    """
    keys = _own_tag_keys(viewer)
    if not keys:
        return False, []

    def tagged(model: type[TaggedExpertise] | type[TaggedInterest], field_name: str) -> Exists:
        visible = profile_field_visible_q(
            field_name, viewer, shares_community=True, prefix="content_object__"
        )
        return Exists(
            model.objects.filter(
                visible, content_object=OuterRef(OuterRef("pk")), tag=OuterRef("pk")
            )
        )

    common = (
        Tag.objects.annotate(key=Lower("name"))
        .filter(key__in=sorted(keys))
        .filter(tagged(TaggedExpertise, "expertise") | tagged(TaggedInterest, "interests"))
        # A bare COUNT without GROUP BY: one number per person.
        .annotate(
            n=Func(
                Lower("name"),
                function="COUNT",
                template="%(function)s(DISTINCT %(expressions)s)",
                output_field=IntegerField(),
            )
        )
        .values("n")
    )
    people = list(
        people_visible_to(viewer)
        .exclude(pk=viewer.pk)
        .annotate(score=Coalesce(Subquery(common), Value(0)))
        .filter(score__gt=0)
        .select_related("organization")
        .prefetch_related(  # type: ignore[misc]
            "expertise", "interests", _shared_memberships(viewer)
        )
        .order_by("-score", Lower("display_name"), "pk")[:limit]
    )
    rows = []
    for person in people:
        row = _row(viewer, person)
        row.score = person.score
        visible = profile_for_viewer(
            person, viewer, shares_community=True, only=("expertise", "interests")
        )
        row.matching = sorted(
            {name for name in visible.expertise + visible.interests if name.lower() in keys},
            key=str.lower,
        )
        rows.append(row)
    return True, rows


def _member_rows_base(viewer: User, community: Community) -> QuerySet[Membership]:
    return Membership.objects.filter(
        community=community,
        state=Membership.State.ACTIVE,
        user__in=people_visible_to(viewer),
    )


def member_list_organizations(viewer: User, community: Community) -> QuerySet[Organization]:
    """Organisations of the community's members, counting only organisations the
    viewer may see on their profiles (a hidden one must not appear as a filter)."""
    memberships = _member_rows_base(viewer, community).filter(
        profile_field_visible_q("organization", viewer, shares_community=True, prefix="user__")
    )
    return Organization.objects.filter(pk__in=memberships.values("user__organization_id")).order_by(
        "name", "pk"
    )


def member_list(
    viewer: User,
    community: Community,
    *,
    organization: Organization | None = None,
    role: int | None = None,
    expertise: str = "",
) -> QuerySet[Membership]:
    """The community's active members, filtered. Callers check `can_view_member_list`.
    Filters on profile fields match only where the viewer may see that field."""
    memberships = _member_rows_base(viewer, community)
    if organization is not None:
        memberships = memberships.filter(user__organization=organization).filter(
            profile_field_visible_q("organization", viewer, shares_community=True, prefix="user__")
        )
    if role is not None:
        memberships = memberships.filter(role=role)
    tag = _clean_tag(expertise)
    if tag:
        has_tag = TaggedExpertise.objects.filter(
            content_object=OuterRef("user_id"), tag__name__iexact=tag
        )
        memberships = memberships.filter(Exists(has_tag)).filter(
            profile_field_visible_q("expertise", viewer, shares_community=True, prefix="user__")
        )
    return (
        memberships.select_related("user__organization")
        .prefetch_related("user__expertise")  # type: ignore[misc]
        .order_by("-role", Lower("user__display_name"), "pk")
    )


@dataclass
class MemberRow:
    membership_id: int
    role: int
    role_label: str
    profile: ProfileView


def member_rows(viewer: User, memberships: list[Membership]) -> list[MemberRow]:
    """Rows for a page of `member_list`. The viewer is a member of the community (or a
    site admin), so shares it with everyone listed."""
    return [
        MemberRow(
            membership_id=membership.pk,
            role=membership.role,
            role_label=membership.get_role_display(),
            profile=profile_for_viewer(
                membership.user, viewer, shares_community=True, only=LIST_FIELDS
            ),
        )
        for membership in memberships
    ]


def person_detail_context(viewer: User, person: User) -> dict[str, object]:
    """What a profile page shows: the visible fields and the communities in common."""
    is_self = viewer.pk == person.pk
    shares = is_self or viewer.is_staff or shares_community(viewer, person)
    return {
        "person": person,
        "profile": profile_for_viewer(person, viewer, shares_community=shares),
        "is_self": is_self,
        "communities": list(shared_communities(viewer, person)) if not is_self else [],
        "visibility": profile_visibility_summary(person) if is_self else [],
    }
