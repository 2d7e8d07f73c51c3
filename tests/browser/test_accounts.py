"""Accounts in a real browser, at phone size: sign up and verify the address by emailed
code, switch language, log out, log in again by emailed code; and the code request does
not reveal which addresses have an account."""

import re
import time
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

# allauth's user codes look like "KHKP-SVKH" (the default format) or, if reconfigured,
# 6 to 9 characters without a dash; the code sits on a line of its own in the body.
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,9})\s*$", re.MULTILINE)

LOGOUT_BUTTON = f'header form[action="{reverse("account_logout")}"] button[type="submit"]'
REQUEST_CODE_FORM = f'main form[action="{reverse("account_request_login_code")}"]'
# The code forms also hold "Request new code"/"Cancel" buttons that belong to other forms
# (form="..."): the confirm button is the submit button without a form attribute.
CODE_SUBMIT = 'main form:has(input[name="code"]) button[type="submit"]:not([form])'


def language_button(code: str) -> str:
    return f'footer button[name="language"][value="{code}"]'


def wait_for_code(outbox_before: int, recipient: str) -> str:
    """The code in the newest message, which must be new and addressed to `recipient`."""
    deadline = time.monotonic() + 5
    while len(mail.outbox) <= outbox_before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(mail.outbox) > outbox_before, "no new email was sent"
    message = mail.outbox[-1]
    assert message.to == [recipient]
    match = CODE_RE.search(message.body)
    assert match, f"no code found in the email body:\n{message.body}"
    return match.group(1)


def wait_for_path(page: Page, path: str) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def assert_fits_phone_width(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px on a phone"


def enter_code(page: Page, code: str) -> None:
    page.fill('input[name="code"]', code)
    page.click(CODE_SUBMIT)
    page.wait_for_load_state()


def request_login_code(page: Page, email: str) -> None:
    page.goto(reverse("account_request_login_code"))
    page.fill(f'{REQUEST_CODE_FORM} input[name="email"]', email)
    page.click(f'{REQUEST_CODE_FORM} button[type="submit"]')
    wait_for_path(page, reverse("account_confirm_login_code"))


def test_sign_up_switch_language_log_out_and_log_in_by_code(
    page: Page, transactional_db: None
) -> None:
    email = "ines.visser@example.org"
    html = page.locator("html")

    # A new visitor on the home page, in Dutch (the default), goes to sign up.
    page.goto("/")
    expect(html).to_have_attribute("lang", "nl")
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    assert_accessible(page)
    page.click(f'main a[href="{reverse("account_signup")}"]')
    wait_for_path(page, reverse("account_signup"))
    assert_accessible(page)

    # Address and display name only; the emailed code verifies the address.
    outbox_before = len(mail.outbox)
    page.fill('main input[name="email"]', email)
    page.fill('main input[name="display_name"]', "Ines Visser")
    page.click('main form:has(input[name="display_name"]) button[type="submit"]')
    wait_for_path(page, reverse("account_email_verification_sent"))
    expect(page.locator('input[name="code"]')).to_be_visible()
    assert_accessible(page)
    enter_code(page, wait_for_code(outbox_before, email))

    # Signed in, on the home page.
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(1)  # in the header's menu
    user = get_user_model().objects.get(email=email)
    assert user.display_name == "Ines Visser"
    assert user.language == "nl"
    assert_accessible(page)
    assert_fits_phone_width(page)
    page.goto(reverse("members:account"))
    expect(page.locator('main input[name="display_name"]')).to_have_value("Ines Visser")
    assert_accessible(page)
    assert_fits_phone_width(page)

    # The footer switcher changes the page language and the stored preference.
    page.click(language_button("en"))
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator(language_button("en"))).to_have_attribute("aria-pressed", "true")
    user.refresh_from_db()
    assert user.language == "en"
    page.click(language_button("nl"))
    expect(html).to_have_attribute("lang", "nl")
    user.refresh_from_db()
    assert user.language == "nl"

    # The header button logs out by POST, without allauth's confirmation page.
    page.click("header .site-menu > summary")
    page.click(LOGOUT_BUTTON)
    wait_for_path(page, reverse("home"))
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
    expect(
        page.locator(f'header a[href="{reverse("account_request_login_code")}"]')
    ).to_be_visible()

    # Back in by emailed code.
    outbox_before = len(mail.outbox)
    request_login_code(page, email)
    assert_accessible(page)
    enter_code(page, wait_for_code(outbox_before, email))
    expect(page.locator(LOGOUT_BUTTON)).to_have_count(1)  # in the header's menu
    expect(html).to_have_attribute("lang", "nl")


def test_login_code_request_does_not_reveal_whether_an_account_exists(
    page: Page, transactional_db: None
) -> None:
    known = UserFactory(email="known@example.org")

    outbox_before = len(mail.outbox)
    request_login_code(page, known.email)
    assert wait_for_code(outbox_before, known.email)
    known_path = urlsplit(page.url).path
    expect(page.locator('main input[name="code"]')).to_have_count(1)

    page.context.clear_cookies()  # a different visitor
    request_login_code(page, "unknown@example.org")
    assert urlsplit(page.url).path == known_path
    expect(page.locator('main input[name="code"]')).to_have_count(1)
