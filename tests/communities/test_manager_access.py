"""`get_community_for_manager_or_403`: the one gate of the facilitators' pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communities.models import Community
from communities.permissions import get_community_for_manager_or_403
from members.models import User
from tests.conftest import make_community

pytestmark = pytest.mark.django_db


def test_facilitators_and_site_admins_get_the_community(
    community: Community, facilitator: User, site_admin: User
) -> None:
    for user in (facilitator, site_admin):
        assert get_community_for_manager_or_403(user, community.slug) == community


def test_members_get_403_and_who_may_not_know_it_404(
    community: Community,
    member: User,
    sponsor: User,
    outsider: User,
    site_admin: User,
    facilitator: User,
) -> None:
    for user in (member, sponsor, outsider):  # the community is listed: all know of it
        with pytest.raises(PermissionDenied):
            get_community_for_manager_or_403(user, community.slug)
    unlisted = make_community(site_admin, facilitator, "verborgen", is_listed=False)
    with pytest.raises(Http404):
        get_community_for_manager_or_403(outsider, unlisted.slug)
    with pytest.raises(Http404):
        get_community_for_manager_or_403(outsider, "no-such-community")
