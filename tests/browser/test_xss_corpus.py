"""Script injection: a corpus of published XSS payloads (xss_payloads.txt), stored
through every field a user writes, never runs in the pages that show them.

Each payload calls `__xss(N)` if it ever runs. Headless Chromium loads every page that
shows the fields, with an init script that defines the hook (and turns `alert`,
`confirm`, `prompt` and `print` into it) and records CSP violations of scripts; a
dialog listener catches what slips past the init script. Many payloads share one page
(long fields hold the whole corpus; short fields as much of it as a few rows hold). A
positive control proves the listeners fire.

It lives with the other Chromium tests and shares their one browser (two Playwright
drivers in one process collide); `-m "not browser"` skips it.
"""

import base64
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from communities.models import Membership
from communities.services.communities import community_create, community_update
from communities.services.invitations import invitation_create_many
from communities.services.memberships import membership_grant
from discussions.models import KnowledgePage, Thread
from discussions.services.attachments import attachments_add
from discussions.services.knowledge import knowledge_page_create
from discussions.services.moderation import flag_create
from discussions.services.posts import reply_create, thread_create
from meetings.models import Meeting, MeetingOutput
from meetings.services.meetings import agenda_item_add, meeting_create
from meetings.services.outputs import output_add
from meetings.services.proposals import proposal_create
from members.models import User
from tests.browser.conftest import PHONE_VIEWPORT
from tests.factories import UserFactory, set_profile
from value_cycles.models import Cycle, Tier, ValueStory
from value_cycles.services.events import EventTexts, value_event_record
from value_cycles.services.stories import value_story_create

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).with_name("xss_payloads.txt")
# A word in every searchable text, so one search shows them all with their snippets.
WORD = "zoekwoord"
SHORT_ROWS = 12  # rows made per short field (titles, names, tags)

# Runs before any page script. The hook and the dialogs record; so does any script
# the CSP refuses (an injected handler or script that reached the DOM).
RECORD = """
window.__xssRuns = [];
window.__xss = function (n) { window.__xssRuns.push("hook " + n); };
["alert", "confirm", "prompt", "print"].forEach(function (name) {
  window[name] = function (n) { window.__xssRuns.push(name + " " + n); };
});
window.__cspScripts = [];
document.addEventListener("securitypolicyviolation", function (event) {
  if (event.violatedDirective.indexOf("script") === 0) {
    window.__cspScripts.push(event.violatedDirective + " " + event.sample);
  }
});
"""
# After load: anything in the DOM that would run on a click or hover.
DORMANT = """
() => {
  const found = [];
  const url = /^\\s*(javascript|vbscript|data:text\\/html)/i;
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || (["href", "src", "action", "formaction", "xlink:href",
          "data", "srcdoc", "background", "poster"].includes(name) && url.test(attr.value))
          || name === "srcdoc") {
        found.push(el.localName + " " + name + "=" + attr.value.slice(0, 60));
      }
    }
  }
  return found;
}
"""


def load_corpus() -> list[str]:
    """The payloads, each calling `__xss(its number)`."""
    lines = [line for line in CORPUS.read_text().splitlines() if line and not line.startswith("#")]
    return [
        re.sub(r"(?<![A-Za-z0-9_])N(?![A-Za-z0-9_])", str(number), json.loads(line))
        for number, line in enumerate(lines, start=1)
    ]


PAYLOADS = load_corpus()
DIALOGS: list[str] = []  # dialogs opened on the page being checked


def chunks(limit: int, rows: int = SHORT_ROWS, suffix: str = "") -> list[str]:
    """As many payloads as `rows` values of at most `limit` characters hold."""
    values: list[str] = []
    current = ""
    for payload in PAYLOADS:
        if len(payload) + len(suffix) > limit:
            continue
        if len(current) + len(payload) + 1 + len(suffix) > limit:
            values.append(current + suffix)
            current = ""
            if len(values) == rows:
                return values
        current = f"{current} {payload}" if current else payload
    return [*values, current + suffix] if current else values


