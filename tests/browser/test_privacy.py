"""Your data at 360 px, without script: ask for an export, follow it (the page reloads
itself by a meta refresh), download it; delete the account after typing the address."""

import os
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from members.models import DataExport, User
from tests.browser.conftest import assert_accessible
from tests.browser.test_accounts import assert_fits_phone_width
from tests.browser.test_invitations import log_in_as

SCREENSHOTS = os.environ.get("COP_SCREENSHOTS")  # a directory, to look at the pages


def _shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_an_export_is_asked_followed_and_downloaded_without_script(
    browser: Any, live_server: Any, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="nl-NL",
        base_url=live_server.url,
        java_script_enabled=False,
    )
    page = context.new_page()
    log_in_as(page, live_server, member)
    # The build waits for a worker: hold it back to see the progress page first.
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "members.services.privacy.enqueue_on_commit", lambda name, **kw: sent.append(kw)
    )
    page.goto("/account/data/")
    page.click("text=Maak een export")
    expect(page.locator("progress")).to_be_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    _shot(page, "privacy-data-progress")
    assert_fits_phone_width(page)
    from members.tasks import build_export

    build_export(export_id=sent[0]["export_id"])
    page.click("text=Verversen")  # the plain reload link
    expect(page.locator("text=Downloaden")).to_be_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    _shot(page, "privacy-data-ready")
    with page.expect_download() as download:
        page.click("text=Downloaden")
    assert download.value.suggested_filename.endswith(".zip")
    assert DataExport.objects.get(user=member).state == DataExport.State.READY
    context.close()


def test_the_data_page_is_accessible(page: Page, live_server: Any, member: User) -> None:
    log_in_as(page, live_server, member)
    page.goto("/account/data/")
    assert_accessible(page)
    assert_fits_phone_width(page)


def test_deleting_the_account_at_phone_size(page: Page, live_server: Any, member: User) -> None:
    log_in_as(page, live_server, member)
    page.goto("/account/delete/")
    assert_accessible(page)
    assert_fits_phone_width(page)
    page.fill('input[name="email"]', "iemand.anders@example.org")
    page.click("text=Mijn account verwijderen")
    expect(page.locator("text=Dit is niet het adres van je account.")).to_be_visible()
    _shot(page, "member-erase-error")
    page.fill('input[name="email"]', member.email)
    page.click("text=Mijn account verwijderen")
    expect(page.locator("text=Je account en je persoonsgegevens zijn gewist.")).to_be_visible()
    _shot(page, "member-erase-done")
    assert not User.objects.filter(pk=member.pk).exists()


def test_the_privacy_page_at_phone_size(page: Page) -> None:
    page.goto("/privacy/")
    expect(page.locator("text=Een kopie van je gegevens")).to_be_visible()
    _shot(page, "privacy-page")
    assert_accessible(page)
    assert_fits_phone_width(page)
