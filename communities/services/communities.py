"""Writes on communities themselves: create, settings, charter, stage."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import (
    COMMUNITY_SETTINGS_FIELDS,
    AuditEvent,
    Community,
    Membership,
    StageChange,
)
from communities.permissions import can_create_community, can_manage_community, role_cache_clear
from communities.services.audit import audit_record
from members.models import User

A = AuditEvent.Action
EDITABLE_FIELDS = COMMUNITY_SETTINGS_FIELDS


@transaction.atomic
def community_create(
    *,
    creator: User,
    name: str,
    slug: str,
    focus: str,
    urgency: str,
    member_value: str,
    charter: str = "",
    language: str = Community.Language.NL,
    join_policy: str = Community.JoinPolicy.OPEN,
    visibility: str = Community.Visibility.MEMBERS,
    is_listed: bool = True,
    is_confidential: bool = False,
    allow_indexing: bool = False,
    stage: str = Community.Stage.POTENTIAL,
    facilitator: User | None = None,
    erasure_removes_posts: bool = False,
) -> Community:
    """Create a community with its first facilitator: the creator, unless a site admin
    creates it for someone else. Focus, urgency and what's in it for members are
    required: a community starts from them."""
    if not can_create_community(creator):
        raise PermissionDenied
    return community_insert(
        creator=creator,
        name=name,
        slug=slug,
        focus=focus,
        urgency=urgency,
        member_value=member_value,
        charter=charter,
        language=language,
        join_policy=join_policy,
        visibility=visibility,
        is_listed=is_listed,
        is_confidential=is_confidential,
        allow_indexing=allow_indexing,
        stage=stage,
        erasure_removes_posts=erasure_removes_posts,
        facilitator=facilitator,
    )


@transaction.atomic
def community_insert(
    *,
    creator: User,
    name: str,
    slug: str,
    focus: str,
    urgency: str,
    member_value: str,
    charter: str = "",
    language: str = Community.Language.NL,
    join_policy: str = Community.JoinPolicy.OPEN,
    visibility: str = Community.Visibility.MEMBERS,
    is_listed: bool = True,
    is_confidential: bool = False,
    allow_indexing: bool = False,
    stage: str = Community.Stage.POTENTIAL,
    erasure_removes_posts: bool = False,
    facilitator: User | None = None,
    **audit_detail: object,
) -> Community:
    """The write of `community_create` without its permission check, for callers that
    decided themselves who may found one (`proposal_found`: a site admin, or enough
    supporters). `audit_detail` goes into the "created" audit row."""
    if not all(part.strip() for part in (focus, urgency, member_value)):
        raise ValidationError(_("Say what the focus is, why it matters now and what members gain."))
    if Community.objects.filter(slug=slug).exists():
        raise ValidationError(_("That short name is taken; choose another."))
    community = Community.objects.create(
        name=name.strip(),
        slug=slug,
        focus=focus,
        urgency=urgency,
        member_value=member_value,
        charter=charter,
        language=language,
        join_policy=join_policy,
        visibility=Community.Visibility.MEMBERS if is_confidential else visibility,
        is_listed=is_listed,
        is_confidential=is_confidential,
        allow_indexing=allow_indexing,
        stage=stage,
        erasure_removes_posts=erasure_removes_posts,
    )
    first = facilitator or creator
    now = timezone.now()
    Membership.objects.create(
        community=community,
        user=first,
        role=Membership.Role.FACILITATOR,
        state=Membership.State.ACTIVE,
        charter_version_accepted=community.charter_version,
        charter_accepted_at=now,
    )
    role_cache_clear(first)
    StageChange.objects.create(community=community, to_stage=stage, changed_by=creator)
    audit_record(
        community=community,
        actor=creator,
        action=A.COMMUNITY_CREATED,
        subject=first,
        **audit_detail,
    )
    return community


@transaction.atomic
def community_update(*, community: Community, by: User, **changes: object) -> Community:
    """Change a community's settings (facilitators and site admins). A changed charter
    gets a new version, so members are asked to accept it again."""
    if not can_manage_community(by, community):
        raise PermissionDenied
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = [f for f, value in changes.items() if getattr(community, f) != value]
    if not changed:
        return community
    if community.is_confidential and "is_confidential" in changed:
        # Members wrote under the promise that it stays inside; lifting it later would
        # hand all of that to whoever may read the community then.
        raise ValidationError(
            _(
                "A confidential community stays confidential: what members shared under that "
                "promise stays with them."
            ),
            code="confidential",
        )
    for field in changed:
        setattr(community, field, changes[field])
    if community.is_confidential:
        # Confidential means members only, whatever else was chosen.
        community.visibility = Community.Visibility.MEMBERS
        if "visibility" not in changed:
            changed.append("visibility")
    update_fields = list(changed)
    if "charter" in changed:
        community.charter_version += 1
        update_fields.append("charter_version")
        audit_record(
            community=community,
            actor=by,
            action=A.CHARTER_CHANGED,
            version=community.charter_version,
        )
    community.save(update_fields=update_fields)
    other = [f for f in changed if f != "charter"]
    if other:
        audit_record(community=community, actor=by, action=A.COMMUNITY_UPDATED, fields=other)
    return community


@transaction.atomic
def community_change_stage(
    *, community: Community, by: User, stage: str, note: str = ""
) -> Community:
    """Move the community to another stage; the history is kept."""
    if not can_manage_community(by, community):
        raise PermissionDenied
    if stage not in Community.Stage.values:
        raise ValidationError(_("Unknown stage."))
    if stage == community.stage:
        return community
    StageChange.objects.create(
        community=community,
        from_stage=community.stage,
        to_stage=stage,
        note=note.strip(),
        changed_by=by,
    )
    audit_record(
        community=community,
        actor=by,
        action=A.STAGE_CHANGED,
        old_stage=community.stage,
        stage=stage,
    )
    community.stage = stage
    community.stage_changed_at = timezone.now()
    community.save(update_fields=["stage", "stage_changed_at"])
    return community
