"""The marker test: what is written inside a confidential community reaches nobody
outside it, through any page, fragment, feed, export, search or email.

Unique markers are planted through the services, one kind of confidential text each
(PLANTINGS: a new kind is one line). Each persona outside the community then crawls the
site from `/` (every same-site link and htmx `hx-get` URL, bounded), asks for every URL
the member's crawl found, for the search, similar-questions and mention endpoints with
each marker as query, the calendar feed, the value exports and the digest preview; every
mail job runs and every email is read, and so is each persona's own data export. The
markers must occur zero times outside, and
the member's crawl (the positive control) must find every kind, so the test cannot pass
by crawling nothing.
"""

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.invitations import invitation_create_many
from communities.services.memberships import membership_grant, membership_remove
from discussions.models import KnowledgePage, Subscription, Thread
from discussions.services.attachments import attachments_add
from discussions.services.knowledge import knowledge_page_create
from discussions.services.posts import answer_accept, reply_create, thread_create
from discussions.services.subscriptions import subscription_set
from discussions.tasks import digests_build, nudges_record
from facilitation.services.act import note_create
from meetings.models import Meeting, MeetingOutput, Rsvp
from meetings.services.calendar import calendar_feed_create
from meetings.services.meetings import agenda_item_add, meeting_create
from meetings.services.outputs import output_add, outputs_send
from meetings.services.proposals import proposal_create
from meetings.services.rsvps import rsvp_set
from meetings.tasks import send_reminders
from members.models import User
from members.services import export_request
from outbox.models import Message
from outbox.services import message_deliver
from tests.conftest import make_community
from tests.factories import UserFactory, set_profile
from value_cycles.models import Cycle, Tier, ValueStory
from value_cycles.services.events import EventTexts, value_event_record
from value_cycles.services.stories import value_story_create
from value_cycles.tasks import send_due_follow_ups

pytestmark = pytest.mark.django_db

# Long enough that no random token (a CSP nonce, a CSRF token: base64, read here without
# case) contains it by chance: four letters did, now and then, four times on one page.
PREFIX = "zqmkvwj"
# A tag everyone concerned has as expertise, so the nudge job has people to ask.
SHARED_TAG = "zorgpaden"
MAX_PAGES = 160  # per persona's crawl
MAX_VARIANTS = 3  # query-string variants of one path
NEVER_FOLLOW = ("/accounts/logout/", "/static/", "/admin/", "/media/")


def marker(kind: str) -> str:
    """Letters only, so Markdown, escaping, slugs and search tokens leave it whole."""
    return f"{PREFIX}{kind}x"


@dataclass
class World:
    secret: Community
    other: Community
    facilitator: User
    member: User  # the author of most markers; in no other community
    colleague: User  # another member: the positive control crawls as them
    people: dict[str, User | None]  # the personas outside
    thread: Thread  # a question with a neutral title, for replies and answers
    meeting: Meeting  # under way, neutral title, for outputs and agenda items
    tomorrow: Meeting  # to be reminded of
    made: dict[str, Any] = field(default_factory=dict)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _reply(w: World, text: str) -> Any:
    # Mentions the outsider too: a mention must not carry a confidential text out.
    return reply_create(thread=w.thread, author=w.member, body=f"{text} @Otto Outsider")


def _value_event(w: World, m: str) -> Any:
    reply = w.made.setdefault("helped_reply", _reply(w, "Dank je."))
    return value_event_record(
        member=w.member,
        community=w.secret,
        cycle=Cycle.APPLIED,
        source=reply,
        texts=EventTexts(what_changed=m, why_it_helped=m),
        tier=Tier.MEMBERS,
    )


def _story(w: World, m: str) -> Any:
    return value_story_create(
        community=w.secret,
        author=w.member,
        title=m,
        sections={"immediate": f"{m} hielp."},
        ending=ValueStory.Ending.HOPED,
        tier=Tier.MEMBERS,
        publish=True,
    )


