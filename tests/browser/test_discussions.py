"""A member asks a question with a tag, another answers from a phone, the asker accepts."""

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from communities.models import Community
from discussions.models import Thread
from members.models import User
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page: Page, live_server: Any, user: User) -> None:
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_question_is_asked_answered_and_accepted(
    page: Page, live_server: Any, community: Community, member: User, core_member: User
) -> None:
    _log_in(page, live_server, member)
    page.goto(f"/c/{community.slug}/threads/")
    expect(page.get_by_text("No discussions yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ask a question or share something").click()
    page.get_by_label("Title").fill("How do you get colleagues on board?")
    page.get_by_label("Text").fill("Who has *tips*?")
    page.get_by_label("Tags").fill("change")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name="How do you get colleagues on board?")).to_be_visible()
    thread = Thread.objects.get()
    assert list(thread.tags.names()) == ["change"]

    _log_in(page, live_server, core_member)  # the phone-sized window of another member
    page.goto(thread.get_absolute_url())
    page.get_by_label("Your reply").fill("Start with two enthusiastic ambassadors.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#replies")).to_contain_text("Start with two enthusiastic ambassadors.")
    assert_accessible(page)

    _log_in(page, live_server, member)
    page.goto(thread.get_absolute_url())
    # Marking the answer is in the reply's overflow menu.
    page.locator("#replies .post-actions .overflow > summary").first.click()
    page.get_by_role("button", name="Mark as answer").click()
    expect(page.get_by_role("heading", name="Accepted answer")).to_be_visible()
    thread.refresh_from_db()
    assert thread.accepted_reply is not None
    assert_accessible(page)
    page.goto(f"/c/{community.slug}/threads/?state=solved")
    expect(page.get_by_role("link", name="How do you get colleagues on board?")).to_be_visible()
    assert_accessible(page)


def test_reactions_on_cached_reply_cards_count_once_with_and_without_javascript(
    page: Page,
    browser: Any,
    live_server: Any,
    community: Community,
    member: User,
    core_member: User,
) -> None:
    """Reply cards are cached HTML without a CSRF token: their buttons submit the page's
    shared form. With htmx the click must be sent once (not also by the browser);
    without JavaScript the browser submits the shared form itself."""
    from discussions.models import Reaction
    from discussions.services.posts import reply_create, thread_create

    thread = thread_create(
        community=community, author=member, kind="question", title="Klein beginnen?", body="Hoe?"
    )
    reply = reply_create(thread=thread, author=core_member, body="Begin klein.")
    _log_in(page, live_server, member)
    page.goto(thread.get_absolute_url())
    card = page.locator(f"#reply-{reply.pk}")
    card.locator(".react-more > summary").click()
    card.get_by_role("button", name="Thanks").click()
    expect(card.get_by_role("button", name="Thanks")).to_have_attribute("aria-pressed", "true")
    assert Reaction.objects.filter(reply=reply, user=member).count() == 1

    no_js = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        plain = no_js.new_page()
        client = Client()
        client.force_login(core_member)
        no_js.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        User.objects.filter(pk=core_member.pk).update(language="en")
        plain.goto(thread.get_absolute_url())
        plain.locator(f"#reply-{reply.pk} .react-more > summary").click()
        plain.locator(f"#reply-{reply.pk}").get_by_role("button", name="Insightful").click()
        plain.wait_for_url(f"**{thread.get_absolute_url()}#reply-{reply.pk}")
        pressed = plain.locator(f"#reply-{reply.pk}").get_by_role("button", name="Insightful")
        expect(pressed).to_have_attribute("aria-pressed", "true")
    finally:
        no_js.close()
    assert Reaction.objects.filter(reply=reply).count() == 2
