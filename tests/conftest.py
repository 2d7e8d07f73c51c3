"""Personas (style guide §8): one community, everyone's standing in it set through
services, so each test reads as a sentence about one kind of person."""

import pytest
from django.core.cache import cache

from communities.models import Community, Membership
from communities.services.communities import community_create
from communities.services.memberships import membership_grant
from discussions.fragments import recent_fragments
from discussions.models import Thread
from members.models import User
from tests.factories import UserFactory, make_thread


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Tests share one process-wide locmem cache: each starts from an empty one (and
    # from no fragments kept by the process in front of it).
    cache.clear()
    recent_fragments.clear()


@pytest.fixture
def site_admin(db: None) -> User:
    return UserFactory(is_staff=True, is_superuser=True, display_name="Ada Admin")


@pytest.fixture
def facilitator(db: None) -> User:
    return UserFactory(display_name="Fenna Facilitator")


@pytest.fixture
def community(site_admin: User, facilitator: User) -> Community:
    return community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="E-health projectleiders",
        slug="e-health",
        focus="E-health invoeren.",
        urgency="Iedereen vindt het wiel opnieuw uit.",
        member_value="Antwoorden van vakgenoten.",
        charter="Wat hier besproken wordt, blijft hier.",
        visibility=Community.Visibility.MEMBERS,
    )


def make_community(admin: User, facilitator: User, slug: str, **settings: object) -> Community:
    """A community made through the service, with placeholder focus texts; `settings`
    override any of community_create's keyword arguments."""
    fields: dict[str, object] = {
        "name": slug.replace("-", " ").title(),
        "focus": "Samen leren.",
        "urgency": "Nu.",
        "member_value": "Kennis.",
        **settings,
    }
    return community_create(creator=admin, facilitator=facilitator, slug=slug, **fields)  # type: ignore[arg-type]


def _with_role(community: Community, admin: User, role: int, **user_fields: object) -> User:
    user = UserFactory(**user_fields)
    membership_grant(community=community, user=user, role=role, granted_by=admin)
    return user


@pytest.fixture
def member(community: Community, site_admin: User) -> User:
    return _with_role(community, site_admin, Membership.Role.MEMBER, display_name="Mira Member")


@pytest.fixture
def core_member(community: Community, site_admin: User) -> User:
    return _with_role(community, site_admin, Membership.Role.CORE, display_name="Cor Core")


@pytest.fixture
def sponsor(community: Community, site_admin: User) -> User:
    return _with_role(community, site_admin, Membership.Role.SPONSOR, display_name="Sam Sponsor")


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory(display_name="Otto Outsider")


@pytest.fixture
def thread(community: Community, member: User) -> Thread:
    """A member's question in the community (tests that need other text make their own)."""
    return make_thread(community, member)


@pytest.fixture
def outbox_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The outbox delivers after commit, and a test's transaction never commits: with
    this fixture each message recorded without a delay goes to the (eager) delivery
    task at once (held-back ones, such as grouped activity, wait for the sweeper)."""
    from outbox import services

    monkeypatch.setattr(
        services,
        "_on_commit",
        lambda ids, delay, batched=False: None if delay else services._enqueue(ids),
    )
