"""A facilitator seeds a thread from a stage template on a phone: pick it, edit it,
post it, in two taps (no JavaScript needed)."""

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from communities.models import Community
from communities.services.communities import community_change_stage
from discussions.models import Thread
from facilitation.models import SeedTemplate
from members.models import User
from tests.browser.conftest import assert_accessible
from tests.browser.test_accounts import assert_fits_phone_width

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page: Page, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_facilitator_seeds_a_thread_from_a_template_on_a_phone(
    page: Page, live_server: Any, community: Community, facilitator: User
) -> None:
    community_change_stage(community=community, by=facilitator, stage="coalescing")
    # Templates of its own: an earlier transactional test may have flushed the migration's.
    SeedTemplate.objects.all().delete()
    SeedTemplate.objects.create(
        stage="coalescing",
        kind="question",
        title_nl="Wat is jouw lastigste casus op dit moment?",
        title_en="What is your hardest case right now?",
        body_nl="Beschrijf kort een casus waar je nu mee worstelt.",
        body_en="Describe a case you are struggling with now.",
    )
    SeedTemplate.objects.create(
        stage="maturing",
        kind="story",
        title_nl="Dit ging helemaal mis",
        title_en="This went completely wrong",
        body_nl="Vertel.",
        body_en="Tell.",
    )
    _log_in(page, live_server, facilitator)
    page.goto(f"/communities/{community.slug}/console/seed/")
    expect(page.locator("main h1")).to_have_text("Een discussie starten vanuit een sjabloon")
    # The other stage's template is folded away.
    expect(page.get_by_role("link", name="Dit ging helemaal mis")).to_be_hidden()
    assert_fits_phone_width(page)
    assert_accessible(page)

    page.get_by_role("link", name="Wat is jouw lastigste casus op dit moment?").click()  # tap 1
    title = page.get_by_label("Titel")
    expect(title).to_have_value("Wat is jouw lastigste casus op dit moment?")
    title.fill("Wat is jouw lastigste casus deze maand?")
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.get_by_role("button", name="Plaatsen").click()  # tap 2
    expect(page.locator("main h1")).to_contain_text("Wat is jouw lastigste casus deze maand?")
    thread = Thread.objects.get(community=community)
    assert thread.author == facilitator
    assert thread.body == "Beschrijf kort een casus waar je nu mee worstelt."
