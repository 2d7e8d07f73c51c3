"""The thread page on a 360 px phone: a one-line reply is a compact card."""

from typing import Any

from playwright.sync_api import Page, expect

from communities.models import Community
from discussions.services.posts import reply_create, thread_create
from members.models import User
from tests.browser.conftest import ARTIFACTS_DIR, assert_accessible
from tests.browser.test_accounts import assert_fits_phone_width
from tests.browser.test_invitations import log_in_as

ONE_LINE_REPLY_MAX = 140


def test_a_one_line_reply_card_is_compact_and_its_secondary_actions_fold(
    page: Page, live_server: Any, community: Community, member: User, core_member: User
) -> None:
    thread = thread_create(
        community=community, author=member, kind="question", title="Klein beginnen?", body="Hoe?"
    )
    reply = reply_create(thread=thread, author=core_member, body="Begin klein.")
    own = reply_create(thread=thread, author=member, body="Dank je.")
    log_in_as(page, live_server, member)
    page.goto(thread.get_absolute_url())

    card = page.locator(f"#reply-{reply.pk} .card")
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(ARTIFACTS_DIR / "thread-one-line-reply-360.png"))
    height = card.bounding_box()["height"]  # type: ignore[index]
    assert height <= ONE_LINE_REPLY_MAX, height
    # Zero counts are not shown; edit and delete wait behind the overflow menu.
    expect(card.locator(".reaction-count")).to_have_count(0)
    mine = page.locator(f"#reply-{own.pk} .card")
    expect(mine.get_by_role("link", name="Bewerken")).to_be_hidden()
    mine.locator(".post-actions .overflow > summary").click()
    expect(mine.get_by_role("link", name="Bewerken")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone_width(page)
