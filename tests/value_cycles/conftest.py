"""A question by the member, answered by the core member: the source most value starts
from in these tests."""

import pytest

from communities.models import Community
from discussions.models import Reply, Thread
from discussions.services.posts import reply_create, thread_create
from members.models import User


@pytest.fixture
def question(community: Community, member: User) -> Thread:
    return thread_create(
        community=community,
        author=member,
        kind=Thread.Kind.QUESTION,
        title="Beeldbellen?",
        body="Hoe?",
    )


@pytest.fixture
def answer(question: Thread, core_member: User) -> Reply:
    return reply_create(thread=question, author=core_member, body="Met ambassadeurs.")
