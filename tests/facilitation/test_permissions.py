"""Who may open the console and act in it, one rule per test."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communities.models import Community
from facilitation.permissions import (
    can_act_in_console,
    can_open_console,
    can_see_overview,
    console_communities_for,
    get_community_for_console_or_404,
    may_be_asked,
    may_be_nudged,
)
from members.models import User
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


def test_facilitators_and_site_admins_open_and_act(
    community: Community, facilitator: User, site_admin: User
) -> None:
    for user in (facilitator, site_admin):
        assert can_open_console(user, community)
        assert can_act_in_console(user, community)
        assert can_see_overview(user)


def test_core_members_open_but_do_not_act(community: Community, core_member: User) -> None:
    assert can_open_console(core_member, community)
    assert not can_act_in_console(core_member, community)
    assert list(console_communities_for(core_member)) == [community]


def test_members_sponsors_and_outsiders_neither_open_nor_see_the_overview(
    community: Community, member: User, sponsor: User, outsider: User
) -> None:
    for user in (member, sponsor, outsider):
        assert not can_open_console(user, community)
        assert not can_see_overview(user)
        assert list(console_communities_for(user)) == []


def test_a_member_who_knows_the_community_gets_403_a_stranger_to_it_404(
    community: Community, member: User, outsider: User
) -> None:
    with pytest.raises(PermissionDenied):
        get_community_for_console_or_404(member, community.slug)
    Community.objects.filter(pk=community.pk).update(is_listed=False)
    with pytest.raises(Http404):
        get_community_for_console_or_404(outsider, community.slug)


def test_only_readers_of_a_shown_unsolved_question_may_be_asked(
    community: Community, member: User, core_member: User, outsider: User
) -> None:
    question = make_thread(community, member)
    assert may_be_asked(core_member, question)
    assert not may_be_asked(outsider, question)
    question.is_hidden = True
    assert not may_be_asked(core_member, question)


def test_only_active_members_may_be_nudged(
    community: Community, member: User, sponsor: User, outsider: User
) -> None:
    assert may_be_nudged(member, community)
    assert not may_be_nudged(sponsor, community)
    assert not may_be_nudged(outsider, community)
