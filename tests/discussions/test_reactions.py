"""Reactions: a fixed set, once per kind per person, counts kept in sync."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from communities.models import Community
from discussions.models import Reaction, Reply, Thread
from discussions.services.posts import reply_create, reply_delete, thread_create
from discussions.services.reactions import reaction_toggle
from members.models import User

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> None:
    User.objects.filter(pk=user.pk).update(language="en")
    client.force_login(user)


@pytest.fixture
def thread(community: Community, member: User) -> Thread:
    return thread_create(community=community, author=member, kind="tip", title="Tip", body="b")


@pytest.fixture
def reply(thread: Thread, core_member: User) -> Reply:
    return reply_create(thread=thread, author=core_member, body="Dank")


def test_a_reaction_counts_once_per_kind_per_person(thread: Thread, core_member: User) -> None:
    assert reaction_toggle(user=core_member, post=thread, kind="thanks") is True
    reaction_toggle(user=core_member, post=thread, kind="insightful")
    thread.refresh_from_db()
    assert thread.reaction_count == 2


def test_reacting_again_takes_it_back(thread: Thread, core_member: User) -> None:
    reaction_toggle(user=core_member, post=thread, kind="thanks")
    assert reaction_toggle(user=core_member, post=thread, kind="thanks") is False
    thread.refresh_from_db()
    assert thread.reaction_count == 0 and not Reaction.objects.exists()


def test_replies_keep_their_own_count(reply: Reply, member: User) -> None:
    reaction_toggle(user=member, post=reply, kind="same_here")
    reply.refresh_from_db()
    assert reply.reaction_count == 1


def test_unknown_kinds_are_refused(thread: Thread, core_member: User) -> None:
    with pytest.raises(ValueError):
        reaction_toggle(user=core_member, post=thread, kind="love")


def test_sponsors_may_not_react(thread: Thread, sponsor: User) -> None:
    with pytest.raises(PermissionDenied):
        reaction_toggle(user=sponsor, post=thread, kind="thanks")


def test_deleted_replies_take_no_reactions(reply: Reply, core_member: User, member: User) -> None:
    reply_delete(reply=reply, by=core_member)
    with pytest.raises(PermissionDenied):
        reaction_toggle(user=member, post=reply, kind="thanks")


def test_reacting_without_javascript_redirects_to_the_post(reply: Reply, member: User) -> None:
    client = Client()
    _login(client, member)
    response = client.post(
        reverse("discussions:reply-react", kwargs={"reply_id": reply.pk}), {"kind": "thanks"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reply-{reply.pk}")


def test_reacting_with_htmx_returns_the_updated_buttons(thread: Thread, core_member: User) -> None:
    client = Client()
    _login(client, core_member)
    response = client.post(
        reverse("discussions:thread-react", kwargs={"thread_id": thread.pk}),
        {"kind": "thanks"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert 'aria-pressed="true"' in content and '<span class="reaction-count">1</span>' in content
    assert "HX-Request" in response["Vary"]


def test_a_missing_kind_is_a_bad_request(thread: Thread, core_member: User) -> None:
    client = Client()
    _login(client, core_member)
    url = reverse("discussions:thread-react", kwargs={"thread_id": thread.pk})
    assert client.post(url, {}).status_code == 400


def test_the_thread_page_shows_counts_and_your_own_reactions(
    thread: Thread, reply: Reply, member: User, core_member: User
) -> None:
    reaction_toggle(user=core_member, post=reply, kind="insightful")
    reaction_toggle(user=member, post=reply, kind="insightful")
    client = Client()
    _login(client, member)
    response = client.get(thread.get_absolute_url())
    shown = response.context["replies"][0].reply.reactions_shown
    insightful = next(r for r in shown if r["kind"] == "insightful")
    assert insightful["count"] == 2 and insightful["mine"] is True


def test_reacting_is_a_post_only(thread: Thread, core_member: User) -> None:
    client = Client()
    _login(client, core_member)
    url = reverse("discussions:thread-react", kwargs={"thread_id": thread.pk})
    assert client.get(url).status_code == 405