def everything(limit: int | None = None) -> list[str]:
    """The whole corpus, in as few values of at most `limit` characters as it takes."""
    text = "\n\n".join(PAYLOADS)
    if limit is None:
        return [text]
    return chunks(limit, rows=len(PAYLOADS))


class Fields:
    """What was stored, by field: how many payloads each holds."""

    def __init__(self) -> None:
        self.count: dict[str, int] = {}

    def add(self, field: str, values: list[str]) -> list[str]:
        self.count[field] = sum(sum(p in v for p in PAYLOADS) for v in values)
        return values


def _store(fields: Fields) -> dict[str, Any]:
    admin = UserFactory(is_staff=True, is_superuser=True)
    facilitator = UserFactory(display_name="Fenna Facilitator")
    community = community_create(
        creator=admin,
        facilitator=facilitator,
        name="Veilig",
        slug="veilig",
        focus="f",
        urgency="u",
        member_value="m",
    )
    big = fields.add("community texts", everything())[0]
    community_update(
        community=community, by=facilitator, focus=big, urgency=big, member_value=big, charter=big
    )
    for number, name in enumerate(fields.add("community name", chunks(120))):
        community_create(
            creator=admin,
            facilitator=facilitator,
            name=name,
            slug=f"c{number}",
            focus=f"{WORD}",
            urgency="u",
            member_value="m",
        )
    member = UserFactory(display_name="Mira Member")
    membership_grant(community=community, user=member, role=Membership.Role.CORE, granted_by=admin)
    names = fields.add("display name", chunks(80))
    titles = fields.add("job title", chunks(120))
    organisations = fields.add("organisation name", chunks(160))
    tags = fields.add("profile tags", chunks(100, rows=20))
    bios = fields.add("bio", everything(1000))
    people = []
    for number, name in enumerate(names):
        person = UserFactory()
        membership_grant(
            community=community, user=person, role=Membership.Role.MEMBER, granted_by=admin
        )
        set_profile(
            person,
            display_name=name,
            job_title=titles[number % len(titles)],
            organization=None,
            new_organization=organisations[number % len(organisations)],
            bio=bios[number % len(bios)],
            expertise=tags,
            interests=tags,
        )
        people.append(person)
    thread_tags = fields.add("thread tags", chunks(100, rows=SHORT_ROWS * 5))
    threads = [
        thread_create(
            community=community,
            author=member,
            kind=Thread.Kind.QUESTION,
            title=f"{WORD} {title}"[:200],
            body=f"{WORD}",
            tags=thread_tags[number * 5 : number * 5 + 5],
        )
        for number, title in enumerate(fields.add("thread title", chunks(190)))
    ]
    body = fields.add("thread body (Markdown and HTML)", everything())[0]
    thread = thread_create(
        community=community,
        author=member,
        kind=Thread.Kind.QUESTION,
        title=f"{WORD} alles",
        body=f"{WORD}\n\n{body}",
    )
    replies = [
        reply_create(thread=thread, author=member, body=text)
        for text in fields.add("reply body", everything())
    ]
    files = fields.add("file name", chunks(200, rows=10, suffix=".pdf"))
    for number in range(0, len(files), 5):
        holder = reply_create(thread=thread, author=member, body=f"Bijlagen {number}")
        attachments_add(
            post=holder,
            files=[
                SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
                for name in files[number : number + 5]
            ],
            by=member,
        )
    for number, reason in enumerate(fields.add("flag reason", everything(1000))):
        post = threads[number % len(threads)] if number < len(threads) else replies[0]
        flag_create(reporter=people[number % len(people)], post=post, reason=reason)
    mail.outbox.clear()
    invitation_create_many(
        community=community,
        invited_by=facilitator,
        addresses="gast@example.org",
        message=fields.add("invitation message", everything())[0],
    )
    [landing] = re.findall(r"/communities/invitations/[^/\s]+/", mail.outbox[-1].body)
    # Replies by someone else: the member is told, with the thread titles.
    for titled in threads[:5]:
        reply_create(thread=titled, author=people[0], body=WORD)
    start = timezone.now() - timedelta(hours=1)
    meeting = meeting_create(
        community=community,
        by=facilitator,
        kind=Meeting.Kind.MEETUP,
        title=f"{WORD} bijeenkomst",
        description=fields.add("meeting description", everything())[0],
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Europe/Amsterdam",
        place=fields.add("meeting place", chunks(200, rows=1))[0],
    )
    for title in fields.add("meeting title", chunks(200, rows=4)):
        meeting_create(
            community=community,
            by=facilitator,
            kind=Meeting.Kind.WEBINAR,
            title=title,
            description="",
            starts_at=start + timedelta(days=2),
            ends_at=start + timedelta(days=2, hours=1),
            time_zone="Europe/Amsterdam",
        )
    for title in fields.add("agenda item", chunks(200, rows=6)):
        agenda_item_add(meeting=meeting, by=facilitator, title=title)
    output_add(
        meeting=meeting,
        by=facilitator,
        kind=MeetingOutput.Kind.SUMMARY,
        body=fields.add("meeting output", everything())[0],
    )
    description = fields.add("topic description", everything())[0]
    for number, title in enumerate(fields.add("topic title", chunks(200, rows=6))):
        proposal_create(
            community=community,
            by=member,
            title=title,
            description=description if number == 0 else "",
        )
    page = knowledge_page_create(
        community=community,
        by=facilitator,
        title=f"{WORD} {fields.add('knowledge title', chunks(150, rows=1))[0]}",
        body=fields.add("knowledge body", everything())[0],
        visibility=KnowledgePage.Visibility.COMMUNITY,
    )
    text = fields.add("value event texts", chunks(300, rows=1))[0]
    event = value_event_record(
        member=member,
        community=community,
        cycle=Cycle.APPLIED,
        source=replies[0],
        texts=EventTexts(what_changed=text, why_it_helped=text),
        tier=Tier.SPONSOR_TEXT,
    )
    story = value_story_create(
        community=community,
        author=member,
        title=fields.add("story title", chunks(200, rows=1))[0],
        sections={"immediate": fields.add("story sections", everything())[0]},
        ending=ValueStory.Ending.HOPED,
        tier=Tier.MEMBERS,
        events=[event],
        publish=True,
    )
    return {
        "admin": admin,
        "community": community,
        "facilitator": facilitator,
        "member": member,
        "person": people[0],
        "thread": thread,
        "threads": threads,
        "meeting": meeting,
        "page": page,
        "story": story,
        "event": event,
        "landing": landing,
        "guest": None,
    }


