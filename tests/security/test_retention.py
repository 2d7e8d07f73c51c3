"""Nightly retention: invitations, audit events and notifications past their period are
purged; newer ones stay. Each task run twice has one effect."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from communities.models import AuditEvent, Community, Invitation
from communities.services.invitations import invitation_create_many
from communities.tasks import purge_stale_records
from discussions.models import Notification
from discussions.services.posts import reply_create, thread_create
from discussions.tasks import purge_old_notifications
from members.models import User

pytestmark = pytest.mark.django_db


def _invite(community: Community, facilitator: User, address: str) -> Invitation:
    invitation_create_many(community=community, invited_by=facilitator, addresses=address)
    return Invitation.objects.get(email=address)


def test_old_invitations_and_audit_events_are_purged_new_ones_kept(
    community: Community, facilitator: User, settings
) -> None:
    settings.COP_RETENTION_INVITATION_DAYS = 90
    settings.COP_RETENTION_AUDIT_DAYS = 365
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=400)):
        old = _invite(community, facilitator, "oud@example.org")
    recent = _invite(community, facilitator, "nieuw@example.org")
    assert AuditEvent.objects.filter(created_at__lt=start - timedelta(days=365)).exists()
    kept_audit = AuditEvent.objects.filter(created_at__gte=start - timedelta(days=365)).count()

    first = purge_stale_records()
    second = purge_stale_records()

    assert first["invitations"] == 1 and first["audit_events"] >= 1
    assert second == {"invitations": 0, "audit_events": 0}
    assert list(Invitation.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Invitation.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.count() == kept_audit


def test_an_open_invitation_within_its_period_is_kept(
    community: Community, facilitator: User, settings
) -> None:
    settings.COP_RETENTION_INVITATION_DAYS = 90
    with time_machine.travel(timezone.now() - timedelta(days=60)):
        invitation = _invite(community, facilitator, "wacht@example.org")
    purge_stale_records()
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_old_notifications_are_purged_new_ones_kept(
    community: Community, member: User, core_member: User, settings
) -> None:
    settings.COP_RETENTION_NOTIFICATION_DAYS = 180
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        old_thread = thread_create(
            community=community, author=member, kind="question", title="Oud?", body="Oud."
        )
        reply_create(thread=old_thread, author=core_member, body="Oud antwoord.")
    thread = thread_create(
        community=community, author=member, kind="question", title="Nieuw?", body="Nieuw."
    )
    reply_create(thread=thread, author=core_member, body="Nieuw antwoord.")
    old = Notification.objects.filter(thread=old_thread).count()
    new = Notification.objects.filter(thread=thread).count()
    assert old and new

    assert purge_old_notifications() == old
    assert purge_old_notifications() == 0
    assert Notification.objects.count() == new
