"""Invitations: facilitators invite, resend and revoke; invitees land, sign up or log in
by emailed code, accept the way of working and are in."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import AuditEvent, Community, Invitation, Membership
from communities.selectors.invitations import invitation_token_hash
from communities.services.communities import community_create
from communities.services.invitations import (
    InvitationReport,
    invitation_accept,
    invitation_create_many,
    invitation_deliver,
    invitation_parse_addresses,
    invitation_resend,
    invitation_revoke,
)
from communities.tasks import send_invitation
from members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

A = AuditEvent.Action
LINK_RE = re.compile(r"/communities/invitations/([A-Za-z0-9_-]+)/")
LIST_URL = "/communities/e-health/invitations/"

Capture = Callable[..., Any]


@pytest.fixture
def client() -> Client:
    # Strangers arrive with their browser's language; these tests read the English text.
    return Client(headers={"accept-language": "en"})


def in_english(user: User) -> User:
    """Signed-in pages follow the account's language (Dutch for the personas)."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def landing(token: str) -> str:
    return reverse("communities:invitation-accept", kwargs={"token": token})


def token_sent_to(email: str) -> str:
    """The token in the newest invitation email to `email`."""
    message = next(m for m in reversed(mail.outbox) if m.to == [email] and LINK_RE.search(m.body))
    match = LINK_RE.search(message.body)
    assert match is not None
    return match.group(1)


def invite(
    capture: Capture,
    community: Community,
    by: User,
    addresses: str,
    message: str = "",
    days: int = 14,
) -> InvitationReport:
    with capture(execute=True):
        return invitation_create_many(
            community=community,
            invited_by=by,
            addresses=addresses,
            message=message,
            expires_in_days=days,
        )


def invitation_of(email: str) -> Invitation:
    return Invitation.objects.filter(email=email).latest("pk")


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


# --- Emails --------------------------------------------------------------------------


def test_the_email_is_in_the_community_language_for_an_unknown_address(
    site_admin: User, facilitator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    english = community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Open data",
        slug="open-data",
        focus="Sharing open data.",
        urgency="u",
        member_value="m",
        language=Community.Language.EN,
    )
    invite(django_capture_on_commit_callbacks, english, facilitator, "new@example.org", "Welcome!")
    message = mail.outbox[-1]
    assert message.subject == "Fenna Facilitator invites you to join Open data"
    assert "Welcome!" in message.body
    assert "Sharing open data." in message.body
    assert "http://" in message.body or "https://" in message.body
    html = message.alternatives[0][0]
    assert 'lang="en"' in html
    assert token_sent_to("new@example.org") in html


def test_the_email_is_in_the_language_of_an_existing_account(
    facilitator: User, community: Community, django_capture_on_commit_callbacks: Capture
) -> None:
    UserFactory(email="known@example.org", language="en")
    invite(django_capture_on_commit_callbacks, community, facilitator, "Known@Example.org")
    assert mail.outbox[-1].to == ["known@example.org"]
    assert "invites you to join" in mail.outbox[-1].subject
    assert 'lang="en"' in mail.outbox[-1].alternatives[0][0]

    invite(django_capture_on_commit_callbacks, community, facilitator, "unknown@example.org")
    # The community (e-health) writes in Dutch.
    assert 'lang="nl"' in mail.outbox[-1].alternatives[0][0]


def test_a_confidential_communitys_email_names_it_but_leaves_out_its_focus(
    site_admin: User, facilitator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    secret = community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Fusieteam",
        slug="fusie",
        focus="De fusie met ziekenhuis X.",
        urgency="u",
        member_value="m",
        is_confidential=True,
        is_listed=False,
    )
    invite(django_capture_on_commit_callbacks, secret, facilitator, "new@example.org", "Hoi!")
    message = mail.outbox[-1]
    assert "Fusieteam" in message.subject
    assert "Hoi!" in message.body
    assert "ziekenhuis X" not in message.body
    assert "ziekenhuis X" not in message.alternatives[0][0]


# --- The landing page ----------------------------------------------------------------


def test_an_unknown_token_gets_a_404_that_names_no_community(
    client: Client, community: Community
) -> None:
    response = client.get(landing("no-such-token"))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert community.name not in response.content.decode()