def _pages(world: dict[str, Any]) -> dict[str, list[str]]:
    """Who looks at which pages (every page that shows a stored field)."""
    slug = world["community"].slug
    thread, meeting, page = world["thread"], world["meeting"], world["page"]
    facilitator_pages = [
        "/",
        "/communities/",
        f"/communities/{slug}/",
        f"/communities/{slug}/charter/",
        f"/communities/{slug}/settings/",
        f"/communities/{slug}/members/",
        f"/c/{slug}/moderation/",
        f"/c/{slug}/threads/",
        f"/c/{slug}/threads/?page=2",
        f"/t/{thread.pk}/",
        f"/t/{thread.pk}/edit/",
        f"/t/{world['threads'][0].pk}/",
        f"/t/{world['threads'][0].pk}/edit/",
        f"/search/?q={WORD}",
        f"/c/{slug}/threads/similar/?title={WORD}",
        f"/c/{slug}/mentions/?q=%3C",
        f"/communities/{slug}/meetings/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/edit/",
        f"/meetings/{meeting.pk}/outputs/",
        f"/meetings/search/?q={WORD}",
        f"/communities/{slug}/topics/",
        f"/c/{slug}/knowledge/",
        f"/c/{slug}/knowledge/{page.slug}/",
        f"/value/story/{world['story'].pk}/",
        f"/value/c/{slug}/dashboard/",
        f"/value/c/{slug}/dashboard/print/",
        f"/communities/people/{world['person'].pk}/",
        "/communities/people/experts/?q=img",
        "/digest/preview/",
    ]
    member_pages = [
        "/value/mine/",
        f"/value/event/{world['event'].pk}/",
        f"/value/story/{world['story'].pk}/edit/",
        "/notifications/",
        f"/t/{thread.pk}/",
    ]
    person_pages = ["/account/profile/", "/communities/people/like-you/"]
    admin_pages = [
        "/moderation/",
        "/admin/members/user/",
        "/admin/members/organization/",
        "/admin/communities/community/",
        f"/admin/communities/community/{world['community'].pk}/change/",
    ]
    return {
        "facilitator": facilitator_pages,
        "member": member_pages,
        "person": person_pages,
        "admin": admin_pages,
        # The invitation is opened by its guest, before they have an account.
        "guest": [world["landing"]],
    }


