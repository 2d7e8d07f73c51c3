"""Cached reply cards and thread rows (discussions.fragments): a reader is only ever
served HTML rendered from exactly their own view of a post, and a change shows at once."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone, translation

from communities.models import Community, Membership
from discussions import fragments
from discussions.models import Reaction, Thread
from discussions.permissions import can_read_thread, threads_visible_to
from discussions.services.moderation import post_set_hidden
from discussions.services.posts import reply_create, reply_edit, thread_create
from discussions.services.reactions import reaction_toggle
from members.models import User
from tests.conftest import make_community
from tests.factories import UserFactory


def _page(client: Client, user: User, thread: Thread) -> str:
    client.force_login(user)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_hidden_reply_rendered_for_a_facilitator_is_never_served_to_a_member(
    client: Client, thread: Thread, member: User, core_member: User, facilitator: User
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Geheim detail")
    post_set_hidden(post=reply, by=facilitator, hidden=True)
    assert "Geheim detail" in _page(client, facilitator, thread)  # now in the cache
    page = _page(Client(), member, thread)
    assert "Geheim detail" not in page and f'id="reply-{reply.pk}"' not in page


def test_one_members_reaction_is_not_shown_as_anothers(
    thread: Thread, member: User, core_member: User
) -> None:
    reply = reply_create(thread=thread, author=member, body="Tip")
    reaction_toggle(user=core_member, post=reply, kind=Reaction.Kind.THANKS)
    mine = _page(Client(), core_member, thread)
    theirs = _page(Client(), member, thread)
    url = f"/replies/{reply.pk}/react/"
    assert f'id="reactions-reply-{reply.pk}" hx-target="this"' in mine
    assert f'value="thanks" hx-post="{url}"' in mine

    def card_of(page: str) -> str:
        return page[page.index(f'id="reply-{reply.pk}"') : page.index(f"reply-slot-{reply.pk}")]

    assert 'class="reaction is-mine" aria-pressed="true"' in card_of(mine)
    assert 'aria-pressed="true"' not in card_of(theirs)
    assert '<span class="reaction-count">1</span>' in card_of(theirs)


def test_an_edit_and_a_reaction_show_at_once(
    client: Client, thread: Thread, member: User, core_member: User
) -> None:
    reply = reply_create(thread=thread, author=member, body="Eerste versie")
    assert "Eerste versie" in _page(client, core_member, thread)
    reply_edit(reply=reply, by=member, body="Tweede versie")
    reaction_toggle(user=member, post=reply, kind=Reaction.Kind.INSIGHTFUL)
    page = _page(client, core_member, thread)
    assert "Tweede versie" in page and "Eerste versie" not in page
    assert '<span class="reaction-count">1</span>' in page


def test_a_rename_of_the_author_shows_at_once(
    client: Client, thread: Thread, member: User, core_member: User
) -> None:
    reply_create(thread=thread, author=core_member, body="Antwoord")
    assert "Cor Core" in _page(client, member, thread)
    User.objects.filter(pk=core_member.pk).update(display_name="Cor de Kern")
    assert "Cor de Kern" in _page(client, member, thread)


def test_cached_cards_and_rows_hold_no_csrf_token(
    client: Client, thread: Thread, member: User, core_member: User
) -> None:
    reply_create(thread=thread, author=core_member, body="Antwoord")
    page = _page(client, member, thread)
    client.get(f"/c/{thread.community.slug}/threads/")
    stored = [value for key, value in cache._cache.items() if ":fragment:" in key]  # type: ignore[attr-defined]
    assert len(stored) >= 2  # the card and the row
    assert not any(b"csrfmiddlewaretoken" in value for value in stored)
    assert page.count("csrfmiddlewaretoken") >= 1  # the page's own forms still carry one


def test_the_key_covers_every_value_the_language_and_the_time_zone() -> None:
    context = {"pk": 1, "body_html": "<p>a</p>", "can_edit": False}
    key = fragments.fragment_key(fragments.REPLY_CARD, context)
    assert fragments.fragment_key(fragments.REPLY_CARD, dict(context)) == key
    for name, value in [("pk", 2), ("body_html", "<p>b</p>"), ("can_edit", True)]:
        assert fragments.fragment_key(fragments.REPLY_CARD, {**context, name: value}) != key
    with translation.override("en"):
        english = fragments.fragment_key(fragments.REPLY_CARD, context)
    with translation.override("nl"):
        assert fragments.fragment_key(fragments.REPLY_CARD, context) != english
        with timezone.override("America/New_York"):
            assert fragments.fragment_key(fragments.REPLY_CARD, context) != key


@override_settings(
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"card.html": '<b>{% include "part.html" %}</b>', "part.html": "one"},
                    )
                ]
            },
        }
    ]
)
def test_a_changed_included_template_changes_the_key() -> None:
    from django.template import engines

    before = fragments._source_digest("card.html")
    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    loader.templates_dict["part.html"] = "two"
    assert fragments._source_digest("card.html") != before


def test_thread_rows_show_unread_state_per_viewer(
    thread: Thread, member: User, core_member: User
) -> None:
    reader, writer = Client(), Client()
    writer.force_login(member)
    writer.get(thread.get_absolute_url())  # the author has read it
    list_url = f"/c/{thread.community.slug}/threads/"
    assert "is-unread" not in writer.get(list_url).content.decode()
    reader.force_login(core_member)
    assert "is-unread" in reader.get(list_url).content.decode()


@pytest.mark.django_db
def test_can_read_thread_answers_as_threads_visible_to(
    site_admin: User, facilitator: User, community: Community, member: User, outsider: User
) -> None:
    """The thread page decides in Python what the lists decide in SQL: the same rule."""
    open_community = make_community(site_admin, facilitator, "open", visibility="signed_in")
    secret = make_community(
        site_admin, facilitator, "secret", is_confidential=True, is_listed=False
    )
    author = member
    threads = []
    for where in (community, open_community, secret):
        plain = thread_create(community=where, author=facilitator, kind="tip", title="T", body="b")
        hidden = thread_create(community=where, author=facilitator, kind="tip", title="H", body="b")
        post_set_hidden(post=hidden, by=facilitator, hidden=True)
        deleted = thread_create(
            community=where, author=facilitator, kind="tip", title="D", body="b"
        )
        Thread.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now() - timedelta(days=1))
        threads += [plain, hidden, deleted]
    own_hidden = thread_create(community=community, author=author, kind="tip", title="O", body="b")
    post_set_hidden(post=own_hidden, by=facilitator, hidden=True)
    threads.append(own_hidden)
    left = UserFactory(display_name="Lea Left")
    Membership.objects.create(
        community=community, user=left, role=Membership.Role.MEMBER, state=Membership.State.LEFT
    )
    viewers = [site_admin, facilitator, member, outsider, left]
    for viewer in viewers:
        visible = set(threads_visible_to(viewer).values_list("pk", flat=True))
        for thread in Thread.objects.select_related("community").filter(
            pk__in=[t.pk for t in threads]
        ):
            viewer = User.objects.get(pk=viewer.pk)  # fresh role cache
            assert can_read_thread(viewer, thread) == (thread.pk in visible), (viewer, thread)


def test_the_thread_page_knows_a_muted_member_may_not_reply(
    client: Client, thread: Thread, member: User, core_member: User, facilitator: User
) -> None:
    from discussions.services.moderation import member_mute

    client.force_login(core_member)
    assert client.get(thread.get_absolute_url()).context["can_reply"] is True
    member_mute(community=thread.community, user=core_member, by=facilitator, days=1, reason="")
    page = client.get(thread.get_absolute_url())
    assert page.context["can_reply"] is False
    assert 'id="reply-form-thread"' not in page.content.decode()


def test_the_process_keeps_recent_fragments_within_its_bound() -> None:
    recent = fragments._RecentFragments(max_chars=10)
    recent.set_many({"a": "12345", "b": "12345"})
    assert recent.get_many(["a"]) == {"a": "12345"}  # now the most recent
    recent.set_many({"c": "123"})
    assert set(recent.entries) == {"a", "c"} and recent.size == 8


def test_the_filter_form_is_kept_per_submitted_values_and_language() -> None:
    from django.http import QueryDict

    from discussions.forms.threads import ThreadFilterForm

    def html(query: str, language: str = "en") -> str:
        with translation.override(language):
            return fragments.filter_form_html(ThreadFilterForm(QueryDict(query) or None))

    assert html("sort=newest") == html("sort=newest")
    assert 'value="newest" selected' in html("sort=newest")
    assert 'value="newest" selected' not in html("sort=reactions")
    assert 'value="x&lt;y"' in html("tag=x<y")
    assert html("") != html("", language="nl")


def test_reply_rights_in_a_thread_answer_as_the_single_checks(
    thread: Thread, member: User, core_member: User, facilitator: User, site_admin: User
) -> None:
    from discussions.models import Reply
    from discussions.permissions import can_edit_post, can_view_revisions, reply_rights_in
    from tests.factories import UserFactory

    own = reply_create(thread=thread, author=member, body="Eigen")
    other = reply_create(thread=thread, author=core_member, body="Ander")
    gone = reply_create(thread=thread, author=member, body="Weg")
    Reply.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    replies = list(Reply.objects.select_related("thread__community").filter(thread=thread))
    for viewer in (member, core_member, facilitator, site_admin, UserFactory()):
        rights = reply_rights_in(viewer, thread)
        for reply in replies:
            expected = (can_edit_post(viewer, reply), can_view_revisions(viewer, reply))
            assert rights(reply) == expected, (viewer, reply.body)
    assert {own.pk, other.pk, gone.pk} == {reply.pk for reply in replies}


@pytest.fixture
def new_process() -> Iterator[Callable[[], None]]:
    """Forget what this process computed once (as a restarted worker would), and
    forget it again afterwards so later tests see the real release."""

    def restart() -> None:
        fragments._release_digest.cache_clear()
        fragments._template_digest.cache_clear()

    restart()
    yield restart
    restart()


def test_a_release_that_only_fixes_a_translation_shows_it_at_once(
    tmp_path: Path, thread: Thread, facilitator: User, new_process: Callable[[], None]
) -> None:
    thread.is_pinned = True
    with translation.override("nl"):
        assert "Vastgezet" in fragments.thread_rows_html([thread], show_community=False)
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/nl/LC_MESSAGES/django.po"))
    fixed = catalogue.find("Pinned")
    assert fixed is not None
    fixed.msgstr = "Bovenaan"
    (tmp_path / "nl/LC_MESSAGES").mkdir(parents=True)
    catalogue.save_as_mofile(str(tmp_path / "nl/LC_MESSAGES/django.mo"))
    # The old row stays in the shared cache; the new release must not be served it.
    with override_settings(LOCALE_PATHS=[tmp_path]), translation.override("nl"):
        new_process()
        html = fragments.thread_rows_html([thread], show_community=False)
    assert "Bovenaan" in html and "Vastgezet" not in html


def test_the_static_files_and_the_site_address_are_in_the_key(
    new_process: Callable[[], None],
) -> None:
    before = fragments._template_digest(fragments.REPLY_CARD)
    for changed in ({"STATIC_URL": "/assets/"}, {"SITE_URL": "https://cop.example.org"}):
        with override_settings(**changed):
            new_process()
            assert fragments._template_digest(fragments.REPLY_CARD) != before
        new_process()


def test_a_changed_url_pattern_changes_the_key(
    monkeypatch: pytest.MonkeyPatch, new_process: Callable[[], None]
) -> None:
    before = fragments._template_digest(fragments.REPLY_CARD)
    new_process()
    monkeypatch.setattr(fragments, "post_url_patterns", lambda: ["/elsewhere/{}/"])
    assert fragments._template_digest(fragments.REPLY_CARD) != before
