from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.communities import community_create
from communities.services.memberships import membership_grant
from discussions.models import Reply, Thread
from discussions.selectors import search as search_module
from discussions.selectors.search import SearchFilters, search
from discussions.services.posts import reply_create, thread_create, thread_delete
from discussions.text import Matcher, fold, html_to_text, snippet
from members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _thread(community: Community, author: User, title: str, body: str = "Tekst.", **kw) -> Thread:
    return thread_create(
        community=community,
        author=author,
        kind=kw.pop("kind", Thread.Kind.QUESTION),
        title=title,
        body=body,
        **kw,
    )


def _titles(results) -> list[str]:
    return [str(hit.title) for hit in results.object_list]


@pytest.fixture
def english(site_admin: User, facilitator: User) -> Community:
    return community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Data people",
        slug="data",
        focus="f",
        urgency="u",
        member_value="m",
        language=Community.Language.EN,
    )


@pytest.fixture
def confidential(site_admin: User) -> Community:
    secret_keeper = UserFactory(display_name="Geheim")
    return community_create(
        creator=site_admin,
        facilitator=secret_keeper,
        name="Geheim",
        slug="geheim",
        focus="f",
        urgency="u",
        member_value="m",
        join_policy=Community.JoinPolicy.INVITE,
        is_listed=False,
        is_confidential=True,
    )


# --- Text helpers -----------------------------------------------------------------


def test_folding_drops_accents_and_case() -> None:
    assert fold("Cliënt Coördinatie ÉÉN Straße") == "client coordinatie een strasse"


def test_plain_text_keeps_words_of_separate_blocks_apart() -> None:
    assert html_to_text("<p>een</p><p>twee &amp; <em>drie</em></p>") == "een\ntwee & drie"


def test_snippets_escape_user_text_and_only_add_marks() -> None:
    text = '<script>alert("x")</script> de cliënt <b>wint</b>'
    result = snippet(text, Matcher("client", ["client"]))
    assert "<script>" not in result
    assert "<b>" not in result
    assert "&lt;script&gt;" in result
    assert "<mark>cliënt</mark>" in result


def test_long_snippets_are_cut_around_the_first_match() -> None:
    text = "woord " * 100 + "samenwerking " + "woord " * 100
    result = snippet(text, Matcher("samenwerken", ["samenwerk"]), length=80)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>samenwerking</mark>" in result
    assert len(result) < 120


# --- Matching ---------------------------------------------------------------------


def test_unaccented_query_finds_accented_words(community: Community, member: User) -> None:
    _thread(community, member, "Over de cliënt", "De coördinatie van zorg.")
    assert _titles(search(member, "client")) == ["Over de <mark>cliënt</mark>"]
    assert search(member, "coordinatie").count == 1


def test_accented_query_finds_unaccented_words(english: Community, facilitator: User) -> None:
    _thread(english, facilitator, "Client onboarding", "Coordination matters.")
    assert search(facilitator, "cliënt").count == 1
    assert search(facilitator, "coördination").count == 1


def test_dutch_stemming_in_dutch_communities(community: Community, member: User) -> None:
    _thread(community, member, "Samenwerking", "Hoe werken de teams samen?")
    results = search(member, "samenwerken")
    assert results.count == 1
    assert "<mark>Samenwerking</mark>" in results.object_list[0].title


def test_english_stemming_in_english_communities(english: Community, facilitator: User) -> None:
    _thread(english, facilitator, "Sharing knowledge", "We shared our notes.")
    results = search(facilitator, "shares")
    assert results.count == 1
    assert "<mark>shared</mark>" in results.object_list[0].snippet


def test_tags_are_searchable(community: Community, member: User) -> None:
    _thread(community, member, "Vraag", tags=["privacy"])
    assert search(member, "privacy").count == 1


def test_reply_hits_show_the_thread_title_and_link_to_the_reply(
    community: Community, member: User, facilitator: User
) -> None:
    thread = _thread(community, member, "Een vraag")
    reply = reply_create(thread=thread, author=facilitator, body="Gebruik een **ambassadeur**.")
    [hit] = search(member, "ambassadeurs").object_list
    assert hit.is_reply
    assert str(hit.title) == "Een vraag"
    assert hit.url == reply.get_absolute_url()
    assert "<mark>ambassadeur</mark>" in hit.snippet


