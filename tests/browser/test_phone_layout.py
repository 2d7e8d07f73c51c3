"""Phone layout at 360x740: the header takes one row with targets of at least 44 px, and
the first thread of the thread list and the first search result are on the first
screen (the filters are folded behind one "Filter" control)."""

from typing import Any

from playwright.sync_api import Page, expect

from communities.models import Community
from discussions.services.posts import thread_create
from members.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_accounts import assert_fits_phone_width
from tests.browser.test_invitations import log_in_as

FIRST_SCREEN = 740
MIN_TARGET = 44
ONE_ROW = 60  # a 44 px target and its padding


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown on {page.url}"
    return found


def test_the_header_is_one_row_with_big_targets_and_its_menu_opens_without_script(
    page: Page, live_server: Any, member: User
) -> None:
    log_in_as(page, live_server, member)
    page.goto("/")
    header = box(page, "header.site-header")
    assert header["height"] <= ONE_ROW, header
    for selector in [".brand", ".header-link", ".site-menu > summary"]:
        assert box(page, f"header {selector}")["height"] >= MIN_TARGET, selector
    expect(page.locator("header nav a").first).to_be_hidden()
    page.click("header .site-menu > summary")
    links = page.locator("header nav a, header nav button")
    expect(links.first).to_be_visible()
    for index in range(links.count()):
        assert links.nth(index).bounding_box()["height"] >= MIN_TARGET  # type: ignore[index]
    assert_accessible(page)
    assert_fits_phone_width(page)


def test_the_first_thread_and_the_first_search_result_are_on_the_first_screen(
    page: Page, live_server: Any, community: Community, member: User
) -> None:
    for number in range(3):
        thread_create(
            community=community,
            author=member,
            kind="question",
            title=f"Hoe meten jullie de tevredenheid van cliënten {number}?",
            body="Wij zoeken een korte vragenlijst over tevredenheid.",
            tags=["kwaliteit"],
        )
    log_in_as(page, live_server, member)

    page.goto(f"/c/{community.slug}/threads/")
    first = box(page, "main .thread-list .thread-row-title a")
    assert first["y"] + first["height"] <= FIRST_SCREEN, first
    expect(page.locator("main .filters")).to_be_hidden()
    assert_accessible(page)
    assert_fits_phone_width(page)

    page.goto("/search/?q=tevredenheid")
    first = box(page, 'main section[aria-labelledby="results-heading"] .card-title a')
    assert first["y"] + first["height"] <= FIRST_SCREEN, first
    assert_accessible(page)
    assert_fits_phone_width(page)


def test_the_whole_site_name_and_both_entry_links_fit_a_visitors_header(page: Page) -> None:
    # The name wraps onto two lines instead of being cut ("Communities o"), and
    # "Inloggen" and "Account maken" both stay on the screen.
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    brand = box(page, ".brand")
    assert brand["height"] <= ONE_ROW
    for link in page.locator("header .header-link, header .nav-list-row a").all():
        found = link.bounding_box()
        assert found is not None and found["x"] + found["width"] <= 360, link.inner_text()
