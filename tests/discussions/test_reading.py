"""Read state: unread and "new since your last visit", one upsert per page view."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community
from discussions.models import CommunityVisit, ReadState, Thread
from discussions.services.posts import reply_create, thread_create
from discussions.services.reading import community_mark_visited, thread_mark_read
from members.models import User

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _login(client: Client, user: User) -> None:
    User.objects.filter(pk=user.pk).update(language="en")
    client.force_login(user)


def _thread(community: Community, author: User, title: str = "Vraag") -> Thread:
    return thread_create(community=community, author=author, kind="tip", title=title, body="b")


def _rows(client: Client, community: Community) -> dict[str, Thread]:
    response = client.get(reverse("discussions:thread-list", kwargs={"slug": community.slug}))
    return {t.title: t for t in response.context["page"].threads}


def test_reading_a_thread_records_one_read_state(member: User, community: Community) -> None:
    thread = _thread(community, member)
    client = Client()
    _login(client, member)
    client.get(thread.get_absolute_url())
    client.get(thread.get_absolute_url())
    assert ReadState.objects.filter(user=member, thread=thread).count() == 1


def test_an_unread_thread_is_marked(member: User, core_member: User, community: Community) -> None:
    _thread(community, core_member, "Nieuw")
    client = Client()
    _login(client, member)
    assert _rows(client, community)["Nieuw"].is_unread


def test_a_read_thread_is_not_marked(member: User, core_member: User, community: Community) -> None:
    thread = _thread(community, core_member, "Gelezen")
    thread_mark_read(user=member, thread=thread)
    client = Client()
    _login(client, member)
    assert not _rows(client, community)["Gelezen"].is_unread


def test_a_new_reply_marks_a_read_thread_again(
    member: User, core_member: User, community: Community
) -> None:
    with time_machine.travel(START, tick=False):
        thread = _thread(community, core_member, "Actief")
        thread_mark_read(user=member, thread=thread)
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        reply_create(thread=thread, author=core_member, body="Meer")
    client = Client()
    _login(client, member)
    row = _rows(client, community)["Actief"]
    assert row.is_unread and row.last_read_at is not None


def test_threads_since_the_last_visit_are_new(
    member: User, core_member: User, community: Community
) -> None:
    with time_machine.travel(START, tick=False):
        _thread(community, core_member, "Oud")
        community_mark_visited(user=member, community=community)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        _thread(community, core_member, "Sindsdien")
    client = Client()
    _login(client, member)
    rows = _rows(client, community)
    assert rows["Sindsdien"].is_new and not rows["Oud"].is_new


def test_a_first_visit_marks_nothing_new(
    member: User, core_member: User, community: Community
) -> None:
    _thread(community, core_member, "Eerste")
    client = Client()
    _login(client, member)
    assert not _rows(client, community)["Eerste"].is_new


def test_opening_the_list_records_the_visit_once(member: User, community: Community) -> None:
    client = Client()
    _login(client, member)
    _rows(client, community)
    _rows(client, community)
    assert CommunityVisit.objects.filter(user=member, community=community).count() == 1


def test_the_list_shows_the_new_marker(
    member: User, core_member: User, community: Community
) -> None:
    with time_machine.travel(START, tick=False):
        community_mark_visited(user=member, community=community)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        _thread(community, core_member, "Sindsdien")
    client = Client()
    _login(client, member)
    response = client.get(reverse("discussions:thread-list", kwargs={"slug": community.slug}))
    assert "New since your last visit" in response.content.decode()


def _read_at(client: Client, thread: Thread, minutes: int) -> int:
    """Open the thread `minutes` after START; the number of queries it took."""
    with (
        time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        client.get(thread.get_absolute_url())
    return len(queries)


def _last_read(user: User, thread: Thread) -> dt.datetime:
    return ReadState.objects.get(user=user, thread=thread).last_read_at


def test_a_reread_of_an_unchanged_thread_within_minutes_writes_nothing(
    member: User, core_member: User, community: Community
) -> None:
    client = Client()
    _login(client, member)
    with time_machine.travel(START, tick=False):
        thread = _thread(community, core_member, "Stil")
    _read_at(client, thread, 0)
    reread = _read_at(client, thread, 4)
    assert _last_read(member, thread) == START
    later_read = _read_at(client, thread, 6)
    assert later_read == reread + 1  # the upsert
    assert _last_read(member, thread) == START + dt.timedelta(minutes=6)


def test_a_reread_after_a_new_reply_is_written_at_once(
    member: User, core_member: User, community: Community
) -> None:
    client = Client()
    _login(client, member)
    with time_machine.travel(START, tick=False):
        thread = _thread(community, core_member, "Druk")
    _read_at(client, thread, 0)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        reply_create(thread=thread, author=core_member, body="Nieuw antwoord")
    _read_at(client, thread, 2)
    assert _last_read(member, thread) == START + dt.timedelta(minutes=2)
    assert not _rows(client, community)["Druk"].is_unread