def test_edits_update_the_index(community: Community, member: User) -> None:
    from discussions.services.posts import thread_edit

    thread = _thread(community, member, "Oud")
    thread_edit(thread=thread, by=member, title="Nieuw", body="Tekst.", tags=[])
    assert search(member, "oud").count == 0
    assert search(member, "nieuw").count == 1


@pytest.mark.parametrize("query", ["", "   ", "?!", "de het een", "the and", "-privacy"])
def test_queries_with_nothing_to_search_for_are_not_searchable(
    community: Community, member: User, query: str
) -> None:
    results = search(member, query)
    assert results.searchable is False
    assert results.count == 0


def test_websearch_syntax_excludes_words(community: Community, member: User) -> None:
    _thread(community, member, "Privacy en training")
    _thread(community, member, "Privacy en beleid")
    assert _titles(search(member, "privacy -training")) == ["<mark>Privacy</mark> en beleid"]


# --- Who sees what ----------------------------------------------------------------


def test_outsiders_never_see_members_only_or_confidential_results(
    community: Community, confidential: Community, member: User, outsider: User, site_admin: User
) -> None:
    _thread(community, member, "Geheime strategie")
    secret_author = confidential.memberships.get().user
    _thread(confidential, secret_author, "Geheime strategie vertrouwelijk")
    assert search(outsider, "strategie").count == 0
    assert search(outsider, "strategie").object_list == []
    assert search(member, "strategie").count == 1  # not the confidential one
    assert search(site_admin, "strategie").count == 2


def test_outsiders_see_results_from_communities_open_to_all(
    site_admin: User, facilitator: User, outsider: User
) -> None:
    open_one = community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Open",
        slug="open",
        focus="f",
        urgency="u",
        member_value="m",
        visibility=Community.Visibility.SIGNED_IN,
    )
    _thread(open_one, facilitator, "Openbare strategie")
    assert search(outsider, "strategie").count == 1


def test_deleted_and_hidden_posts_are_not_found_by_others(
    community: Community, member: User, core_member: User, facilitator: User
) -> None:
    thread = _thread(community, member, "Strategie")
    thread_delete(thread=thread, by=member)
    assert search(core_member, "strategie").count == 0
    assert search(facilitator, "strategie").count == 0


def test_the_count_is_of_visible_results_only(
    community: Community, confidential: Community, member: User, site_admin: User
) -> None:
    membership_grant(
        community=confidential, user=member, role=Membership.Role.MEMBER, granted_by=site_admin
    )
    secret_author = confidential.memberships.exclude(user=member).first().user
    _thread(confidential, secret_author, "Strategie binnen")
    outsider_of_confidential = UserFactory()
    membership_grant(
        community=community,
        user=outsider_of_confidential,
        role=Membership.Role.MEMBER,
        granted_by=site_admin,
    )
    _thread(community, member, "Strategie buiten")
    assert search(member, "strategie").count == 2
    assert search(outsider_of_confidential, "strategie").count == 1


# --- Filters and pages ------------------------------------------------------------


def test_filters_by_community_kind_tag_author_type_and_date(
    community: Community, english: Community, member: User, facilitator: User
) -> None:
    tip = _thread(community, member, "Planning tip", kind=Thread.Kind.TIP, tags=["agenda"])
    _thread(community, facilitator, "Planning vraag")
    _thread(english, facilitator, "Planning question")
    reply_create(thread=tip, author=facilitator, body="Meer planning.")

    def count(**filters: object) -> int:
        return search(facilitator, "planning", SearchFilters(**filters)).count  # type: ignore[arg-type]

    assert count() == 4
    assert count(community=english) == 1
    assert count(kind=Thread.Kind.TIP) == 2  # the tip and the reply in it
    assert count(tag="Agenda") == 2
    assert count(author="Mira") == 1
    assert count(post_type="reply") == 1
    assert count(post_type="thread") == 3
    today = timezone.localdate(tip.created_at)  # the filter counts the viewer's days, not UTC's
    assert count(date_from=today, date_to=today) == 4
    assert count(date_to=today.replace(year=today.year - 1)) == 0


def test_results_are_paginated(community: Community, facilitator: User) -> None:
    member = facilitator  # moderators are not held to the new members' daily limit
    for number in range(25):
        _thread(community, member, f"Planning {number}")
    first, second = search(member, "planning"), search(member, "planning", page=2)
    assert first.count == 25 and len(first.object_list) == 20
    assert len(second.object_list) == 5
    assert first.page is not None and first.page.has_next()
    # Past the last page: the first page.
    assert len(search(member, "planning", page=9).object_list) == 20