# Every kind of confidential text, planted through its service: (kind, how).
PLANTINGS: list[tuple[str, Callable[[World, str], object]]] = [
    (
        "threadtitle",
        lambda w, m: thread_create(
            community=w.secret,
            author=w.member,
            kind="question",
            title=f"{m}?",
            body="Wie weet het?",
            tags=[SHARED_TAG],
        ),
    ),
    (
        "threadbody",
        lambda w, m: thread_create(
            community=w.secret,
            author=w.member,
            kind="tip",
            title="Overleg",
            body=f"**{m}** en <b>{m}</b>",
        ),
    ),
    (
        "tag",
        lambda w, m: thread_create(
            community=w.secret,
            author=w.member,
            kind="tip",
            title="Etiket",
            body="Zie tag.",
            tags=[m],
        ),
    ),
    ("reply", lambda w, m: _reply(w, m)),
    (
        "attachment",
        lambda w, m: attachments_add(post=w.thread, files=[_pdf(f"{m}.pdf")], by=w.facilitator),
    ),
    (
        "knowledgetitle",
        lambda w, m: knowledge_page_create(
            community=w.secret,
            by=w.facilitator,
            title=m,
            body="Inhoud.",
            visibility=KnowledgePage.Visibility.COMMUNITY,
        ),
    ),
    (
        "knowledgebody",
        lambda w, m: knowledge_page_create(
            community=w.secret,
            by=w.facilitator,
            title="Draaiboek",
            body=m,
            visibility=KnowledgePage.Visibility.COMMUNITY,
        ),
    ),
    (
        "meetingtitle",
        lambda w, m: meeting_create(
            community=w.secret,
            by=w.facilitator,
            kind=Meeting.Kind.MEETUP,
            title=m,
            description="",
            starts_at=w.tomorrow.starts_at,
            ends_at=w.tomorrow.ends_at,
            time_zone="Europe/Amsterdam",
        ),
    ),
    (
        "meetingnotes",
        lambda w, m: meeting_create(
            community=w.secret,
            by=w.facilitator,
            kind=Meeting.Kind.WEBINAR,
            title="Webinar",
            description=m,
            starts_at=w.tomorrow.starts_at,
            ends_at=w.tomorrow.ends_at,
            time_zone="Europe/Amsterdam",
            place=marker("meetingplace"),
        ),
    ),
    ("agenda", lambda w, m: agenda_item_add(meeting=w.meeting, by=w.facilitator, title=m)),
    (
        "output",
        lambda w, m: output_add(
            meeting=w.meeting, by=w.facilitator, kind=MeetingOutput.Kind.SUMMARY, body=m
        ),
    ),
    (
        "topic",
        lambda w, m: proposal_create(
            community=w.secret, by=w.member, title=m, description=marker("topicdescription")
        ),
    ),
    ("valueevent", _value_event),
    ("story", _story),
    ("jobtitle", lambda w, m: set_profile(w.member, job_title=m)),
    ("bio", lambda w, m: set_profile(w.member, bio=m)),
    ("expertise", lambda w, m: set_profile(w.member, expertise=[m, SHARED_TAG])),
    ("interest", lambda w, m: set_profile(w.member, interests=[m])),
    ("organisation", lambda w, m: set_profile(w.member, organization=None, new_organization=m)),
    ("displayname", lambda w, m: set_profile(w.member, display_name=f"{m.title()} Lid")),
    ("facilitatornote", lambda w, m: note_create(community=w.secret, author=w.facilitator, body=m)),
]
# Planted by the lines above as a second text of the same object.
EXTRA_KINDS = ["meetingplace", "topicdescription"]
KINDS = [kind for kind, _plant in PLANTINGS] + EXTRA_KINDS
ABSENT = marker("absent")  # planted nowhere


