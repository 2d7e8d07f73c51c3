"""An outsider cannot find an unlisted community, by address or by search; a member
finds it among their communities."""

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from communities.models import Community
from communities.services.communities import community_create
from members.models import User
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page: Page, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_an_outsider_cannot_find_an_unlisted_community(page: Page, live_server: Any) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    facilitator = UserFactory(display_name="Kees Visser")
    community_create(
        creator=admin,
        facilitator=facilitator,
        name="Schade-experts verzekeraars",
        slug="schade-experts",
        focus="Lastige schades.",
        urgency="Nieuwe risico's.",
        member_value="Sneller oordelen.",
        join_policy=Community.JoinPolicy.INVITE,
        is_listed=False,
        is_confidential=True,
    )
    community_create(
        creator=admin,
        facilitator=facilitator,
        name="Aanjagers lokale gezondheid",
        slug="aanjagers",
        focus="Gezondheid in de wijk.",
        urgency="Nu.",
        member_value="Tips.",
    )
    outsider = UserFactory(language="nl")

    _log_in(page, live_server, outsider)
    page.goto("/communities/")
    expect(page.get_by_role("link", name="Aanjagers lokale gezondheid")).to_be_visible()
    expect(page.get_by_text("Schade-experts")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Zoek op naam of focus").fill("schade")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Schade-experts")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Geen community past bij deze filters")

    response = page.goto("/communities/schade-experts/")
    assert response is not None and response.status == 404
    expect(page.locator("main")).not_to_contain_text("Schade")

    page.context.clear_cookies()
    _log_in(page, live_server, facilitator)
    page.goto("/communities/")
    expect(page.get_by_role("link", name="Schade-experts verzekeraars")).to_be_visible()
