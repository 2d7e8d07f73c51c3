"""The thread page names the meetings whose agenda discussed it (meetings ->
discussions through settings.THREAD_PAGE_ANNOTATIONS), without a query of its own."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from communities.models import Community, Membership
from discussions.models import Thread
from discussions.services.moderation import thread_move
from meetings.permissions import meetings_visible_to
from meetings.services.meetings import agenda_item_add, meeting_cancel
from members.models import User
from tests.conftest import _with_role, make_community
from tests.factories import make_thread
from tests.meetings.helpers import plan

pytestmark = pytest.mark.django_db


def _page(user: User, thread: Thread) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_thread_page_says_at_which_meeting_it_was_discussed(
    community: Community, facilitator: User, member: User, thread: Thread
) -> None:
    meeting = plan(community, facilitator, title="Voorjaarsbijeenkomst")
    agenda_item_add(meeting=meeting, by=facilitator, title="Casus", thread=thread)
    agenda_item_add(meeting=meeting, by=facilitator, title="Nog eens", thread=thread)
    text = _page(member, thread)
    assert 'id="discussed-at-title"' in text
    assert text.count("Voorjaarsbijeenkomst") == 1  # two agenda items, one meeting
    assert meeting.get_absolute_url() in text


def test_cancelled_meetings_and_other_threads_meetings_are_not_named(
    community: Community, facilitator: User, member: User, thread: Thread
) -> None:
    cancelled = plan(community, facilitator, title="Afgelast overleg")
    agenda_item_add(meeting=cancelled, by=facilitator, title="Casus", thread=thread)
    meeting_cancel(meeting=cancelled, by=facilitator)
    plan(community, facilitator, title="Ander overleg")
    text = _page(member, thread)
    assert "Afgelast overleg" not in text and "Ander overleg" not in text
    assert 'id="discussed-at-title"' not in text


def test_a_thread_moved_away_does_not_name_the_old_communitys_meetings(
    community: Community,
    facilitator: User,
    site_admin: User,
    member: User,
    thread: Thread,
) -> None:
    meeting = plan(community, facilitator, title="Besloten overleg")
    agenda_item_add(meeting=meeting, by=facilitator, title="Casus", thread=thread)
    elsewhere = make_community(site_admin, facilitator, "elders")
    thread_move(thread=thread, by=site_admin, to=elsewhere)
    only_new = _with_role(elsewhere, site_admin, Membership.Role.MEMBER)
    assert not meetings_visible_to(only_new).filter(pk=meeting.pk).exists()
    assert "Besloten overleg" not in _page(only_new, thread)


def test_the_thread_page_spends_no_query_on_the_meetings(
    community: Community,
    facilitator: User,
    member: User,
    core_member: User,
    thread: Thread,
    django_assert_num_queries,
) -> None:
    for days in (-20, -10, 5):
        meeting = plan(
            community,
            facilitator,
            starts_at=timezone.now() + timedelta(days=days),
            title=f"Overleg {days}",
        )
        agenda_item_add(meeting=meeting, by=facilitator, title="Casus", thread=thread)
    plain = make_thread(community, member)
    client = Client()
    client.force_login(core_member)
    client.get("/")
    for page in (thread, plain):
        client.get(page.get_absolute_url())  # read once: the read state is then written
    # The same as a thread no meeting discussed: the meetings come with the thread's
    # own query (session, user, thread, replies on a second visit).
    with django_assert_num_queries(4):
        client.get(plain.get_absolute_url())
    with django_assert_num_queries(4):
        response = client.get(thread.get_absolute_url())
    text = response.content.decode()
    assert text.index("Overleg 5") < text.index("Overleg -10") < text.index("Overleg -20")
