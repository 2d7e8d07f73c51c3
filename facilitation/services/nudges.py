"""A facilitator's personal note to a chosen set of quiet members: one message, one
email each."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import AuditEvent, Community, Membership
from communities.services.audit import audit_record
from facilitation.emails import NUDGE
from facilitation.models import Nudge, NudgeRecipient
from facilitation.permissions import can_act_in_console
from facilitation.selectors.console import MAX_RECIPIENTS, NUDGE_QUIET_DAYS
from members.models import User
from outbox.services import message_enqueue_many


def recently_nudged_ids(community: Community, user_ids: list[int]) -> set[int]:
    since = timezone.now() - timedelta(days=NUDGE_QUIET_DAYS)
    return set(
        NudgeRecipient.objects.filter(
            community=community, user_id__in=user_ids, created_at__gte=since
        ).values_list("user_id", flat=True)
    )


@transaction.atomic
def nudge_send(*, community: Community, by: User, people: list[User], message: str) -> Nudge:
    """Record the note and one recipient row per person, audit it (without the text)
    and put one email per person in the outbox; each is rendered at send time and
    skipped for whoever is no longer a member then.

    Refused (PermissionDenied) unless `by` facilitates the community; (ValidationError)
    for an empty note, no one, more than MAX_RECIPIENTS, or a person who is not an
    active member or was nudged here in the last NUDGE_QUIET_DAYS days."""
    if not can_act_in_console(by, community):
        raise PermissionDenied
    text = message.strip()
    if not text or not people:
        raise ValidationError(_("Write a message and choose at least one person."))
    if len(people) > MAX_RECIPIENTS:
        raise ValidationError(
            _("Choose at most %(count)d people at once.") % {"count": MAX_RECIPIENTS}
        )
    ids = [person.pk for person in people]
    members = set(
        Membership.objects.filter(
            community=community,
            user_id__in=ids,
            state=Membership.State.ACTIVE,
            role__gte=Membership.Role.MEMBER,
        ).values_list("user_id", flat=True)
    )
    if members != set(ids) or recently_nudged_ids(community, ids):
        raise ValidationError(_("Some of these people cannot be sent a note now."))
    nudge = Nudge.objects.create(community=community, sent_by=by, message=text)
    NudgeRecipient.objects.bulk_create(
        [NudgeRecipient(nudge=nudge, user_id=pk, community=community) for pk in ids]
    )
    audit_record(
        community=community,
        actor=by,
        action=AuditEvent.Action.MEMBERS_NUDGED,
        nudge=nudge.pk,
        recipients=len(ids),
    )
    message_enqueue_many(
        kind=NUDGE, items=[(pk, f"nudge:{nudge.pk}", {"nudge": nudge.pk}) for pk in ids]
    )
    return nudge
