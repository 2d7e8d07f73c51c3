"""A facilitator's personal request to a member to answer an unanswered question."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import AuditEvent
from communities.services.audit import audit_record
from discussions.models import Thread
from facilitation.emails import ASK
from facilitation.models import AnswerRequest
from facilitation.permissions import can_act_in_console, may_be_asked
from facilitation.selectors.answerers import ASK_QUIET_DAYS
from members.models import User
from outbox.services import message_enqueue


@transaction.atomic
def answer_request_send(*, thread: Thread, person: User, by: User) -> AnswerRequest:
    """Record the request, audit it and put the email in the outbox (sent after the
    commit, rendered then, and only if the person may still read the thread).

    Refused (PermissionDenied) unless `by` facilitates the thread's community; refused
    (ValidationError) for the author, someone who may not read the thread, someone asked
    about it before or asked about any question in the last ASK_QUIET_DAYS days."""
    community = thread.community
    if not can_act_in_console(by, community):
        raise PermissionDenied
    if person.pk == thread.author_id or not may_be_asked(person, thread):
        raise ValidationError(_("This person cannot be asked about this question."))
    since = timezone.now() - timedelta(days=ASK_QUIET_DAYS)
    if AnswerRequest.objects.filter(asked=person, created_at__gte=since).exists():
        raise ValidationError(_("%(name)s was asked recently.") % {"name": person.name})
    request, created = AnswerRequest.objects.get_or_create(
        thread=thread, asked=person, defaults={"community": community, "asked_by": by}
    )
    if not created:
        raise ValidationError(
            _("%(name)s was already asked about this question.") % {"name": person.name}
        )
    audit_record(
        community=community,
        actor=by,
        action=AuditEvent.Action.ANSWER_ASKED,
        subject=person,
        thread=thread.pk,
    )
    message_enqueue(
        recipient=person, kind=ASK, key=f"ask:{request.pk}", payload={"request": request.pk}
    )
    return request
