"""The invitation email: in the right language, and discreet about confidential communities."""

import pytest
from django.core import mail

from communities.models import Community
from communities.services.communities import community_create
from members.models import User
from tests.communities.invitations.helpers import (
    Capture,
    invite,
    token_sent_to,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
