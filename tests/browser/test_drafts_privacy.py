"""Reply drafts belong to the person who typed them: another account on the same device
does not get them, and logging out removes them."""

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from communities.models import Community
from discussions.services.posts import thread_create
from members.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page: Page, live_server: Any, user: User) -> None:
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _draft_keys(page: Page) -> list[str]:
    return list(
        page.evaluate(
            "Object.keys(window.localStorage)"
            ".filter(function (k) { return k.indexOf('draft:') === 0; })"
        )
    )


def test_a_draft_is_kept_per_person_and_removed_at_logout(
    page: Page, live_server: Any, community: Community, member: User, core_member: User
) -> None:
    thread = thread_create(
        community=community, author=member, kind="question", title="Fusie?", body="Intern."
    )
    _log_in(page, live_server, member)
    page.goto(thread.get_absolute_url())
    page.get_by_label("Your reply").fill("Vertrouwelijk concept")
    assert _draft_keys(page) == [f"draft:{member.pk}:reply-{thread.pk}-0"]

    page.reload()
    expect(page.get_by_label("Your reply")).to_have_value("Vertrouwelijk concept")

    _log_in(page, live_server, core_member)  # someone else on the same device
    page.goto(thread.get_absolute_url())
    expect(page.get_by_label("Your reply")).to_have_value("")

    _log_in(page, live_server, member)
    page.goto(thread.get_absolute_url())
    expect(page.get_by_label("Your reply")).to_have_value("Vertrouwelijk concept")
    page.click("header .site-menu > summary")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("load")
    assert _draft_keys(page) == []
