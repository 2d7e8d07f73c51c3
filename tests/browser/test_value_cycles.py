"""From "This helped" on a phone to a value story, with and without JavaScript, and the
sponsor's dashboard at phone and desktop width (screenshots under var/test-artifacts)."""

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from communities.models import Community
from discussions.models import Thread
from discussions.services.posts import reply_create, thread_create
from members.models import User
from tests.browser.conftest import ARTIFACTS_DIR, CHROMIUM_ARGS, PHONE_VIEWPORT, assert_accessible
from value_cycles.models import Cycle, ValueEvent, ValueStory

pytestmark = pytest.mark.django_db(transaction=True)
_ = CHROMIUM_ARGS


def _log_in(page: Page, live_server: Any, user: User) -> None:
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _from_helped_to_story(
    page: Page, live_server: Any, member: User, thread: Thread, *, scripts: bool = True
) -> None:
    # axe and scrollWidth need JavaScript in the page; without it only the flow is checked.
    check = assert_accessible if scripts else (lambda page: None)
    _log_in(page, live_server, member)
    page.goto(thread.get_absolute_url())
    page.get_by_role("button", name="This helped").first.click()
    expect(page.get_by_text("Noted: this helped you.")).to_be_visible()
    check(page)
    page.get_by_label("Why it helped (optional, one line)").fill("Two ambassadors per team.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=thread.title)).to_be_visible()
    # "I'll use this" and "I used this" wait behind the disclosure beside "This helped".
    page.locator(".capture-more > summary").first.click()
    page.get_by_role("link", name="I used this").first.click()
    page.get_by_label("What changed in your work?").fill("Every team now has an ambassador.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("you used this in your work")).to_be_visible()
    page.goto("/value/mine/")
    expect(page.get_by_text("Every team now has an ambassador.")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Turn this into a story").first.click()
    page.get_by_label("Title").fill("Ambassadors in every team")
    page.get_by_label("Publish it now").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Ambassadors in every team")).to_be_visible()
    expect(page.get_by_text("Every team now has an ambassador.")).to_be_visible()
    if scripts:
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    story = ValueStory.objects.get()
    assert story.is_published
    assert sorted(story.events.values_list("cycle", flat=True)) == [Cycle.IMMEDIATE, Cycle.APPLIED]


@pytest.fixture
def tip(community: Community, member: User, core_member: User) -> Thread:
    thread = thread_create(
        community=community,
        author=core_member,
        kind=Thread.Kind.QUESTION,
        title="Video calls?",
        body="How?",
    )
    reply_create(thread=thread, author=core_member, body="Pick an ambassador in each team.")
    return thread


def test_from_this_helped_to_a_story_on_a_phone(
    page: Page, live_server: Any, member: User, tip: Thread
) -> None:
    _from_helped_to_story(page, live_server, member, tip)


def test_from_this_helped_to_a_story_without_javascript(
    browser: Browser, live_server: Any, member: User, tip: Thread
) -> None:
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, locale="nl-NL", base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    try:
        _from_helped_to_story(context.new_page(), live_server, member, tip, scripts=False)
    finally:
        context.close()


def test_the_sponsor_dashboard_at_phone_and_desktop_width(
    browser: Browser, live_server: Any
) -> None:
    from devtools.demo import load_demo_data

    load_demo_data()
    sander = User.objects.get(email="sander@example.org")
    assert ValueEvent.objects.exists()
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="nl-NL", base_url=live_server.url
        )
        page = context.new_page()
        _log_in(page, live_server, sander)
        page.goto("/communities/e-health-projectleiders/")
        page.get_by_role("link", name="Open the value dashboard").click()
        expect(page.get_by_role("heading", name="Value dashboard")).to_be_visible()
        expect(page.get_by_text("Van één ambassadeur naar elk wijkteam")).to_be_visible()
        assert_accessible(page)
        if width == 360:
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS_DIR / f"value-dashboard-{width}.png"), full_page=True)
        page.get_by_role("link", name="Printable report").click()
        page.emulate_media(media="print")
        page.screenshot(path=str(ARTIFACTS_DIR / f"value-report-{width}.png"), full_page=True)
        context.close()
