"""Knowledge pages: writing from threads, co-editing with conflict detection, revisions,
visibility (public pages without login), and the list's query count."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from communities.models import Community
from communities.services.communities import community_create, community_update
from discussions.models import KnowledgePage, Thread
from discussions.selectors.knowledge import knowledge_pages_for_thread
from discussions.services.knowledge import (
    KnowledgeEditConflict,
    knowledge_page_create,
    knowledge_page_update,
)
from discussions.services.posts import answer_accept, reply_create, thread_create
from members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PUBLIC = KnowledgePage.Visibility.PUBLIC
COMMUNITY = KnowledgePage.Visibility.COMMUNITY


@pytest.fixture
def thread(community: Community, member: User) -> Thread:
    return thread_create(
        community=community,
        author=member,
        kind=Thread.Kind.QUESTION,
        title="Hoe krijg je artsen mee?",
        body="Wie heeft ervaring?",
    )


def _page(
    community: Community, by: User, title: str = "Artsen meekrijgen", **extra: object
) -> KnowledgePage:
    fields: dict[str, object] = {"body": "Begin met een *pilot*.", "visibility": COMMUNITY}
    return knowledge_page_create(community=community, by=by, title=title, **(fields | extra))


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _edit(page: KnowledgePage, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": page.title,
        "body": page.body,
        "visibility": page.visibility,
        "base_version": page.version,
    }
    return data | changes


# Writing


def test_a_page_from_a_thread_starts_from_its_title_and_accepted_answer(
    client: Client, thread: Thread, member: User, core_member: User
) -> None:
    answer = reply_create(thread=thread, author=core_member, body="Zoek een arts als trekker.")
    answer_accept(thread=thread, reply=answer, by=member)
    _login(client, core_member)
    form = client.get(f"/t/{thread.pk}/knowledge/new/").context["form"]
    assert form.initial["title"] == thread.title
    assert "> Zoek een arts als trekker." in form.initial["body"]
    assert "> Wie heeft ervaring?" in form.initial["body"]
    assert form.initial["source_threads"] == [thread.pk]

    response = client.post(
        f"/t/{thread.pk}/knowledge/new/",
        {
            "title": thread.title,
            "body": "## Les\n\nZoek een trekker. <script>x</script>",
            "visibility": COMMUNITY,
            "source_threads": [thread.pk],
        },
    )
    page = KnowledgePage.objects.get()
    assert response.status_code == 302 and response.url == page.get_absolute_url()
    assert (page.version, page.created_by, page.slug) == (1, core_member, "hoe-krijg-je-artsen-mee")
    assert "<h2>Les</h2>" in page.body_html and "<script>" not in page.body_html
    assert list(page.source_threads.all()) == [thread]
    assert [r.version for r in page.revisions.all()] == [1]


def test_the_thread_page_links_to_what_it_was_distilled_into(
    client: Client, thread: Thread, member: User, core_member: User, outsider: User
) -> None:
    page = _page(thread.community, core_member, source_threads=[thread])
    assert list(knowledge_pages_for_thread(member, thread)) == [page]
    assert list(knowledge_pages_for_thread(outsider, thread)) == []
    response = _login(client, member).get(page.get_absolute_url())
    assert list(response.context["sources"]) == [thread]
    thread_page = client.get(thread.get_absolute_url())
    assert thread_page.context["knowledge_pages"] == [
        {"title": page.title, "url": page.get_absolute_url()}
    ]
    assert page.get_absolute_url() in thread_page.content.decode()


def test_writing_from_the_community_and_slugs_stay_unique(
    client: Client, community: Community, facilitator: User
) -> None:
    _login(client, facilitator)
    for _ in range(2):
        response = client.post(
            "/c/e-health/knowledge/new/",
            {"title": "Nieuw", "body": "Tekst", "visibility": PUBLIC},
        )
        assert response.status_code == 302
    # "new" names the create page, so a page may not take it.
    assert sorted(KnowledgePage.objects.values_list("slug", flat=True)) == ["nieuw", "nieuw-2"]
    page = _page(community, facilitator, title="New")
    assert page.slug == "new-2"


def test_members_may_read_but_not_write_knowledge(
    client: Client, community: Community, thread: Thread, member: User, outsider: User
) -> None:
    _login(client, member)
    assert client.get("/c/e-health/knowledge/").status_code == 200
    assert client.get("/c/e-health/knowledge/new/").status_code == 403
    assert client.get(f"/t/{thread.pk}/knowledge/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        _page(community, member)
    _login(client, outsider)
    assert client.get(f"/t/{thread.pk}/knowledge/new/").status_code == 404


def test_sources_must_be_threads_of_the_community(
    community: Community, core_member: User, site_admin: User, facilitator: User
) -> None:
    other = community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Ander",
        slug="ander",
        focus="f",
        urgency="u",
        member_value="m",
    )
    elsewhere = thread_create(
        community=other, author=facilitator, kind=Thread.Kind.TIP, title="Tip", body="x"
    )
    with pytest.raises(ValidationError):
        _page(community, facilitator, source_threads=[elsewhere])


# Co-editing


def test_an_edit_conflict_shows_the_other_changes_and_keeps_the_typed_text(
    client: Client, community: Community, core_member: User, facilitator: User
) -> None:
    page = _page(community, core_member, body="Regel een\nRegel twee\n")
    started_from = _edit(page)  # both open the edit form at version 1
    knowledge_page_update(
        page=page,
        by=facilitator,
        base_version=1,
        title=page.title,
        body="Regel een\nRegel twee <b>aangepast</b>\n",
        visibility=COMMUNITY,
        source_threads=[],
    )

    _login(client, core_member)
    mine = started_from | {"body": "Mijn eigen versie"}
    response = client.post(f"{page.get_absolute_url()}edit/", mine)
    assert response.status_code == 200
    page.refresh_from_db()
    assert (page.version, page.updated_by) == (2, facilitator)
    assert response.context["conflict"].version == 2
    form = response.context["form"]
    assert form["body"].value() == "Mijn eigen versie"
    assert form["base_version"].value() == "2"
    content = response.content.decode()
    assert "<ins>+Regel twee &lt;b&gt;aangepast&lt;/b&gt;</ins>" in content
    assert "<del>-Regel twee</del>" in content

    # Saving again, now knowing the other changes, goes through.
    assert (
        client.post(f"{page.get_absolute_url()}edit/", mine | {"base_version": 2}).status_code
        == 302
    )
    page.refresh_from_db()
    assert (page.version, page.body) == (3, "Mijn eigen versie")


def test_the_service_refuses_an_edit_based_on_an_old_version(
    community: Community, core_member: User
) -> None:
    page = _page(community, core_member)
    knowledge_page_update(page=page, by=core_member, **_edit(page, body="v2"), source_threads=[])
    with pytest.raises(KnowledgeEditConflict) as conflict:
        knowledge_page_update(
            page=page, by=core_member, **_edit(page, body="v2b"), source_threads=[]
        )
    assert conflict.value.current.body == "v2"


def test_every_save_keeps_a_revision_shown_in_the_history(
    client: Client, community: Community, core_member: User, facilitator: User, member: User
) -> None:
    page = _page(community, core_member, body="een")
    page = knowledge_page_update(
        page=page, by=facilitator, **_edit(page, body="een\ntwee"), source_threads=[]
    )
    page = knowledge_page_update(
        page=page, by=core_member, **_edit(page, title="Beter"), source_threads=[]
    )
    unchanged = knowledge_page_update(page=page, by=core_member, **_edit(page), source_threads=[])
    assert unchanged.version == 3
    revisions = [(r.version, r.edited_by, r.title) for r in page.revisions.all()]
    assert revisions == [
        (3, core_member, "Beter"),
        (2, facilitator, "Artsen meekrijgen"),
        (1, core_member, "Artsen meekrijgen"),
    ]
    _login(client, member)
    response = client.get(f"{page.get_absolute_url()}history/", {"version": 2})
    assert response.status_code == 200
    assert [d.text for d in response.context["diff"] if d.kind == "added"] == ["+twee"]


# Who reads


def test_a_public_page_is_readable_without_an_account_and_shows_nothing_else(
    client: Client, community: Community, thread: Thread, core_member: User
) -> None:
    page = _page(community, core_member, visibility=PUBLIC, source_threads=[thread])
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Begin met een <em>pilot</em>." in content
    assert community.name not in content and thread.title not in content
    assert core_member.name not in content
    assert response.context["sources"] == []


def test_pages_for_the_community_send_anonymous_visitors_to_log_in(
    client: Client, community: Community, core_member: User
) -> None:
    page = _page(community, core_member)
    response = client.get(page.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url
    missing = client.get("/c/e-health/knowledge/bestaat-niet/")
    assert missing.status_code == 302  # the same answer: addresses reveal nothing


def test_a_confidential_community_publishes_nothing_publicly(
    client: Client, community: Community, core_member: User, facilitator: User
) -> None:
    page = _page(community, core_member, visibility=PUBLIC)
    community_update(community=community, by=facilitator, is_confidential=True)
    assert client.get(page.get_absolute_url()).status_code == 302
    with pytest.raises(ValidationError):
        _page(community, core_member, title="Ander", visibility=PUBLIC)
    form = _login(client, core_member).get(f"{page.get_absolute_url()}edit/").context["form"]
    assert [value for value, _label in form.fields["visibility"].choices] == [COMMUNITY]


def test_a_members_only_page_is_404_for_outsiders(
    client: Client, community: Community, core_member: User, outsider: User
) -> None:
    page = _page(community, core_member)
    public = _page(community, core_member, title="Openbaar", visibility=PUBLIC)
    _login(client, outsider)
    assert client.get(page.get_absolute_url()).status_code == 404
    assert client.get(f"{page.get_absolute_url()}history/").status_code == 404
    assert list(client.get("/c/e-health/knowledge/").context["pages"]) == [public]
    # Editors' names are for the community's readers.
    assert client.get(f"{public.get_absolute_url()}history/").status_code == 403


@pytest.mark.parametrize("pages", [1, 12])
def test_knowledge_list_query_count_does_not_grow(
    client: Client,
    community: Community,
    core_member: User,
    member: User,
    pages: int,
    django_assert_num_queries,
) -> None:
    editors = [core_member, UserFactory(is_staff=True)]
    for i in range(pages):
        _page(community, editors[i % 2], title=f"Pagina {i}")
    _login(client, member)
    client.get("/")  # settle the session
    # session, user (with the viewer's access), community, pages (with community and
    # last editor)
    with django_assert_num_queries(4):
        response = client.get("/c/e-health/knowledge/")
    assert len(response.context["pages"]) == pages