def _build() -> World:
    admin = UserFactory(is_staff=True, is_superuser=True)
    facilitator = UserFactory(display_name="Fenna Facilitator")
    secret = make_community(
        admin, facilitator, "geheim", is_confidential=True, join_policy="invite", is_listed=False
    )
    other_facilitator = UserFactory()
    other = make_community(admin, other_facilitator, "open")
    member = UserFactory(display_name="Mira Member")
    colleague = UserFactory(display_name="Cor Collega")
    for person in (member, colleague):
        membership_grant(
            community=secret, user=person, role=Membership.Role.MEMBER, granted_by=admin
        )
    set_profile(colleague, expertise=[SHARED_TAG])
    outsider = UserFactory(display_name="Otto Outsider")
    set_profile(outsider, expertise=[SHARED_TAG])
    other_member, other_sponsor = UserFactory(), UserFactory()
    membership_grant(
        community=other, user=other_member, role=Membership.Role.MEMBER, granted_by=admin
    )
    membership_grant(
        community=other, user=other_sponsor, role=Membership.Role.SPONSOR, granted_by=admin
    )
    # Activity outside, so the people there get digests that must hold only their own.
    thread_create(community=other, author=other_member, kind="tip", title="Buiten", body="Hallo")
    invited, removed = UserFactory(), UserFactory()
    invitation_create_many(community=secret, invited_by=facilitator, addresses=invited.email)
    gone = membership_grant(
        community=secret, user=removed, role=Membership.Role.MEMBER, granted_by=admin
    )
    set_profile(removed, expertise=[SHARED_TAG])
    # Sponsors of the community itself see its home and dashboard, never its texts.
    sponsor = UserFactory()
    membership_grant(community=secret, user=sponsor, role=Membership.Role.SPONSOR, granted_by=admin)

    start = timezone.now()
    thread = thread_create(
        community=secret, author=colleague, kind="question", title="Vraag", body="Tekst"
    )
    meeting = meeting_create(
        community=secret,
        by=facilitator,
        kind=Meeting.Kind.MEETUP,
        title="Bijeenkomst",
        description="",
        starts_at=start - timedelta(hours=1),
        ends_at=start + timedelta(hours=1),
        time_zone="Europe/Amsterdam",
    )
    tomorrow = meeting_create(
        community=secret,
        by=facilitator,
        kind=Meeting.Kind.MEETUP,
        title="Morgen",
        description="",
        starts_at=start + timedelta(hours=20),
        ends_at=start + timedelta(hours=22),
        time_zone="Europe/Amsterdam",
    )
    # While still a member the removed persona watched everything and said yes; none of
    # it may reach them once they are out.
    subscription_set(user=removed, community=secret, level=Subscription.Level.WATCH)
    subscription_set(user=removed, thread=thread, level=Subscription.Level.WATCH)
    rsvp_set(meeting=tomorrow, user=removed, answer=Rsvp.Answer.YES)
    membership_remove(membership=gone, by=admin)
    for person in (member, colleague):
        subscription_set(user=person, community=secret, level=Subscription.Level.WATCH)
    people: dict[str, User | None] = {
        "anonymous": None,
        "outsider": outsider,
        "other_member": other_member,
        "other_sponsor": other_sponsor,
        "invited": invited,
        "removed": removed,
        "sponsor": sponsor,
    }
    return World(secret, other, facilitator, member, colleague, people, thread, meeting, tomorrow)


def _plant(w: World) -> None:
    for kind, plant in PLANTINGS:
        w.made[kind] = plant(w, marker(kind))
        w.member.refresh_from_db()
    for meeting in Meeting.objects.filter(community=w.secret, starts_at=w.tomorrow.starts_at):
        rsvp_set(meeting=meeting, user=w.colleague, answer=Rsvp.Answer.YES)
    answer_accept(thread=w.thread, reply=w.made["reply"], by=w.colleague)
    outputs_send(meeting=w.meeting, by=w.facilitator)


# --- collecting ------------------------------------------------------------------------