def _open(browser: "Browser", live_server: Any, user: User | None) -> "Page":
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(15_000)
    # Nothing leaves the test server: a payload that loads a remote script finds none.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith((live_server.url, "data:", "about:"))
            else route.abort()
        ),
    )
    context.add_init_script(RECORD)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
    page = context.new_page()

    def dialog_opened(dialog: "Dialog") -> None:
        DIALOGS.append(f"{dialog.type} {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dialog_opened)
    return page


def _visit(page: "Page", url: str) -> dict[str, list[str]]:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("load")
    page.wait_for_timeout(50)  # timers and animations of a payload
    return {
        "shown": [] if "__xss(" in page.content() else ["no payload on the page"],
        "runs": page.evaluate("window.__xssRuns"),
        "csp": page.evaluate("window.__cspScripts"),
        "dormant": page.evaluate(DORMANT),
        "dialogs": [DIALOGS.pop() for _ in list(DIALOGS)],
    }


def test_the_listeners_fire_on_a_page_where_a_payload_runs(
    browser: "Browser", live_server: Any
) -> None:
    """The positive control: the same recording, on a page without our CSP or escaping."""
    page = _open(browser, live_server, None)
    payload = PAYLOADS[0]  # <svg onload=__xss(1)>
    page.goto(f"data:text/html,{payload}<script>alert(7)</script><a href=javascript:x>x</a>")
    page.wait_for_timeout(50)
    assert sorted(page.evaluate("window.__xssRuns")) == ["alert 7", "hook 1"]
    assert page.evaluate(DORMANT) == ["svg onload=__xss(1)", "a href=javascript:x"]
    page.context.close()


def test_no_stored_payload_runs_anywhere(browser: "Browser", live_server: Any) -> None:
    assert len(PAYLOADS) >= 250
    fields = Fields()
    world = _store(fields)
    failures = []
    visited = 0
    for who, urls in _pages(world).items():
        page = _open(browser, live_server, world[who])
        for url in urls:
            seen = _visit(page, url)
            visited += 1
            for what, found in seen.items():
                if found:
                    failures.append(f"{who} {url} {what}: {found[:5]}")
        page.context.close()
    # The HTML emails too, loaded as they are (no CSP helps a mail client).
    page = _open(browser, live_server, None)
    emails = [
        str(html)
        for message in mail.outbox
        for html, kind in getattr(message, "alternatives", [])
        if kind == "text/html" and "__xss(" in str(html)
    ]
    for html in emails:
        page.goto("data:text/html;base64," + base64.b64encode(html.encode()).decode())
        page.wait_for_timeout(50)
        for what in ("window.__xssRuns", DORMANT):
            if found := page.evaluate(what):
                failures.append(f"email {html[:80]!r}: {found[:5]}")
    page.context.close()
    assert failures == [], "\n".join(failures)
    assert visited >= 40
    assert len(emails) >= 3
    print(
        f"{len(PAYLOADS)} payloads; fields: {fields.count}; {visited} pages; {len(emails)} emails"
    )
