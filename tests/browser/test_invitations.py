"""Invitations in a real browser, at phone size: a facilitator pastes two addresses (one
bad) and reads the report; the invitee follows the emailed link, gives a name, accepts
the way of working and lands in the community, on the one invitation page."""

import re
import time
from typing import Any
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from communities.models import Community, Invitation, Membership
from members.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_accounts import assert_fits_phone_width, wait_for_path

LINK_RE = re.compile(r"https?://[^/\s]+(/communities/invitations/[A-Za-z0-9_-]+/)")


def log_in_as(page: Page, live_server: Any, user: User) -> None:
    """Sign in by handing the browser a session made by the test client."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def wait_for_invitation_link(recipient: str) -> str:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for message in mail.outbox:
            match = LINK_RE.search(message.body)
            if message.to == [recipient] and match:
                return match.group(1)
        time.sleep(0.05)
    raise AssertionError(f"no invitation email to {recipient}")


def test_facilitator_invites_and_the_invitee_signs_up_accepts_and_is_in(
    page: Page,
    live_server: Any,
    transactional_db: None,
    facilitator: User,
    community: Community,
) -> None:
    invitee = "ines.visser@example.org"

    # The facilitator pastes two addresses, one of them bad, with a message.
    log_in_as(page, live_server, facilitator)
    list_path = reverse("communities:invitations", kwargs={"slug": community.slug})
    page.goto(list_path)
    assert_accessible(page)
    assert_fits_phone_width(page)
    page.fill('main textarea[name="addresses"]', f"{invitee}\nines at example")
    page.fill('main textarea[name="message"]', "Jouw ervaring met e-health is welkom.")
    page.click('main form:has(textarea[name="addresses"]) button[type="submit"]')

    report = page.locator('main section[aria-labelledby="report-title"]')
    expect(report).to_contain_text(invitee)
    expect(report.locator("code")).to_have_text("ines at example")
    # The bad line waits in the form to be corrected.
    expect(page.locator('main textarea[name="addresses"]')).to_have_value("ines at example")
    expect(page.locator("main .card-title", has_text=invitee)).to_be_visible()
    assert_accessible(page)
    assert_fits_phone_width(page)
    assert Invitation.objects.filter(email=invitee).count() == 1

    # The invitee, in another browser, opens the emailed link.
    path = wait_for_invitation_link(invitee)
    page.context.clear_cookies()
    page.goto(path)
    expect(page.locator("main h1")).to_contain_text(community.name)
    expect(page.locator("main")).to_contain_text("Jouw ervaring met e-health is welkom.")
    expect(page.locator("main")).to_contain_text(community.charter)
    assert_accessible(page)
    assert_fits_phone_width(page)

    # The invitation page is the whole way in: a name and the way of working.
    outbox_before = len(mail.outbox)
    submit = page.locator('main form:has(input[name="accept_charter"]) button[type="submit"]')
    page.fill('main input[name="display_name"]', "Ines Visser")
    submit.click()
    # Not without ticking the box.
    wait_for_path(page, path)
    expect(page.locator("main .errorlist")).to_be_visible()
    assert_accessible(page)
    expect(page.locator('main input[name="display_name"]')).to_have_value("Ines Visser")
    page.check('main input[name="accept_charter"]')
    page.locator('main form:has(input[name="accept_charter"]) button[type="submit"]').click()

    wait_for_path(page, community.get_absolute_url())
    expect(page.locator("main .message-success")).to_be_visible()
    user = User.objects.get(email=invitee)
    membership = Membership.objects.get(user=user, community=community)
    assert membership.state == Membership.State.ACTIVE
    assert Invitation.objects.get(email=invitee).state == Invitation.State.ACCEPTED
    # The link proved the address: no code was mailed.
    assert len(mail.outbox) == outbox_before

    # The link now says it was used, and shows the new member the way in.
    page.goto(path)
    expect(page.locator(f'main a[href="{community.get_absolute_url()}"]')).to_be_visible()
    assert_accessible(page)

    # A mangled link explains itself without naming anything.
    response = page.goto(path[:-5] + "/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text(community.name)
    assert_accessible(page)
    assert urlsplit(page.url).path == path[:-5] + "/"