class _Links(HTMLParser):
    """The same-site URLs of a page: links, htmx GET fragments and frame sources."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in {"href", "hx-get", "data-hx-get", "src"}:
                self.urls.append(value)


def _same_site(url: str) -> str | None:
    url = urldefrag(url)[0]
    parts = urlsplit(url)
    if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
        return None
    if not parts.path.startswith("/") or parts.path.startswith(NEVER_FOLLOW):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Collected:
    """Every text one persona was given, by where it came from."""

    texts: dict[str, str] = field(default_factory=dict)
    fragments: set[str] = field(default_factory=set)
    echoes: dict[str, int] = field(default_factory=dict)  # pieces of markers per echo URL

    def add(self, where: str, response: Any) -> str:
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = f"{headers}\n{body.decode('utf-8', 'replace')}"
        self.texts[where] = text
        return text

    def found(self) -> Counter[str]:
        """How often each marker kind occurs, over everything collected."""
        counts: Counter[str] = Counter()
        for text in self.texts.values():
            text = text.lower()
            for kind in KINDS:
                counts[kind] += text.count(marker(kind))
            # Any other piece of a marker (cut short, say) counts too.
            counts["partial"] += text.count(PREFIX) - sum(text.count(marker(k)) for k in KINDS)
        return +counts

    def where(self, kind: str) -> list[str]:
        """Where a kind occurs, with the text around its first occurrence."""
        needle = PREFIX if kind == "partial" else marker(kind)
        places = []
        for where, text in self.texts.items():
            if (at := text.lower().find(needle)) >= 0:
                places.append(f"{where}: ...{text[max(at - 120, 0) : at + 40]!r}")
        return places


def _crawl(client: Client, seeds: Iterable[str], collected: Collected) -> None:
    queue = ["/", *seeds]
    limit = len(queue) + MAX_PAGES
    seen: set[str] = set()
    variants: Counter[str] = Counter()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = url.split("?")[0]
        if url in seen or ("?" in url and variants[path] >= MAX_VARIANTS):
            continue
        seen.add(url)
        variants[path] += 1
        response = _fetch(client, collected, url)
        text = response.content.decode("utf-8", "replace") if not response.streaming else ""
        if response.status_code in {301, 302} and (target := _same_site(response["Location"])):
            queue.append(target)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(text)
        for found in parser.urls:
            if (target := _same_site(found)) and target not in seen:
                queue.append(target)
        collected.fragments.update(
            target for v in re.findall(r'hx-get="([^"]+)"', text) if (target := _same_site(v))
        )


def _fetch(client: Client, collected: Collected, url: str) -> Any:
    """GET one URL and keep what it answered. A URL that itself holds a marker (a search,
    a tag filter, a slug made from a title) is echoed back by the page (search box,
    login redirect): its answer counts only when it holds more pieces of markers than the
    answer to the same URL with a marker planted nowhere (the echo alone)."""
    response = client.get(url)
    if PREFIX not in url.lower():
        collected.add(url, response)
        return response
    text = collected.add(url, response).lower()
    echo_url = re.sub(rf"{PREFIX}[a-z]*", ABSENT, url)
    if echo_url not in collected.echoes:
        echo = Collected().add("", client.get(echo_url)).lower().count(PREFIX)
        collected.echoes[echo_url] = echo
    if text.count(PREFIX) <= collected.echoes[echo_url]:
        collected.texts[url] = ""
    return response


def _endpoints(client: Client, w: World, user: User | None, collected: Collected) -> None:
    """What a crawl cannot find: queries, feeds, exports, previews."""
    slugs = [w.secret.slug, w.other.slug]
    for kind in KINDS:
        m = marker(kind)
        for path in ("/search/", "/meetings/search/", "/communities/people/experts/"):
            _fetch(client, collected, f"{path}?q={m}")
        for slug in slugs:
            _fetch(client, collected, f"/c/{slug}/threads/similar/?title={m}")
    # Names are suggested by their beginning: the prefix finds the marked name.
    for path in (f"/c/{w.secret.slug}/mentions/", f"/c/{w.other.slug}/mentions/"):
        _fetch(client, collected, f"{path}?q={PREFIX}")
    _fetch(client, collected, f"/t/{w.thread.pk}/mentions/?q={PREFIX}")
    fixed = [
        "/notifications/",
        "/digest/preview/",
        "/feed/",
        "/calendar/",
        "/value/mine/",
        "/value/dashboard/",
        "/value/dashboard/csv/",
        "/value/dashboard/print/",
        *(f"/value/c/{slug}/dashboard/{what}" for slug in slugs for what in ("", "csv/", "print/")),
    ]
    for path in fixed:
        _fetch(client, collected, path)
    if user is not None:
        token = calendar_feed_create(user=user)
        collected.add("calendar feed", client.get(f"/calendar/{token}.ics"))


def _run_mail_jobs(w: World, capture: Any) -> None:
    """Notifications (already recorded), digests, nudges, reminders, outputs, follow-ups:
    run as their schedules would, delivering what the outbox holds after each."""

    def deliver_due() -> None:
        with capture(execute=True):
            for pk in Message.objects.filter(state=Message.State.PENDING).values_list(
                "pk", flat=True
            ):
                message_deliver(message_id=pk)

    everyone = list(User.objects.values_list("pk", flat=True))
    now = timezone.now()
    local = now.astimezone(ZoneInfo("Europe/Amsterdam"))

    def local_day(days: int, hour: int) -> datetime:
        day = local + timedelta(days=days)
        return datetime(day.year, day.month, day.day, hour, 30, tzinfo=day.tzinfo)

    # Digests are weekly by default, on Mondays: the first Monday morning after today.
    monday = local_day(7 - local.weekday(), settings.COP_DIGEST_HOUR)
    jobs: list[tuple[datetime, Callable[[], object]]] = [
        (now, send_reminders),
        # Past the grouping delay of notifications; follow-ups are recorded then.
        (now + timedelta(hours=1), send_due_follow_ups),
        (monday, lambda: digests_build(user_ids=everyone, now=monday.isoformat())),
        # The unanswered question, days later, in office hours.
        (local_day(4, 11), nudges_record),
        (now + timedelta(days=settings.COP_VALUE_FOLLOW_UP_DAYS + 1), send_due_follow_ups),
    ]
    for moment, job in sorted(jobs, key=lambda pair: pair[0]):
        with time_machine.travel(moment, tick=False):
            with capture(execute=True):
                job()
            deliver_due()


def _emails_to(address: str) -> str:
    texts = []
    for message in mail.outbox:
        if address in message.to:
            texts.append(f"{message.subject}\n{message.body}")
            texts.extend(str(content) for content, _type in message.alternatives)
    return "\n".join(texts)


def _export_text(user: User, capture: Any) -> str:
    """Everything in the person's data export (the zip the privacy page offers)."""
    with capture(execute=True):
        export = export_request(user=user)
    export.refresh_from_db()
    with export.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )


