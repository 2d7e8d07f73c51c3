"""From the invitation email to a posted question on a 360x740 phone, counted in screens
(page loads of the main frame): at most three, for a new and an existing account, with
and without JavaScript."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Frame, Page, expect

from communities.models import Community
from communities.services.invitations import invitation_create_many
from discussions.models import Thread
from members.models import User
from tests.browser.conftest import PHONE_VIEWPORT, assert_accessible
from tests.browser.test_accounts import assert_fits_phone_width
from tests.browser.test_invitations import wait_for_invitation_link
from tests.factories import UserFactory

MAX_SCREENS = 3


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phone(request: pytest.FixtureRequest, browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,
        locale="nl-NL",
        base_url=live_server.url,
        java_script_enabled=request.param,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def count_screens(page: Page) -> list[str]:
    """The URLs the main frame loads from now on, one entry per screen seen."""
    screens: list[str] = []

    def seen(frame: Frame) -> None:
        if frame == page.main_frame:
            screens.append(frame.url)

    page.on("framenavigated", seen)
    return screens


def invite(community: Community, by: User, email: str) -> str:
    invitation_create_many(community=community, invited_by=by, addresses=email)
    return wait_for_invitation_link(email)


def check_page(page: Page, js: bool) -> None:
    # axe and the width check run scripts in the page: only where scripts may run.
    if js:
        assert_accessible(page)
        assert_fits_phone_width(page)


def ask_from_the_community_home(page: Page, js: bool) -> None:
    expect(page.locator("main .message-success")).to_have_count(1)
    form = page.locator("main form.ask-form")
    expect(form).to_be_visible()
    check_page(page, js)
    form.locator('select[name="kind"]').select_option("question")
    form.locator('input[name="title"]').fill("Hoe regelen jullie de toestemming van cliënten?")
    form.locator('textarea[name="body"]').fill("Wij zoeken een eenvoudige werkwijze.")
    form.locator('button[type="submit"]').click()
    expect(page.locator("main h1")).to_contain_text("toestemming van cliënten")


@pytest.mark.parametrize("account", ["new", "existing"])
def test_from_invitation_email_to_a_posted_question_in_three_screens(
    phone: Page,
    live_server: Any,
    transactional_db: None,
    facilitator: User,
    community: Community,
    account: str,
    request: pytest.FixtureRequest,
) -> None:
    email = "noor.bakker@example.org"
    if account == "existing":
        UserFactory(email=email, display_name="Noor B.")
    path = invite(community, facilitator, email)
    outbox = len([m for m in mail.outbox if email in m.to])
    screens = count_screens(phone)

    js = request.node.callspec.params["phone"]
    phone.goto(path)
    check_page(phone, js)
    if account == "new":
        expect(phone.locator('main input[name="display_name"]')).to_have_value("Noor Bakker")
    else:
        expect(phone.locator("main")).to_contain_text("Noor B.")
        assert phone.locator('main input[name="display_name"]').count() == 0
    phone.check('main input[name="accept_charter"]')
    phone.locator('main form.join-form button[type="submit"]').click()
    ask_from_the_community_home(phone, js)

    thread = Thread.objects.get(community=community)
    assert thread.author.email == email
    assert thread.kind == Thread.Kind.QUESTION
    assert len(screens) <= MAX_SCREENS, screens
    # no code, no second email to the invitee (the facilitators are told of a first question)
    assert len([m for m in mail.outbox if email in m.to]) == outbox
