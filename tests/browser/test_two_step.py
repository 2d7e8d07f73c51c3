"""Two-step verification and the SSO button in a phone-sized Chromium: the QR code shows
under the content policy (no violation), the set-up works without a script of ours,
and nothing is wider than the screen."""

import os
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from members.models import User
from tests.browser.test_csp import Recorder, _log_in
from tests.factories import UserFactory
from tests.members.test_mfa import _app_code

pytestmark = pytest.mark.django_db(transaction=True)

# Set COP_SCREENSHOTS=/some/dir to keep a picture of each page for a look by eye.
SCREENSHOTS = os.environ.get("COP_SCREENSHOTS")


def _look(page: Page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width}px wide"
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_a_member_sets_up_the_authenticator_app_on_a_phone(page: Page, live_server: Any) -> None:
    user = UserFactory()
    recorder = Recorder(page)
    _log_in(page, live_server, user)

    recorder.visit("/account/")
    page.get_by_role("link", name="Two-step verification").click()
    _look(page, "mfa-index")
    page.get_by_role("link", name="Set up the authenticator app").click()
    page.wait_for_load_state("load")
    assert recorder.violations() == []

    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150
    _look(page, "mfa-activate")

    page.get_by_text("Cannot scan? Type the key instead").click()
    secret = page.locator(".mfa-secret").inner_text().strip()
    page.get_by_role("textbox", name="Code").fill(_app_code(secret))
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    assert page.locator(".mfa-codes li").count() == 10
    assert recorder.violations() == []
    _look(page, "mfa-recovery-codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert recorder.console_errors == []


def test_the_login_page_offers_the_organisation_button(page: Page, live_server: Any) -> None:
    recorder = Recorder(page)
    recorder.visit("/accounts/login/")
    expect(page.get_by_role("button", name="Acme ID")).to_be_visible()
    _look(page, "sso-login")


def test_a_required_site_admin_lands_on_the_set_up_page(
    page: Page, live_server: Any, settings
) -> None:
    settings.COP_MFA_REQUIRED_FOR_STAFF = True
    admin: User = UserFactory(is_staff=True, is_superuser=True)
    recorder = Recorder(page)
    _log_in(page, live_server, admin)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Set up the authenticator app")).to_be_visible()
    expect(page.get_by_text("Set up an authenticator app first")).to_be_visible()
    assert recorder.violations() == []
    _look(page, "mfa-required")