def test_no_marker_leaves_the_confidential_community(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        w = _build()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _plant(w)
    _run_mail_jobs(w, django_capture_on_commit_callbacks)

    # The positive control: members of the community, crawling the same way, and its
    # facilitator (the console and the notes are theirs alone; the personas outside then
    # ask for those addresses too). One collection each: a page shows each person their
    # own (their value log, say), so one would overwrite the other's.
    insiders: list[Collected] = []
    for insider in (w.colleague, w.member, w.facilitator):
        seen = Collected()
        client = Client()
        client.force_login(insider)
        _crawl(client, sorted(url for done in insiders for url in done.texts), seen)
        insiders.append(seen)
    found = sum((done.found() for done in insiders), Counter())
    missing = [kind for kind in KINDS if not found[kind]]
    assert missing == [], f"the insiders' crawl never met: {missing}"
    member_urls = sorted({url for done in insiders for url in done.texts})
    # ...and the endpoints a crawl cannot find do answer a member with the markers.
    queried = Collected()
    client.force_login(w.colleague)
    _endpoints(client, w, w.colleague, queried)
    answered = {
        where.split("?")[0] for where, text in queried.texts.items() if PREFIX in text.lower()
    }
    assert answered >= {
        "/search/",
        "/meetings/search/",
        "/communities/people/experts/",
        f"/c/{w.secret.slug}/threads/similar/",
        f"/c/{w.secret.slug}/mentions/",
        f"/t/{w.thread.pk}/mentions/",
        "calendar feed",
    }, answered
    inside_mail = _emails_to(w.colleague.email) + _emails_to(w.member.email)
    assert PREFIX in inside_mail.lower(), "no email inside the community carried a marker"
    # The author's own data export holds what they wrote: the export is read below too.
    assert PREFIX in _export_text(w.member, django_capture_on_commit_callbacks).lower()

    leaks = []
    # What the community's own sponsors may see by design, on its dashboard only
    # (docs/value-cycles.md: its themes and the titles of published knowledge pages).
    allowed = {"sponsor": ("/value/", [marker("tag"), marker("knowledgetitle")])}
    for persona, user in w.people.items():
        collected = Collected()
        client = Client()
        if user is not None:
            client.force_login(user)
        _crawl(client, member_urls, collected)
        _endpoints(client, w, user, collected)
        if user is not None:
            collected.texts["email"] = _emails_to(user.email)
            collected.texts["data export"] = _export_text(user, django_capture_on_commit_callbacks)
        if persona in allowed:
            prefix, markers = allowed[persona]
            for where, text in collected.texts.items():
                if where.startswith(prefix):
                    collected.texts[where] = re.sub("|".join(markers), "", text.lower())
        for kind, count in collected.found().items():
            leaks.append(f"{persona}: {kind} x{count} in {collected.where(kind)[:3]}")
    assert leaks == [], "\n".join(leaks)
