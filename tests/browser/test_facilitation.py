"""A facilitator works through the console's "needs attention" list on a phone: asks a
member to answer the oldest question, approves the join request, and adds the outputs
of a past meeting, each in one or two taps, without sideways scrolling."""

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from communities.models import Community, Membership
from facilitation.models import AnswerRequest
from members.models import User
from tests.browser.conftest import ARTIFACTS_DIR, assert_accessible
from tests.browser.test_accounts import assert_fits_phone_width
from tests.browser.test_invitations import log_in_as
from tests.facilitation.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"console-{name}.png"), full_page=True)


def test_a_facilitator_works_through_needs_attention_on_a_phone(
    page: Page,
    live_server: Any,
    community: Community,
    site_admin: User,
    facilitator: User,
    member: User,
    core_member: User,
) -> None:
    world = build_world(community, site_admin, facilitator, member, core_member)
    User.objects.filter(pk=facilitator.pk).update(language="en")
    log_in_as(page, live_server, facilitator)

    # From the community home, one tap to the console.
    page.goto(community.get_absolute_url())
    page.get_by_role("link", name="Console").click()
    expect(page.get_by_role("heading", name="Facilitator console")).to_be_visible()
    _shot(page, "start")
    assert_accessible(page)
    assert_fits_phone_width(page)

    # The oldest unanswered question first, with who could answer it: one tap asks.
    question = page.locator(f"#question-{world.old_question.pk}")
    expect(question).to_contain_text("Wie werkt met beeldbellen in de wijk?")
    question.get_by_role("button", name="Ask Eve").click()
    expect(page.get_by_text("Eve is asked by email.")).to_be_visible()
    assert AnswerRequest.objects.filter(asked=world.people["eve"]).exists()
    assert [world.people["eve"].email] in [m.to for m in mail.outbox]
    expect(page.locator(f"#question-{world.old_question.pk}")).not_to_contain_text("Ask Eve")

    # The join request: one tap to the requests page, one to approve.
    page.get_by_role("link", name="Review requests").click()
    page.get_by_role("button", name="Approve").first.click()
    requester = world.people["requester"]
    assert Membership.objects.get(user=requester, community=community).state == "active"
    page.goto(f"/communities/{community.slug}/console/")
    expect(page.get_by_role("link", name="Review requests")).to_have_count(0)

    # The meeting without outputs: one tap to its outputs form.
    page.get_by_role("link", name="Add the outputs").click()
    expect(page).to_have_url(f"{live_server.url}/meetings/{world.meeting.pk}/outputs/")
    assert_fits_phone_width(page)

    # Quiet members: the nudge page, chosen by checkbox, one note.
    page.goto(f"/communities/{community.slug}/console/nudge/")
    _shot(page, "nudge")
    assert_accessible(page)
    assert_fits_phone_width(page)
    page.get_by_label("Cas").check()
    page.get_by_label("Your note").fill("We missen je verhalen!")
    page.get_by_role("button", name="Send the note").click()
    expect(page.get_by_text("Your note goes to 1 person.")).to_be_visible()
    assert world.people["cas"].email in [m.to[0] for m in mail.outbox]
