"""Invitations sent: pasting addresses, resending, revoking, and the delivery task."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from communities.models import AuditEvent, Community, Invitation
from communities.selectors.invitations import invitation_token_hash
from communities.services import invitations as invitations_service
from communities.services.invitations import (
    invitation_create_many,
    invitation_deliver,
    invitation_parse_addresses,
    invitation_resend,
    invitation_revoke,
)
from communities.tasks import send_invitation
from members.models import User
from tests.communities.invitations.helpers import (
    LIST_URL,
    Capture,
    in_english,
    invitation_of,
    invite,
    landing,
    token_sent_to,
)

pytestmark = pytest.mark.django_db

A = AuditEvent.Action


# --- Parsing -------------------------------------------------------------------------


def test_pasted_addresses_split_on_lines_commas_and_semicolons_lowercased_once() -> None:
    parsed = invitation_parse_addresses(
        "Ann@Example.org, bob@example.org; \n\n  cas@example.org\nann@example.org\n"
        "Dirk Jansen <Dirk@Example.org>\nnot an address; also@bad\n"
    )
    assert parsed.emails == [
        "ann@example.org",
        "bob@example.org",
        "cas@example.org",
        "dirk@example.org",
    ]
    assert [(line.number, line.text) for line in parsed.invalid] == [
        (6, "not an address"),
        (6, "also@bad"),
    ]


# --- Inviting ------------------------------------------------------------------------


def test_bulk_invite_with_one_bad_line_reports_it_and_invites_the_rest(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LIST_URL,
            {
                "addresses": "ann@example.org\nnot-an-address\nbob@example.org, cas@example.org",
                "message": "Kom erbij!",
                "expires_in_days": "7",
            },
        )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.invited == ["ann@example.org", "bob@example.org", "cas@example.org"]
    assert [(line.number, line.text) for line in report.invalid] == [(2, "not-an-address")]
    assert "not-an-address" in response.content.decode()
    # The bad line stays in the form for correcting; message and expiry too.
    form = response.context["form"]
    assert form.initial == {
        "addresses": "not-an-address",
        "message": "Kom erbij!",
        "expires_in_days": 7,
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ann@example.org",
        "bob@example.org",
        "cas@example.org",
    ]
    ann = invitation_of("ann@example.org")
    assert ann.state == Invitation.State.PENDING
    assert ann.invited_by == facilitator
    assert ann.message == "Kom erbij!"
    assert ann.expires_at - ann.created_at == timedelta(days=7)
    assert AuditEvent.objects.filter(action=A.INVITED, actor=facilitator).count() == 3


def test_only_the_hash_of_the_emailed_token_is_stored(
    facilitator: User, community: Community, django_capture_on_commit_callbacks: Capture
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")
    invitation = invitation_of("ann@example.org")
    assert len(token) >= 43
    assert invitation.token_hash == invitation_token_hash(token)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())


def test_members_and_addresses_with_an_open_invitation_are_reported_not_invited_again(
    facilitator: User,
    member: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    mail.outbox.clear()

    report = invite(
        django_capture_on_commit_callbacks,
        community,
        facilitator,
        f"{member.email.upper()}\nANN@example.org\nnew@example.org",
    )

    assert report.already_member == [member.email]
    assert report.already_invited == ["ann@example.org"]
    assert report.invited == ["new@example.org"]
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert Invitation.objects.filter(email__iexact="ann@example.org").count() == 1


def test_an_expired_invitation_is_revoked_and_replaced(
    facilitator: User, community: Community, django_capture_on_commit_callbacks: Capture
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org", days=1)
    old = invitation_of("ann@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        report = invite(
            django_capture_on_commit_callbacks, community, facilitator, "ann@example.org"
        )
    assert report.invited == ["ann@example.org"]
    assert report.replaced == ["ann@example.org"]
    old.refresh_from_db()
    assert old.state == Invitation.State.REVOKED
    new = invitation_of("ann@example.org")
    assert new.pk != old.pk
    assert new.state == Invitation.State.PENDING
    assert AuditEvent.objects.filter(
        action=A.INVITATION_REVOKED, detail__invitation=old.pk, detail__replaced=True
    ).exists()


def test_more_than_200_addresses_are_refused_and_the_text_is_kept(
    client: Client, facilitator: User, community: Community
) -> None:
    client.force_login(in_english(facilitator))
    addresses = "\n".join(f"p{n}@example.org" for n in range(201))
    response = client.post(
        LIST_URL, {"addresses": addresses, "message": "Hoi", "expires_in_days": "14"}
    )
    assert response.status_code == 200
    assert "at most 200" in " ".join(response.context["form"].errors["addresses"])
    assert response.context["form"]["addresses"].value() == addresses
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("days", ["0", "61"])
def test_expiry_must_be_between_1_and_60_days(
    client: Client, facilitator: User, community: Community, days: str
) -> None:
    client.force_login(facilitator)
    response = client.post(LIST_URL, {"addresses": "ann@example.org", "expires_in_days": days})
    assert "expires_in_days" in response.context["form"].errors
    assert not Invitation.objects.exists()


# --- Resend and revoke ---------------------------------------------------------------


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    old_token = token_sent_to("ann@example.org")
    invitation = invitation_of("ann@example.org")

    client.force_login(facilitator)
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{LIST_URL}{invitation.pk}/resend/")
        assert response.status_code == 302
        new_token = token_sent_to("ann@example.org")
        invitation.refresh_from_db()
        assert invitation.send_count == 2
        assert invitation.last_sent_at == timezone.now()
        assert invitation.expires_at == timezone.now() + timedelta(days=14)
    assert new_token != old_token
    assert AuditEvent.objects.filter(action=A.INVITATION_RESENT, actor=facilitator).exists()

    client.logout()
    assert client.get(landing(old_token)).status_code == 404
    assert client.get(landing(new_token)).status_code == 200


def test_resending_an_expired_invitation_opens_it_again(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org", days=3)
    invitation = invitation_of("ann@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=5), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            invitation_resend(invitation=invitation, by=facilitator)
        invitation.refresh_from_db()
        assert invitation.expires_at == timezone.now() + timedelta(days=3)
        response = client.get(landing(token_sent_to("ann@example.org")))
    assert response.status_code == 200
    assert response.context["invitation"] == invitation


def test_resend_is_refused_within_ten_minutes_of_the_last_send(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    invitation = invitation_of("ann@example.org")
    mail.outbox.clear()
    client.force_login(in_english(facilitator))

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        response = client.post(f"{LIST_URL}{invitation.pk}/resend/", follow=True)

    assert "You can send it again in 7 minutes." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.send_count == 1
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action=A.INVITATION_RESENT).exists()


def test_revoking_an_invitation_makes_its_link_say_it_was_withdrawn(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")
    invitation = invitation_of("ann@example.org")
    client.force_login(facilitator)

    response = client.post(f"{LIST_URL}{invitation.pk}/revoke/")

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    assert AuditEvent.objects.filter(
        action=A.INVITATION_REVOKED, actor=facilitator, detail__email="ann@example.org"
    ).exists()
    client.logout()
    response = client.get(landing(token))
    assert response.status_code == 200
    assert response.context["status"] == "revoked"
    assert "This invitation has been withdrawn" in response.content.decode()
    with pytest.raises(ValidationError):
        invitation_revoke(invitation=invitation, by=facilitator)


def test_the_delivery_task_sends_once_however_often_it_runs(
    facilitator: User, community: Community, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation_create_many(
            community=community, invited_by=facilitator, addresses="ann@example.org"
        )
    assert len(callbacks) == 1
    invitation = invitation_of("ann@example.org")
    unsent = invitation.token_hash

    send_invitation(invitation_id=invitation.pk, unsent_hash=unsent)
    send_invitation(invitation_id=invitation.pk, unsent_hash=unsent)

    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.token_hash == invitation_token_hash(token_sent_to("ann@example.org"))


def test_a_delivery_overtaken_by_a_revoke_sends_nothing(
    facilitator: User, community: Community, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        invitation_create_many(
            community=community, invited_by=facilitator, addresses="ann@example.org"
        )
    invitation = invitation_of("ann@example.org")
    unsent = invitation.token_hash
    invitation_revoke(invitation=invitation, by=facilitator)

    assert invitation_deliver(invitation_id=invitation.pk, unsent_hash=unsent) is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_invitation_email_is_sent_after_the_row_lock_is_released(
    facilitator: User, community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_transaction: list[bool] = []
    send = invitations_service.send_invitation_email

    def send_and_note(**kwargs: Any) -> None:
        # A slow mail server must hold no transaction (and so no row lock) open.
        in_transaction.append(connection.in_atomic_block)
        send(**kwargs)

    monkeypatch.setattr(invitations_service, "send_invitation_email", send_and_note)
    # Committed for real (a transactional test): the delivery task runs on commit.
    invitation_create_many(community=community, invited_by=facilitator, addresses="ann@example.org")
    assert in_transaction == [False]
    assert len(mail.outbox) == 1


def test_a_refused_email_is_sent_again_by_the_retry(
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        invitation_create_many(
            community=community, invited_by=facilitator, addresses="ann@example.org"
        )
    invitation = invitation_of("ann@example.org")
    unsent = invitation.token_hash
    send = invitations_service.send_invitation_email

    def refused(**kwargs: Any) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr(invitations_service, "send_invitation_email", refused)
    with pytest.raises(OSError):
        invitation_deliver(invitation_id=invitation.pk, unsent_hash=unsent)
    invitation.refresh_from_db()
    assert invitation.token_hash == unsent and mail.outbox == []

    monkeypatch.setattr(invitations_service, "send_invitation_email", send)
    assert invitation_deliver(invitation_id=invitation.pk, unsent_hash=unsent)
    assert invitation_deliver(invitation_id=invitation.pk, unsent_hash=unsent) is False
    invitation.refresh_from_db()
    assert invitation.token_hash == invitation_token_hash(token_sent_to("ann@example.org"))
