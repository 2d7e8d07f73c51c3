"""Replying, the reply tree, deleted replies and the accepted answer."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from communities.models import Community
from discussions.models import Reply, Thread
from discussions.services.posts import (
    answer_accept,
    answer_unaccept,
    reply_create,
    reply_delete,
    reply_edit,
    reply_restore,
    thread_create,
)
from discussions.tree import MAX_DEPTH, ROOTS_PER_PAGE
from members.models import User

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> None:
    """Sign in, reading the site in English (the default language is Dutch)."""
    User.objects.filter(pk=user.pk).update(language="en")
    client.force_login(user)


def _reply_url(thread: Thread) -> str:
    return reverse("discussions:reply-create", kwargs={"thread_id": thread.pk})


def test_a_member_replies_without_javascript(thread: Thread, core_member: User) -> None:
    client = Client()
    _login(client, core_member)
    response = client.post(_reply_url(thread), {"body": "Mijn antwoord"})
    reply = Reply.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reply-{reply.pk}")
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_a_reply_with_htmx_returns_the_replies_section(thread: Thread, core_member: User) -> None:
    client = Client()
    _login(client, core_member)
    response = client.post(_reply_url(thread), {"body": "Inline"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="replies"' in content and "Inline" in content and "<html" not in content
    assert "HX-Request" in response["Vary"]


def test_an_htmx_reply_error_comes_back_in_the_form(thread: Thread, core_member: User) -> None:
    client = Client()
    _login(client, core_member)
    response = client.post(_reply_url(thread), {"body": "  "}, HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#reply-form-thread"
    assert not Reply.objects.exists()


def test_a_reply_error_without_javascript_keeps_the_form(thread: Thread, core_member: User) -> None:
    client = Client()
    _login(client, core_member)
    response = client.post(_reply_url(thread), {"body": "", "parent": ""})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_replying_to_a_reply_nests_it(thread: Thread, core_member: User, member: User) -> None:
    first = reply_create(thread=thread, author=core_member, body="Eerste")
    client = Client()
    _login(client, member)
    client.post(_reply_url(thread), {"body": "Onder eerste", "parent": first.pk})
    assert Reply.objects.get(body="Onder eerste").parent == first


def test_the_reply_form_for_a_reply_works_without_javascript(
    thread: Thread, core_member: User
) -> None:
    first = reply_create(thread=thread, author=core_member, body="Eerste")
    client = Client()
    _login(client, core_member)
    response = client.get(_reply_url(thread), {"parent": first.pk})
    assert response.status_code == 200
    assert f'name="parent" value="{first.pk}"' in response.content.decode()


def test_a_parent_from_another_thread_is_not_found(
    thread: Thread, community: Community, core_member: User
) -> None:
    other = thread_create(community=community, author=core_member, kind="tip", title="T", body="b")
    foreign = reply_create(thread=other, author=core_member, body="Elders")
    client = Client()
    _login(client, core_member)
    assert client.post(_reply_url(thread), {"body": "x", "parent": foreign.pk}).status_code == 404


def test_sponsors_may_not_reply(thread: Thread, sponsor: User) -> None:
    client = Client()
    _login(client, sponsor)
    assert client.post(_reply_url(thread), {"body": "x"}).status_code == 404


def test_outsiders_get_404_when_replying(thread: Thread, outsider: User) -> None:
    client = Client()
    _login(client, outsider)
    assert client.post(_reply_url(thread), {"body": "x"}).status_code == 404


def test_deep_replies_are_flattened_with_in_reply_to(
    thread: Thread, core_member: User, member: User
) -> None:
    parent = None
    for i in range(MAX_DEPTH + 2):
        parent = reply_create(thread=thread, author=core_member, body=f"Niveau {i}", parent=parent)
    client = Client()
    _login(client, member)
    content = client.get(thread.get_absolute_url()).content.decode()
    assert "in reply to Cor Core" in content


def test_a_deleted_reply_with_answers_leaves_a_placeholder(
    thread: Thread, core_member: User, member: User
) -> None:
    first = reply_create(thread=thread, author=core_member, body="Verwijder mij")
    reply_create(thread=thread, author=member, body="Kind", parent=first)
    reply_delete(reply=first, by=core_member)
    client = Client()
    _login(client, member)
    response = client.get(thread.get_absolute_url())
    content = response.content.decode()
    assert "This reply was deleted." in content
    assert "Verwijder mij" not in content
    assert [n.reply.body for n in response.context["replies"][0].children] == ["Kind"]


def test_a_deleted_reply_without_answers_disappears(
    thread: Thread, core_member: User, member: User
) -> None:
    first = reply_create(thread=thread, author=core_member, body="Weg")
    reply_delete(reply=first, by=core_member)
    client = Client()
    _login(client, member)
    response = client.get(thread.get_absolute_url())
    assert response.context["replies"] == []
    assert "This reply was deleted." not in response.content.decode()


def test_deleting_a_reply_lowers_the_count(thread: Thread, core_member: User) -> None:
    reply = reply_create(thread=thread, author=core_member, body="x")
    reply_delete(reply=reply, by=core_member)
    thread.refresh_from_db()
    assert thread.reply_count == 0


def test_facilitators_restore_a_reply(thread: Thread, core_member: User, facilitator: User) -> None:
    reply = reply_create(thread=thread, author=core_member, body="x")
    reply_delete(reply=reply, by=core_member)
    client = Client()
    _login(client, facilitator)
    client.post(reverse("discussions:reply-restore", kwargs={"reply_id": reply.pk}))
    reply.refresh_from_db()
    assert reply.deleted_at is None


def test_members_may_not_restore_a_reply(thread: Thread, core_member: User) -> None:
    reply = reply_create(thread=thread, author=core_member, body="x")
    reply_delete(reply=reply, by=core_member)
    with pytest.raises(PermissionDenied):
        reply_restore(reply=reply, by=core_member)


def test_editing_a_reply_keeps_a_revision_and_shows_edited(
    thread: Thread, core_member: User
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Eerst")
    client = Client()
    _login(client, core_member)
    client.post(
        reverse("discussions:reply-edit", kwargs={"reply_id": reply.pk}), {"body": "Daarna"}
    )
    assert reply.revisions.get().body == "Eerst"
    content = client.get(thread.get_absolute_url()).content.decode()
    assert reverse("discussions:reply-revisions", kwargs={"reply_id": reply.pk}) in content


def test_others_may_not_edit_a_reply(thread: Thread, core_member: User, member: User) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Eerst")
    with pytest.raises(PermissionDenied):
        reply_edit(reply=reply, by=member, body="Anders")


def test_the_asker_accepts_an_answer_shown_at_the_top(
    thread: Thread, core_member: User, member: User
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Het antwoord")
    client = Client()
    _login(client, member)
    response = client.post(reverse("discussions:answer-accept", kwargs={"reply_id": reply.pk}))
    thread.refresh_from_db()
    assert response.status_code == 302 and thread.accepted_reply == reply
    page = client.get(thread.get_absolute_url())
    assert page.context["accepted"].reply == reply
    assert "Accepted answer" in page.content.decode()


def test_accepting_with_htmx_returns_the_thread_body(
    thread: Thread, core_member: User, member: User
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Het antwoord")
    client = Client()
    _login(client, member)
    response = client.post(
        reverse("discussions:answer-accept", kwargs={"reply_id": reply.pk}), HTTP_HX_REQUEST="true"
    )
    assert 'id="thread-body"' in response.content.decode()


def test_the_asker_unaccepts(thread: Thread, core_member: User, member: User) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Het antwoord")
    answer_accept(thread=thread, reply=reply, by=member)
    client = Client()
    _login(client, member)
    client.post(reverse("discussions:answer-unaccept", kwargs={"thread_id": thread.pk}))
    thread.refresh_from_db()
    assert thread.accepted_reply is None


def test_other_members_may_not_accept(thread: Thread, core_member: User) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Mijn eigen antwoord")
    client = Client()
    _login(client, core_member)
    url = reverse("discussions:answer-accept", kwargs={"reply_id": reply.pk})
    assert client.post(url).status_code == 403


def test_tips_have_no_accepted_answer(
    community: Community, member: User, core_member: User
) -> None:
    tip = thread_create(community=community, author=member, kind="tip", title="Tip", body="b")
    reply = reply_create(thread=tip, author=core_member, body="Dank")
    with pytest.raises(PermissionDenied):
        answer_accept(thread=tip, reply=reply, by=member)


def test_moderators_accept_too(thread: Thread, core_member: User, facilitator: User) -> None:
    reply = reply_create(thread=thread, author=core_member, body="x")
    answer_accept(thread=thread, reply=reply, by=facilitator)
    answer_unaccept(thread=thread, by=facilitator)
    thread.refresh_from_db()
    assert thread.accepted_reply is None


def test_long_threads_paginate_by_whole_top_level_replies(
    thread: Thread, core_member: User, member: User
) -> None:
    roots = [
        reply_create(thread=thread, author=core_member, body=f"Wortel {i}")
        for i in range(ROOTS_PER_PAGE + 1)
    ]
    child = reply_create(thread=thread, author=core_member, body="Late child", parent=roots[0])
    client = Client()
    _login(client, member)
    first = client.get(thread.get_absolute_url())
    assert len(first.context["replies"]) == ROOTS_PER_PAGE
    assert first.context["replies"][0].children[0].reply == child
    second = client.get(thread.get_absolute_url(), {"page": 2})
    assert [n.reply for n in second.context["replies"]] == [roots[-1]]


def test_after_replying_you_land_on_the_page_of_your_reply(
    thread: Thread, core_member: User
) -> None:
    for i in range(ROOTS_PER_PAGE):
        reply_create(thread=thread, author=core_member, body=f"Wortel {i}")
    client = Client()
    _login(client, core_member)
    response = client.post(_reply_url(thread), {"body": "Op pagina twee"})
    assert "?page=2#reply-" in response["Location"]
