"""On a 360 px phone: a link to a thread of a community open to the public, shared in a
chat app, opens without a login wall; a member's home puts the ask button and the
latest of their communities on the first screen."""

from typing import Any

from playwright.sync_api import Page, expect

from communities.models import Community
from communities.services.communities import community_update
from discussions.services.posts import reply_create, thread_create
from members.models import User
from tests.browser.conftest import ARTIFACTS_DIR, PHONE_VIEWPORT, assert_accessible
from tests.browser.test_accounts import assert_fits_phone_width
from tests.browser.test_invitations import log_in_as
from tests.browser.test_thread_page import ONE_LINE_REPLY_MAX


def test_a_shared_link_opens_for_a_visitor_without_signing_in(
    page: Page,
    live_server: Any,
    community: Community,
    facilitator: User,
    member: User,
) -> None:
    community_update(community=community, by=facilitator, visibility="public")
    thread = thread_create(
        community=community, author=member, kind="question", title="Klein beginnen?", body="Hoe?"
    )
    reply = reply_create(thread=thread, author=facilitator, body="Begin klein.")
    page.goto(thread.get_absolute_url())

    assert "/accounts/login/" not in page.url
    expect(page.get_by_role("heading", name="Klein beginnen?")).to_be_visible()
    card = page.locator(f"#reply-{reply.pk} .card")
    expect(card).to_contain_text("Begin klein.")
    expect(card.locator(".badge-role")).to_have_text("Facilitator")
    height = card.bounding_box()["height"]  # type: ignore[index]
    assert height <= ONE_LINE_REPLY_MAX, height
    # No posting form; the call to join, with a way to create an account.
    expect(page.locator('textarea[name="body"]')).to_have_count(0)
    call = page.locator(".join-call")
    expect(call).to_be_visible()
    expect(call.get_by_role("link", name="Account maken")).to_be_visible()
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "public-thread-360.png"), full_page=True)
    assert_accessible(page)
    assert_fits_phone_width(page)


def test_a_visitor_meets_the_login_page_in_a_members_only_community(
    page: Page, live_server: Any, community: Community, member: User
) -> None:
    thread = thread_create(
        community=community, author=member, kind="question", title="Binnenskamers", body="?"
    )
    page.goto(thread.get_absolute_url())
    assert "/accounts/login/" in page.url
    expect(page.get_by_text("Binnenskamers")).to_have_count(0)


def test_the_member_home_opens_with_the_ask_button_and_the_latest(
    page: Page,
    live_server: Any,
    community: Community,
    member: User,
    core_member: User,
) -> None:
    thread = thread_create(
        community=community, author=core_member, kind="tip", title="Een tip", body="Kort."
    )
    reply_create(thread=thread, author=member, body="Dank!")
    log_in_as(page, live_server, member)
    page.goto("/")
    ask = page.get_by_role("link", name="Stel een vraag of deel iets")
    expect(ask).to_be_visible()
    first_row = page.locator(".thread-list .thread-row").first
    expect(first_row).to_contain_text("Een tip")
    expect(first_row).to_contain_text("laatste reactie van Mira Member")
    for element in (ask, first_row):
        box = element.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE_VIEWPORT["height"], box
    page.screenshot(path=str(ARTIFACTS_DIR / "member-home-360.png"), full_page=True)
    assert_accessible(page)
    assert_fits_phone_width(page)
    ask.click()
    assert page.url.endswith(f"/c/{community.slug}/threads/new/")
