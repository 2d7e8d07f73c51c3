"""Fixtures of the invitation tests."""

import pytest
from django.test import Client

from communities.models import Community, Invitation
from members.models import User
from tests.communities.invitations.helpers import Capture, invitation_of, invite


@pytest.fixture
def client() -> Client:
    # Strangers arrive with their browser's language; these tests read the English text.
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def open_invitation(
    facilitator: User, community: Community, django_capture_on_commit_callbacks: Capture
) -> Invitation:
    invite(django_capture_on_commit_callbacks, community, facilitator, "ann@example.org")
    return invitation_of("ann@example.org")
