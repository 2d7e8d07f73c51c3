"""A facilitator plans a meeting from the top-voted topic on a phone, a member answers
yes, the facilitator posts the outputs and a member who was not there finds them."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from communities.models import Community
from meetings.models import Meeting, Rsvp, TopicProposal
from meetings.services.proposals import proposal_create, vote_cast
from members.models import User
from tests.browser.conftest import ARTIFACTS_DIR, assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page: Page, live_server: Any, user: User) -> None:
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"meetings-{name}.png"), full_page=True)


def test_a_meeting_from_the_top_topic_answered_and_its_outputs_found(
    page: Page,
    live_server: Any,
    community: Community,
    facilitator: User,
    member: User,
    core_member: User,
) -> None:
    low = proposal_create(community=community, by=member, title="Privacy scan")
    top = proposal_create(community=community, by=member, title="Apps for self-management")
    vote_cast(proposal=top, user=core_member)
    assert low.votes.count() < top.votes.count()

    _log_in(page, live_server, facilitator)
    page.goto(f"/communities/{community.slug}/topics/")
    first = page.locator(".proposal").first
    expect(first).to_contain_text("Apps for self-management")
    _shot(page, "topics")
    assert_accessible(page)
    first.get_by_role("button", name="Turn into a meeting").click()
    expect(page.get_by_label("Title")).to_have_value("Apps for self-management")
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    page.get_by_label("Date").fill(day)
    page.get_by_label("From").fill("19:30")
    page.get_by_label("Until").fill("21:00")
    page.get_by_label("Online link").fill("https://meet.example.org/apps")
    page.get_by_label("Places").fill("12")
    _shot(page, "plan")
    page.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_role("heading", name="Apps for self-management")).to_be_visible()
    meeting = Meeting.objects.get()
    top.refresh_from_db()
    assert top.state == TopicProposal.State.PLANNED

    _log_in(page, live_server, member)
    page.goto(meeting.get_absolute_url())
    expect(page.get_by_text("meet.example.org/apps")).to_have_count(0)
    page.get_by_role("button", name="Yes", exact=True).click()
    expect(page.get_by_role("link", name="https://meet.example.org/apps")).to_be_visible()
    assert Rsvp.objects.get(user=member).answer == "yes"
    _shot(page, "meeting")
    assert_accessible(page)
    # The page lays out in the phone's width: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    _log_in(page, live_server, facilitator)
    page.goto(f"/meetings/{meeting.pk}/outputs/")
    page.get_by_label("Text").fill("Teams choose apps that patients already use.")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".card").first).to_contain_text("Teams choose apps")

    _log_in(page, live_server, core_member)
    page.goto("/meetings/search/?q=patients")
    expect(page.get_by_role("link", name="Apps for self-management")).to_be_visible()
    _shot(page, "search")
    assert_accessible(page)


def test_a_held_meeting_on_a_phone_files_value_capture_and_discussed_at(
    page: Page,
    live_server: Any,
    community: Community,
    facilitator: User,
    member: User,
    core_member: User,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.services.meetings import agenda_item_add
    from meetings.services.outputs import output_add, output_files_add
    from tests.factories import make_thread
    from tests.meetings.helpers import plan
    from value_cycles.models import Cycle, ValueEvent

    thread = make_thread(community, core_member, title="Checklist voor de eerste weken")
    held = plan(
        community,
        facilitator,
        starts_at=timezone.now() - timedelta(days=2),
        title="Praktijkmiddag thuismonitoring in de wijk",
    )
    agenda_item_add(meeting=held, by=facilitator, title="Casus", thread=thread)
    output_add(meeting=held, by=facilitator, kind="summary", body="Wat we leerden.")
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    output_files_add(
        meeting=held,
        by=facilitator,
        files=[SimpleUploadedFile("Presentatie thuismonitoring wijkteams.pdf", pdf)],
    )

    _log_in(page, live_server, member)
    page.goto(thread.get_absolute_url())
    expect(page.get_by_role("heading", name="Discussed at")).to_be_visible()
    page.get_by_role("link", name="Praktijkmiddag thuismonitoring in de wijk").click()
    expect(
        page.get_by_role("link", name="Presentatie thuismonitoring wijkteams.pdf")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    _shot(page, "held-meeting-360")
    page.get_by_role("link", name="I'll use this").click()
    page.get_by_label("Skills or knowledge I gained").check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="Praktijkmiddag thuismonitoring in de wijk")
    ).to_be_visible()
    assert ValueEvent.objects.get(member=member).cycle == Cycle.POTENTIAL
