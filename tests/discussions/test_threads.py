"""Starting, listing, editing and deleting threads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from communities.models import Community
from discussions.models import Revision, Thread
from discussions.selectors.threads import (
    decode_cursor,
    keyset_page,
    thread_list_for_community,
)
from discussions.services import moderation
from discussions.services.posts import (
    answer_accept,
    reply_create,
    thread_create,
    thread_delete,
    thread_edit,
    thread_restore,
)
from members.models import User

pytestmark = pytest.mark.django_db


def _login(client: Client, user: User) -> None:
    """Sign in, reading the site in English (the default language is Dutch)."""
    User.objects.filter(pk=user.pk).update(language="en")
    client.force_login(user)


def _thread(community: Community, author: User, title: str = "Hoe begin ik?", **kw) -> Thread:
    return thread_create(
        community=community,
        author=author,
        kind=kw.pop("kind", Thread.Kind.QUESTION),
        title=title,
        body=kw.pop("body", "Tekst"),
        **kw,
    )


def _list_url(community: Community) -> str:
    return reverse("discussions:thread-list", kwargs={"slug": community.slug})


def test_a_member_starts_a_question_with_tags(member: User, community: Community) -> None:
    client = Client()
    _login(client, member)
    response = client.post(
        reverse("discussions:thread-create", kwargs={"slug": community.slug}),
        {
            "kind": "question",
            "title": "Privacy bij apps?",
            "body": "Wie weet dit?",
            "tags": "Privacy, apps",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert sorted(thread.tags.names()) == ["apps", "privacy"]


def test_a_thread_form_error_keeps_what_was_typed(member: User, community: Community) -> None:
    client = Client()
    _login(client, member)
    response = client.post(
        reverse("discussions:thread-create", kwargs={"slug": community.slug}),
        {"kind": "question", "title": "Mijn lange vraag", "body": ""},
    )
    assert response.status_code == 200
    assert "Mijn lange vraag" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_moderation_hold_is_shown_on_the_form_and_keeps_the_text(
    member: User, community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    def hold(*, user: User, community: Community) -> None:
        raise ValidationError("Nieuwe leden mogen twee berichten per dag plaatsen.")

    monkeypatch.setattr(moderation, "ensure_may_post", hold)
    client = Client()
    _login(client, member)
    response = client.post(
        reverse("discussions:thread-create", kwargs={"slug": community.slug}),
        {"kind": "tip", "title": "Tip", "body": "Mijn getypte tekst"},
    )
    content = response.content.decode()
    assert "twee berichten per dag" in content
    assert "Mijn getypte tekst" in content


def test_only_facilitators_may_post_announcements(
    member: User, facilitator: User, community: Community
) -> None:
    with pytest.raises(PermissionDenied):
        _thread(community, member, kind=Thread.Kind.ANNOUNCEMENT)
    assert _thread(community, facilitator, kind=Thread.Kind.ANNOUNCEMENT).pk


def test_the_form_offers_announcements_only_to_facilitators(
    member: User, facilitator: User, community: Community
) -> None:
    url = reverse("discussions:thread-create", kwargs={"slug": community.slug})
    client = Client()
    _login(client, member)
    assert 'value="announcement"' not in client.get(url).content.decode()
    _login(client, facilitator)
    assert 'value="announcement"' in client.get(url).content.decode()


def test_sponsors_may_not_start_threads(sponsor: User, community: Community) -> None:
    client = Client()
    _login(client, sponsor)
    url = reverse("discussions:thread-create", kwargs={"slug": community.slug})
    assert client.get(url).status_code == 403


def test_the_form_suggests_the_communitys_tags(member: User, community: Community) -> None:
    _thread(community, member, tags=["privacy"])
    client = Client()
    _login(client, member)
    response = client.get(reverse("discussions:thread-create", kwargs={"slug": community.slug}))
    assert '<option value="privacy">' in response.content.decode()


def test_similar_questions_show_as_you_type(member: User, community: Community) -> None:
    _thread(community, member, title="Privacy bij zorgapps")
    _thread(community, member, title="Iets anders")
    client = Client()
    _login(client, member)
    url = reverse("discussions:thread-similar", kwargs={"slug": community.slug})
    response = client.get(url, {"title": "Hoe zit het met privacy?"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Privacy bij zorgapps" in content
    assert "Iets anders" not in content
    assert "<html" not in content
    assert "HX-Request" in response["Vary"]


def test_similar_questions_show_without_javascript(member: User, community: Community) -> None:
    _thread(community, member, title="Privacy bij zorgapps")
    client = Client()
    _login(client, member)
    response = client.post(
        reverse("discussions:thread-create", kwargs={"slug": community.slug}),
        {"kind": "question", "title": "privacy vraag", "body": "half af", "check_similar": "1"},
    )
    content = response.content.decode()
    assert "Privacy bij zorgapps" in content
    assert "half af" in content
    assert Thread.objects.count() == 1


def test_similar_questions_leave_out_what_the_viewer_may_not_read(
    member: User, facilitator: User, community: Community
) -> None:
    hidden = _thread(community, facilitator, title="Privacy geheim")
    thread_delete(thread=hidden, by=facilitator)
    client = Client()
    _login(client, member)
    url = reverse("discussions:thread-similar", kwargs={"slug": community.slug})
    assert "Privacy geheim" not in client.get(url, {"title": "privacy"}).content.decode()


def test_editing_keeps_the_previous_version(member: User, community: Community) -> None:
    thread = _thread(community, member, title="Oud", body="Oude tekst")
    thread_edit(thread=thread, by=member, title="Nieuw", body="Nieuwe tekst", tags=[])
    revision = Revision.objects.get(thread=thread)
    thread.refresh_from_db()
    assert (revision.title, revision.body) == ("Oud", "Oude tekst")
    assert thread.title == "Nieuw" and thread.edited_at is not None


def test_the_author_sees_earlier_versions(member: User, community: Community) -> None:
    thread = _thread(community, member, body="Eerste versie")
    thread_edit(thread=thread, by=member, title=thread.title, body="Tweede", tags=[])
    client = Client()
    _login(client, member)
    response = client.get(reverse("discussions:thread-revisions", kwargs={"thread_id": thread.pk}))
    assert "Eerste versie" in response.content.decode()


def test_other_members_may_not_see_earlier_versions(
    member: User, core_member: User, community: Community
) -> None:
    thread = _thread(community, member)
    client = Client()
    _login(client, core_member)
    url = reverse("discussions:thread-revisions", kwargs={"thread_id": thread.pk})
    assert client.get(url).status_code == 403


def test_other_members_may_not_edit(member: User, core_member: User, community: Community) -> None:
    thread = _thread(community, member)
    client = Client()
    _login(client, core_member)
    url = reverse("discussions:thread-edit", kwargs={"thread_id": thread.pk})
    assert client.post(url, {"title": "x", "body": "y"}).status_code == 403


def test_the_edit_form_saves_through_the_service(member: User, community: Community) -> None:
    thread = _thread(community, member)
    client = Client()
    _login(client, member)
    url = reverse("discussions:thread-edit", kwargs={"thread_id": thread.pk})
    response = client.post(url, {"title": "Beter", "body": "Beter", "tags": "tips"})
    thread.refresh_from_db()
    assert response.status_code == 302
    assert thread.title == "Beter" and list(thread.tags.names()) == ["tips"]


def test_a_deleted_thread_is_gone_for_members(
    member: User, core_member: User, community: Community
) -> None:
    thread = _thread(community, member)
    client = Client()
    _login(client, member)
    assert (
        client.post(
            reverse("discussions:thread-delete", kwargs={"thread_id": thread.pk})
        ).status_code
        == 302
    )
    _login(client, core_member)
    assert client.get(thread.get_absolute_url()).status_code == 404


def test_facilitators_restore_a_deleted_thread(
    member: User, facilitator: User, community: Community
) -> None:
    thread = _thread(community, member)
    thread_delete(thread=thread, by=member)
    client = Client()
    _login(client, facilitator)
    assert "Restore this post" in client.get(thread.get_absolute_url()).content.decode()
    client.post(reverse("discussions:thread-restore", kwargs={"thread_id": thread.pk}))
    thread.refresh_from_db()
    assert thread.deleted_at is None


def test_members_may_not_restore(member: User, community: Community) -> None:
    thread = _thread(community, member)
    with pytest.raises(PermissionDenied):
        thread_restore(thread=thread, by=member)


def test_the_list_puts_pinned_threads_first(member: User, community: Community) -> None:
    pinned = _thread(community, member, title="Lees mij")
    _thread(community, member, title="Later")
    Thread.objects.filter(pk=pinned.pk).update(is_pinned=True)
    threads = list(thread_list_for_community(member, community))
    assert threads[0] == pinned


@pytest.mark.parametrize(
    ("state", "expected"),
    [("unanswered", ["Stil"]), ("answered", ["Beantwoord", "Opgelost"]), ("solved", ["Opgelost"])],
)
def test_the_list_filters_by_answers(
    member: User, core_member: User, community: Community, state: str, expected: list[str]
) -> None:
    _thread(community, member, title="Stil")
    answered = _thread(community, member, title="Beantwoord")
    reply_create(thread=answered, author=core_member, body="Ja")
    solved = _thread(community, member, title="Opgelost")
    answer_accept(
        thread=solved, reply=reply_create(thread=solved, author=core_member, body="Zo"), by=member
    )
    titles = {t.title for t in thread_list_for_community(member, community, state=state)}
    assert titles == set(expected)


def test_the_list_filters_by_kind_tag_and_mine(
    member: User, core_member: User, community: Community
) -> None:
    _thread(community, member, title="Mijn tip", kind=Thread.Kind.TIP, tags=["apps"])
    _thread(community, core_member, title="Zijn tip", kind=Thread.Kind.TIP)
    _thread(community, member, title="Vraag", tags=["apps"])
    client = Client()
    _login(client, member)
    response = client.get(_list_url(community), {"kind": "tip", "tag": "apps", "mine": "on"})
    assert [t.title for t in response.context["page"].threads] == ["Mijn tip"]


def test_an_empty_filter_result_says_how_to_get_back(member: User, community: Community) -> None:
    _thread(community, member)
    client = Client()
    _login(client, member)
    response = client.get(_list_url(community), {"kind": "story"})
    assert "Show all discussions" in response.content.decode()


def test_keyset_pages_cover_every_thread_once_with_ties(
    member: User, core_member: User, community: Community
) -> None:
    threads = [_thread(community, core_member, title=f"T{i}") for i in range(7)]
    Thread.objects.filter(pk__in=[t.pk for t in threads]).update(
        last_activity_at=threads[0].last_activity_at
    )
    seen: list[int] = []
    cursor = ""
    while True:
        page = keyset_page(
            thread_list_for_community(member, community), sort="activity", cursor=cursor, size=3
        )
        seen += [t.pk for t in page.threads]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(t.pk for t in threads)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("sort", ["newest", "reactions"])
def test_other_sorts_page_with_keysets_too(
    member: User, core_member: User, community: Community, sort: str
) -> None:
    for i in range(5):
        _thread(community, core_member, title=f"T{i}")
    first = keyset_page(thread_list_for_community(member, community, sort=sort), sort=sort, size=2)
    second = keyset_page(
        thread_list_for_community(member, community, sort=sort),
        sort=sort,
        cursor=first.next_cursor or "",
        size=2,
    )
    assert not {t.pk for t in first.threads} & {t.pk for t in second.threads}


def test_a_broken_cursor_starts_at_the_top(member: User, community: Community) -> None:
    assert decode_cursor("not-a-cursor", "activity") is None
    client = Client()
    _login(client, member)
    assert client.get(_list_url(community), {"cursor": "%%%"}).status_code == 200


def test_load_more_with_htmx_returns_only_rows(
    member: User, core_member: User, community: Community
) -> None:
    for i in range(30):
        _thread(community, core_member, title=f"Draad {i}")
    client = Client()
    _login(client, member)
    first = client.get(_list_url(community))
    cursor = first.context["page"].next_cursor
    response = client.get(_list_url(community), {"cursor": cursor}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content and "Draad 0" in content
    assert "HX-Request" in response["Vary"]


def test_load_more_without_javascript_is_a_link(
    member: User, core_member: User, community: Community
) -> None:
    for i in range(30):
        _thread(community, core_member, title=f"Draad {i}")
    client = Client()
    _login(client, member)
    content = client.get(_list_url(community)).content.decode()
    assert "cursor=" in content and "More discussions" in content


def test_the_feed_shows_every_readable_community(
    member: User, community: Community, site_admin: User
) -> None:
    from communities.services.communities import community_create

    other = community_create(
        creator=site_admin,
        facilitator=site_admin,
        name="Ander",
        slug="ander",
        focus="f",
        urgency="u",
        member_value="m",
        visibility=Community.Visibility.MEMBERS,
    )
    _thread(community, member, title="Hier")
    _thread(other, site_admin, title="Daar")
    client = Client()
    _login(client, member)
    titles = [t.title for t in client.get(reverse("discussions:feed")).context["page"].threads]
    assert titles == ["Hier"]


def test_the_home_page_shows_the_latest_ten(
    member: User, core_member: User, community: Community
) -> None:
    for i in range(12):
        _thread(community, core_member, title=f"Draad {i}")
    client = Client()
    _login(client, member)
    response = client.get("/")
    assert len(response.context["recent_threads"]) == 10


@pytest.mark.parametrize("threads", [3, 30])
def test_the_thread_list_query_count_is_fixed(
    member: User, core_member: User, community: Community, django_assert_num_queries, threads: int
) -> None:
    for i in range(threads):
        _thread(community, core_member, title=f"Draad {i}", tags=["apps"])
    client = Client()
    _login(client, member)
    client.get("/")
    # session, user (with the viewer's access), community, threads (tags and read state
    # as subqueries), tag suggestions (then cached), mute (may they start a thread), the
    # visit upsert;
    # the unread count in the header is cached after the first visit
    with django_assert_num_queries(7):
        assert client.get(_list_url(community)).status_code == 200


@pytest.mark.parametrize("threads", [3, 30])
def test_the_feed_query_count_is_fixed(
    member: User, core_member: User, community: Community, django_assert_num_queries, threads: int
) -> None:
    for i in range(threads):
        _thread(community, core_member, title=f"Draad {i}")
    client = Client()
    _login(client, member)
    client.get("/")
    # session, user, threads (the unread count is cached after the first visit)
    with django_assert_num_queries(3):
        assert client.get(reverse("discussions:feed")).status_code == 200