def test_an_expired_link_says_so_and_offers_a_listed_community_to_request_access(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org", days=1)
    token = token_sent_to("ann@example.org")
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = client.get(landing(token))
    assert response.status_code == 200
    assert response.context["status"] == "expired"
    body = response.content.decode()
    assert "This invitation has expired" in body
    assert community.name in body
    assert community.get_absolute_url() in body


def test_a_closed_link_of_an_unlisted_community_does_not_name_it(
    client: Client,
    site_admin: User,
    facilitator: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    hidden = community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Stille groep",
        slug="stil",
        focus="f",
        urgency="u",
        member_value="m",
        is_listed=False,
    )
    invite(django_capture_on_commit_callbacks, hidden, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")
    invitation_revoke(invitation=invitation_of("ann@example.org"), by=facilitator)

    response = client.get(landing(token))

    assert response.context["status"] == "revoked"
    assert response.context["community"] is None
    assert "Stille groep" not in response.content.decode()
    assert "/communities/stil/" not in response.content.decode()


def test_a_used_link_says_it_was_used_and_the_member_is_shown_the_way_in(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email)
    token = token_sent_to(outsider.email)
    invitation_accept(
        invitation=invitation_of(outsider.email), user=outsider, charter_accepted=True
    )

    response = client.get(landing(token))
    assert response.context["status"] == "accepted"
    assert "This invitation has already been used" in response.content.decode()
    assert response.context["is_member"] is False

    client.force_login(outsider)
    response = client.get(landing(token))
    assert response.context["is_member"] is True
    assert community.get_absolute_url() in response.content.decode()


def test_a_stranger_sees_what_they_are_invited_to_and_joins_from_that_page(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(
        django_capture_on_commit_callbacks,
        community,
        facilitator,
        "ann.de-vries@example.org",
        "Jij weet veel van e-health.",
    )
    token = token_sent_to("ann.de-vries@example.org")

    response = client.get(landing(token))

    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        community.name,
        community.focus,
        community.charter,
        "Fenna Facilitator",
        "Jij weet veel van e-health.",
    ]:
        assert text in body
    form = response.context["form"]
    # The name is guessed from the address, for the invitee to correct.
    assert form["display_name"].value() == "Ann De Vries"
    assert "accept_charter" in form.fields
    assert reverse("account_signup") + "?" not in body


def test_a_stranger_joins_in_one_step_with_the_address_verified_by_the_link(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    from allauth.account.models import EmailAddress

    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")
    sent = len(mail.outbox)

    response = client.post(
        landing(token), {"display_name": " Ann  Jansen ", "accept_charter": "on"}
    )

    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    ann = User.objects.get(email="ann@example.org")
    assert ann.display_name == "Ann Jansen"
    assert ann.language == "en"
    assert not ann.has_usable_password()
    address = EmailAddress.objects.get(user=ann)
    assert (address.email, address.verified, address.primary) == ("ann@example.org", True, True)
    membership = Membership.objects.get(user=ann, community=community)
    assert membership.state == Membership.State.ACTIVE
    assert membership.charter_version_accepted == community.charter_version
    invitation = invitation_of("ann@example.org")
    assert invitation.state == Invitation.State.ACCEPTED
    assert invitation.accepted_by == ann
    event = AuditEvent.objects.get(action=A.INVITATION_ACCEPTED, subject=ann)
    assert event.detail["invited_by"] == facilitator.pk
    assert event.detail["by_link"] is True
    assert "other_address" not in event.detail
    # Signed in, without a second email.
    assert len(mail.outbox) == sent
    assert client.get(community.get_absolute_url()).context["user"] == ann


def test_a_stranger_without_name_or_charter_is_asked_again_and_nothing_is_created(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    token = token_sent_to("ann@example.org")

    response = client.post(landing(token), {"display_name": "   "})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"display_name", "accept_charter"}
    assert not User.objects.filter(email="ann@example.org").exists()
    assert invitation_of("ann@example.org").state == Invitation.State.PENDING


def test_someone_with_an_account_is_signed_in_by_the_link_never_sent_to_sign_up(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email.upper())
    token = token_sent_to(outsider.email)

    page = client.get(landing(token))
    assert page.context["account"] == outsider
    assert "display_name" not in page.context["form"].fields
    assert outsider.name in page.content.decode()

    response = client.post(landing(token), {"accept_charter": "on", "display_name": "Other"})

    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    outsider.refresh_from_db()
    assert outsider.display_name != "Other"
    assert Membership.objects.get(user=outsider, community=community).state == "active"
    assert client.get(community.get_absolute_url()).context["user"] == outsider
    # Single use: the same link, opened again, signs nobody in.
    client.logout()
    again = client.post(landing(token), {"accept_charter": "on"})
    assert again.context["status"] == "accepted"
    assert "_auth_user_id" not in client.session


def test_an_expired_link_signs_nobody_in(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email, days=1)
    token = token_sent_to(outsider.email)

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = client.post(landing(token), {"accept_charter": "on"})

    assert response.context["status"] == "expired"
    assert "_auth_user_id" not in client.session
    assert not Membership.objects.filter(user=outsider, community=community).exists()


@pytest.mark.parametrize(
    "settings_", [{"join_policy": "invite"}, {"is_confidential": True}], ids=["invite", "secret"]
)
def test_an_invitation_to_a_closed_community_belongs_to_its_address(
    client: Client,
    site_admin: User,
    facilitator: User,
    outsider: User,
    django_capture_on_commit_callbacks: Capture,
    settings_: dict[str, object],
) -> None:
    from tests.conftest import make_community

    closed = make_community(site_admin, facilitator, "closed", charter="Binnen.", **settings_)
    invite(django_capture_on_commit_callbacks, closed, facilitator, "work@example.org")
    token = token_sent_to("work@example.org")
    client.force_login(outsider)

    page = client.get(landing(token))
    assert page.context["bound_to_address"] is True
    assert "work@example.org" in page.content.decode()
    response = client.post(landing(token), {"accept_charter": "on"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user=outsider, community=closed).exists()
    with pytest.raises(ValidationError):
        invitation_accept(
            invitation=invitation_of("work@example.org"), user=outsider, charter_accepted=True
        )

    # "Log out and accept with that address": the link then lets that address in.
    response = client.post(landing(token), {"switch_account": "1"})
    assert response.status_code == 302
    assert response.url == landing(token)
    assert "_auth_user_id" not in client.session
    response = client.post(landing(token), {"display_name": "Wim", "accept_charter": "on"})
    assert response.status_code == 302
    wim = User.objects.get(email="work@example.org")
    assert Membership.objects.get(user=wim, community=closed).state == "active"


def test_accepting_requires_the_charter_checkbox(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, outsider.email)
    token = token_sent_to(outsider.email)
    client.force_login(outsider)

    response = client.post(landing(token), {})

    assert response.status_code == 200
    assert "accept_charter" in response.context["form"].errors
    assert not Membership.objects.filter(user=outsider, community=community).exists()
    assert invitation_of(outsider.email).state == Invitation.State.PENDING
    with pytest.raises(ValidationError):
        invitation_accept(
            invitation=invitation_of(outsider.email), user=outsider, charter_accepted=False
        )


def test_accepting_with_another_address_works_and_is_noted_in_the_audit_log(
    client: Client,
    facilitator: User,
    outsider: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "work@example.org")
    token = token_sent_to("work@example.org")
    client.force_login(outsider)

    page = client.get(landing(token))
    assert page.context["other_address"] is True
    response = client.post(landing(token), {"accept_charter": "on"})

    assert response.status_code == 302
    assert Membership.objects.get(user=outsider, community=community).state == "active"
    event = AuditEvent.objects.get(action=A.INVITATION_ACCEPTED, subject=outsider)
    assert event.detail["other_address"] is True
    assert event.detail["email"] == "work@example.org"
    assert event.detail["accepted_as"] == outsider.email
    # The link admitted once.
    client.force_login(UserFactory())
    assert client.get(landing(token)).context["status"] == "accepted"


def test_an_active_member_accepting_only_marks_the_invitation_used(
    client: Client,
    facilitator: User,
    core_member: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    # Invited before becoming a member some other way.
    invite(django_capture_on_commit_callbacks, community, facilitator, "later@example.org")
    token = token_sent_to("later@example.org")
    client.force_login(core_member)

    assert client.get(landing(token)).context["already_member"] is True
    response = client.post(landing(token), {})

    assert response.status_code == 302
    assert response.url == community.get_absolute_url()
    membership = Membership.objects.get(user=core_member, community=community)
    assert membership.role == Membership.Role.CORE
    assert invitation_of("later@example.org").state == Invitation.State.ACCEPTED
    event = AuditEvent.objects.get(action=A.INVITATION_ACCEPTED, subject=core_member)
    assert event.detail["already_member"] is True


# --- Who may do what -----------------------------------------------------------------


@pytest.fixture
def open_invitation(
    facilitator: User, community: Community, django_capture_on_commit_callbacks: Capture
) -> Invitation:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    return invitation_of("ann@example.org")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("member", 403), ("core_member", 403), ("sponsor", 403), ("outsider", 404)],
)
def test_only_facilitators_and_site_admins_reach_the_invitation_pages(
    client: Client,
    request: pytest.FixtureRequest,
    open_invitation: Invitation,
    persona: str,
    status: int,
    site_admin: User,
) -> None:
    hidden = Community.objects.filter(pk=open_invitation.community_id)
    hidden.update(is_listed=False)
    client.force_login(request.getfixturevalue(persona))
    base = LIST_URL
    assert client.get(base).status_code == status
    assert client.post(base, {"addresses": "x@example.org", "expires_in_days": 14}).status_code == (
        status
    )
    assert client.post(f"{base}{open_invitation.pk}/resend/").status_code == status
    assert client.post(f"{base}{open_invitation.pk}/revoke/").status_code == status
    open_invitation.refresh_from_db()
    assert open_invitation.state == Invitation.State.PENDING
    assert Invitation.objects.count() == 1

    client.force_login(site_admin)
    assert client.get(base).status_code == 200


def test_members_of_a_listed_community_get_403_on_the_invitation_list(
    client: Client, member: User, community: Community
) -> None:
    client.force_login(member)
    assert client.get(LIST_URL).status_code == 403


def test_services_refuse_people_who_may_not_manage_the_community(
    member: User, open_invitation: Invitation
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        invitation_create_many(
            community=open_invitation.community, invited_by=member, addresses="x@example.org"
        )
    with pytest.raises(PermissionDenied):
        invitation_resend(invitation=open_invitation, by=member)
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=open_invitation, by=member)


def test_resend_and_revoke_need_post(
    client: Client, facilitator: User, open_invitation: Invitation
) -> None:
    client.force_login(facilitator)
    assert client.get(f"{LIST_URL}{open_invitation.pk}/resend/").status_code == 405
    assert client.get(f"{LIST_URL}{open_invitation.pk}/revoke/").status_code == 405


# --- The facilitators' list ----------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10])
def test_the_invitation_list_takes_the_same_queries_however_many_invitations(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    invite(
        django_capture_on_commit_callbacks,
        community,
        facilitator,
        "\n".join(f"p{n}@example.org" for n in range(count)),
    )
    accepted = UserFactory()
    invitation_accept(
        invitation=invitation_of("p0@example.org"), user=accepted, charter_accepted=True
    )
    client.force_login(facilitator)
    # session, user, community, role, counts, page count, page rows
    with django_assert_num_queries(8):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count


def test_the_invitation_list_shows_each_status_and_filters_by_it(
    client: Client,
    facilitator: User,
    community: Community,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    invite(django_capture_on_commit_callbacks, community, facilitator, "old@example.org", days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        invite(django_capture_on_commit_callbacks, community, facilitator, "open@example.org")
        invite(django_capture_on_commit_callbacks, community, facilitator, "gone@example.org")
        invitation_revoke(invitation=invitation_of("gone@example.org"), by=facilitator)
        client.force_login(facilitator)

        response = client.get(LIST_URL)
        statuses = {i.email: i.status for i in response.context["page"].object_list}
        assert statuses == {
            "old@example.org": "expired",
            "open@example.org": "pending",
            "gone@example.org": "revoked",
        }
        assert response.context["counts"] == {
            "pending": 1,
            "expired": 1,
            "accepted": 0,
            "revoked": 1,
        }
        body = response.content.decode()
        assert "Fenna Facilitator" in body

        response = client.get(LIST_URL, {"status": "expired"})
        assert [i.email for i in response.context["page"].object_list] == ["old@example.org"]


def test_an_empty_invitation_list_says_what_to_do(
    client: Client, facilitator: User, community: Community
) -> None:
    client.force_login(in_english(facilitator))
    response = client.get(LIST_URL)
    assert "Nobody has been invited yet" in response.content.decode()