def test_rebuild_command_fills_the_same_vectors(community: Community, member: User) -> None:
    thread = _thread(community, member, "Coördinatie", "Met *nadruk*.", tags=["zorg"])
    reply = reply_create(thread=thread, author=member, body="Een cliënt.")
    indexed = (
        Thread.objects.values_list("search_vector", flat=True).get(),
        Reply.objects.values_list("search_vector", flat=True).get(),
    )
    Thread.objects.update(search_vector=None)
    Reply.objects.update(search_vector=None)
    call_command("rebuild_search_index", batch_size=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    rebuilt = (
        Thread.objects.values_list("search_vector", flat=True).get(pk=thread.pk),
        Reply.objects.values_list("search_vector", flat=True).get(pk=reply.pk),
    )
    assert rebuilt == indexed
    assert "'coordinatie':1A" in str(indexed[0])


# --- The page ---------------------------------------------------------------------


def test_search_page_shows_highlighted_escaped_results(
    community: Community, member: User, client: Client
) -> None:
    _thread(community, member, "<b>Cliënt</b> vraag", "Over de cliënt & <i>zorg</i>.")
    client.force_login(member)
    response = client.get(reverse("discussions:search"), {"q": "client"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;<mark>Cliënt</mark>&lt;/b&gt;" in content
    assert "<b>" not in content.split('role="search"')[1]
    assert "1 result" in content


def test_search_page_without_a_query_shows_the_form_only(member: User, client: Client) -> None:
    client.force_login(member)
    response = client.get(reverse("discussions:search"))
    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'for="id_q"' in response.content.decode()


def test_search_page_explains_queries_with_nothing_to_search(member: User, client: Client) -> None:
    client.force_login(member)
    client.post("/account/language/", {"language": "en", "next": "/"})
    response = client.get(reverse("discussions:search"), {"q": "de"})
    assert response.context["results"].searchable is False
    assert "Nothing to search for" in response.content.decode()


def test_the_community_filter_offers_readable_communities_only(
    community: Community, confidential: Community, outsider: User, client: Client
) -> None:
    client.force_login(outsider)
    response = client.get(reverse("discussions:search"), {"q": "x", "community": "geheim"})
    assert response.status_code == 200
    assert "Geheim" not in response.content.decode()
    assert not response.context["form"].is_valid()


def test_the_search_page_needs_a_login(client: Client) -> None:
    assert client.get(reverse("discussions:search"), {"q": "x"}).status_code == 302


@pytest.mark.parametrize("threads", [3, 30])
def test_search_page_query_count_does_not_grow_with_results(
    community: Community,
    member: User,
    facilitator: User,
    client: Client,
    django_assert_num_queries,
    threads: int,
) -> None:
    for number in range(threads):
        thread = _thread(community, facilitator, f"Planning {number}", tags=["agenda"])
        reply_create(thread=thread, author=facilitator, body="Ook planning.")
    client.force_login(member)
    client.get("/")  # settle the session
    # session, user, the unread-notification count (every page), the candidates (one
    # query: all posts are younger than the first window), the page's titles and
    # bodies, the community choices of the form
    with django_assert_num_queries(5):
        response = client.get(reverse("discussions:search"), {"q": "planning", "tag": "agenda"})
    assert response.status_code == 200
    assert response.context["results"].count == 2 * threads


# --- The cap on ranked candidates ---------------------------------------------------


def test_above_the_cap_only_the_newest_matches_are_ranked_and_counted(
    community: Community, facilitator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    _thread(community, facilitator, "Planning planning", "Planning, planning en planning.")
    for number in range(4):
        _thread(community, facilitator, f"Vraag {number}", "Over de planning.")
    results = search(facilitator, "planning")
    assert results.capped is True
    assert results.count == 3
    # The best match is the oldest: beyond the cap, it is not ranked at all.
    assert _titles(results) == ["Vraag 3", "Vraag 2", "Vraag 1"]


def test_below_the_cap_the_count_is_exact_and_the_best_match_comes_first(
    community: Community, facilitator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    _thread(community, facilitator, "Planning planning", "Planning, planning en planning.")
    for number in range(2):
        _thread(community, facilitator, f"Vraag {number}", "Over de planning.")
    results = search(facilitator, "planning")
    assert results.capped is False
    assert results.count == 3
    assert _titles(results) == ["<mark>Planning</mark> <mark>planning</mark>", "Vraag 1", "Vraag 0"]


def test_the_cap_holds_per_type_and_counts_only_what_the_user_may_read(
    community: Community,
    confidential: Community,
    member: User,
    facilitator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    secret_author = confidential.memberships.get().user
    for number in range(3):
        _thread(confidential, secret_author, f"Geheime planning {number}")
    thread = _thread(community, facilitator, "Planning")
    reply_create(thread=thread, author=facilitator, body="Meer planning.")
    results = search(member, "planning")
    # Three unreadable threads must neither fill the cap nor be counted.
    assert results.capped is False
    assert results.count == 2
    for number in range(3):
        reply_create(thread=thread, author=facilitator, body=f"Planning {number}.")
    results = search(member, "planning")
    assert results.capped is True
    assert results.count == 3  # one thread, the two newest replies
    assert sum(hit.is_reply for hit in results.object_list) == 2


def test_older_matches_are_found_window_by_window(
    community: Community, facilitator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    for days in (400, 30, 3, 1):
        with time_machine.travel(timezone.now() - timedelta(days=days)):
            _thread(community, facilitator, f"Planning van {days} dagen geleden")
    _thread(community, facilitator, "Planning van nu")
    results = search(facilitator, "planning")
    assert results.capped is True
    assert [hit.created_at.date() for hit in results.object_list] == sorted(
        (hit.created_at.date() for hit in results.object_list), reverse=True
    )
    assert "nu" in _titles(results)[0]
    assert len(results.object_list) == 3  # now, one and three days ago
    # A rare word only in an old post is found all the same.
    assert search(facilitator, "400").count == 1


@pytest.mark.parametrize("cap", [1, 5, 11, 12, 20])
def test_the_candidates_are_exactly_the_newest_matches_at_any_cap(
    community: Community, facilitator: User, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", cap)
    ages = [0, 0.1, 0.3, 0.7, 2, 5, 9, 20, 50, 120, 300, 700]  # days
    for age in ages:
        with time_machine.travel(timezone.now() - timedelta(days=age)):
            _thread(community, facilitator, f"Planning {age}", "Tekst.")
    results = search(facilitator, "planning")
    assert results.count == min(cap, len(ages))
    assert results.capped is (cap < len(ages))
    expected = sorted(ages)[:cap][:20]
    assert sorted(str(hit.title).split()[-1] for hit in results.object_list) == sorted(
        str(age) for age in expected
    )


def test_date_filters_bound_the_windows(
    community: Community, facilitator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    for days in (60, 40, 20):
        with time_machine.travel(timezone.now() - timedelta(days=days)):
            _thread(community, facilitator, f"Planning {days}")
    _thread(community, facilitator, "Planning nu")
    today = timezone.localdate()
    window = SearchFilters(date_from=today - timedelta(days=50), date_to=today - timedelta(days=10))
    results = search(facilitator, "planning", window)
    assert results.capped is False
    assert sorted(_titles(results)) == ["<mark>Planning</mark> 20", "<mark>Planning</mark> 40"]


def test_pages_stop_at_the_last_page_allowed(
    community: Community, facilitator: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "PAGE_SIZE", 2)
    monkeypatch.setattr(search_module, "MAX_PAGE", 2)
    for number in range(5):
        _thread(community, facilitator, f"Planning {number}")
    results = search(facilitator, "planning", page=2)
    assert results.count == 5
    assert results.page is not None and results.page.paginator.num_pages == 2
    assert results.page.number == 2 and not results.page.has_next()
    assert search(facilitator, "planning", page=7).page.number == 2


def test_the_page_says_more_than_when_capped(
    community: Community, facilitator: User, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "CANDIDATES", 1000)
    monkeypatch.setattr(search_module, "_ranked", _capped_at(1000))
    _thread(community, facilitator, "Planning")
    client.force_login(facilitator)
    client.post("/account/language/", {"language": "en", "next": "/"})
    content = client.get(reverse("discussions:search"), {"q": "planning"}).content.decode()
    assert "More than 1,000 results" in content
    client.post("/account/language/", {"language": "nl", "next": "/"})
    content = client.get(reverse("discussions:search"), {"q": "planning"}).content.decode()
    assert "1.000" in content


def _capped_at(count: int):
    """`_ranked` as if `count` candidates had been found and more existed: the one real
    candidate repeated."""
    real = search_module._ranked

    def ranked(found):
        kept, _ = real(found)
        return kept * count, True

    return ranked
