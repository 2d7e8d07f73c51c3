"""The Content-Security-Policy holds on the main pages: nothing on them is refused (no
inline script or style was left behind), and htmx still works under it."""

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from communities.models import Community
from discussions.services.knowledge import knowledge_page_create
from discussions.services.posts import reply_create, thread_create
from members.models import User

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any page script; the CSP does not apply to scripts added by the driver.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " " + (event.blockedURI || "inline") + " " + event.sourceFile
    + ":" + event.lineNumber + " " + event.sample
  );
});
"""


class Recorder:
    """Console errors and CSP violations of every page a test loads."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console_errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(f"{page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__cspViolations || []"))

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy
        assert "'unsafe-eval'" not in policy
        assert "'nonce-" in policy, path
        self.page.wait_for_load_state("load")
        assert self.violations() == [], path


def _log_in(page: Page, live_server: Any, user: User) -> None:
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_main_pages_raise_no_csp_violation(
    page: Page, live_server: Any, community: Community, facilitator: User, member: User
) -> None:
    thread = thread_create(
        community=community, author=member, kind="question", title="Klein beginnen?", body="*Hoe?*"
    )
    reply_create(thread=thread, author=facilitator, body="Begin **klein**.")
    knowledge = knowledge_page_create(
        community=community,
        by=facilitator,
        title="Starten",
        body="Eerst *luisteren*.",
        visibility="community",
    )
    recorder = Recorder(page)
    for path in ("/", "/accounts/login/code/", "/accounts/signup/"):
        recorder.visit(path)

    _log_in(page, live_server, facilitator)
    for path in (
        "/",
        "/feed/",
        "/communities/",
        f"/communities/{community.slug}/",
        f"/communities/{community.slug}/members/",
        f"/communities/{community.slug}/invitations/",
        f"/communities/{community.slug}/settings/",
        f"/c/{community.slug}/threads/",
        f"/c/{community.slug}/threads/new/",
        thread.get_absolute_url(),
        f"/c/{community.slug}/knowledge/",
        knowledge.get_absolute_url(),
        f"/c/{community.slug}/knowledge/{knowledge.slug}/history/",
        "/search/?q=klein",
        "/notifications/",
        "/account/",
        "/account/profile/",
        "/accounts/email/",
        "/communities/people/experts/",
        f"/c/{community.slug}/moderation/",
    ):
        recorder.visit(path)
    assert recorder.console_errors == []


def test_the_violation_listener_fires_on_an_inline_handler(
    page: Page, live_server: Any, member: User
) -> None:
    """Positive control: the recorder above would see a violation."""
    recorder = Recorder(page)
    _log_in(page, live_server, member)
    recorder.visit("/")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend',"
        ' \'<img alt="" src="/static/img/favicon.svg" onload="window.ran = 1">'
        '<p style="color: red">x</p>\')'
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.ran") is None
    kinds = " ".join(recorder.violations())
    assert "script-src" in kinds
    assert "style-src" in kinds


def test_htmx_posts_a_reaction_and_a_reply_under_the_policy(
    page: Page, live_server: Any, community: Community, member: User, core_member: User
) -> None:
    from discussions.models import Reaction, Reply

    thread = thread_create(
        community=community, author=member, kind="question", title="Klein beginnen?", body="Hoe?"
    )
    reply = reply_create(thread=thread, author=core_member, body="Begin klein.")
    recorder = Recorder(page)
    htmx_requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            htmx_requests.append(request.url) if request.headers.get("hx-request") else None
        ),
    )
    _log_in(page, live_server, member)
    recorder.visit(thread.get_absolute_url())

    card = page.locator(f"#reply-{reply.pk}")
    card.locator(".react-more > summary").click()  # reactions not given yet wait there
    card.get_by_role("button", name="Thanks").click()
    expect(card.get_by_role("button", name="Thanks")).to_have_attribute("aria-pressed", "true")
    assert Reaction.objects.filter(reply=reply, user=member).count() == 1

    page.get_by_label("Your reply").fill("Met twee enthousiastelingen.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#replies")).to_contain_text("Met twee enthousiastelingen.")
    assert Reply.objects.filter(thread=thread, body__contains="enthousiastelingen").count() == 1
    assert any("/react/" in url for url in htmx_requests)
    assert any("/reply/" in url for url in htmx_requests)
    assert recorder.violations() == []
    assert recorder.console_errors == []


def test_a_rate_limited_htmx_click_shows_the_429_page_in_the_main_area(
    page: Page, live_server: Any, community: Community, member: User, core_member: User, settings
) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.COP_RATE_LIMITS = {**settings.COP_RATE_LIMITS, "reaction": "1/h"}
    thread = thread_create(
        community=community, author=member, kind="question", title="Klein beginnen?", body="Hoe?"
    )
    reply = reply_create(thread=thread, author=core_member, body="Begin klein.")
    recorder = Recorder(page)
    _log_in(page, live_server, member)
    recorder.visit(thread.get_absolute_url())
    card = page.locator(f"#reply-{reply.pk}")
    card.locator(".react-more > summary").click()  # reactions not given yet wait there
    card.get_by_role("button", name="Thanks").click()
    expect(card.get_by_role("button", name="Thanks")).to_have_attribute("aria-pressed", "true")
    card.locator(".react-more > summary").click()
    card.get_by_role("button", name="Insightful").click()
    expect(page.get_by_role("heading", name="A moment, please")).to_be_visible()
    assert page.locator("header.site-header").count() == 1
    assert recorder.violations() == []
