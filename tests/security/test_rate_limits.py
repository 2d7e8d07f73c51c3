"""Every rate-limit rule of members/ratelimits.py: the request over the limit gets HTTP
429 with the friendly page in the person's language, and nothing is done."""

import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_ratelimit.exceptions import Ratelimited
from PIL import Image

from communities.models import Community, Invitation
from discussions.models import Flag, Reaction, Reply, Thread
from discussions.services.posts import reply_create, thread_create
from members.models import User
from members.permissions import PROFILE_FIELDS
from members.ratelimits import rate_limit, rule_rates

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings) -> Callable[..., None]:
    settings.RATELIMIT_ENABLE = True

    def set_rules(**rules: str) -> None:
        settings.COP_RATE_LIMITS = {**settings.COP_RATE_LIMITS, **rules}

    return set_rules


@pytest.fixture
def thread(community: Community, member: User) -> Thread:
    return thread_create(
        community=community, author=member, kind="question", title="Klein beginnen?", body="Hoe?"
    )


def _signed_in(client: Client, user: User, language: str = "en") -> Client:
    User.objects.filter(pk=user.pk).update(language=language)
    client.force_login(user)
    return client


def assert_refused(response, text: str = "A moment, please") -> None:
    assert response.status_code == 429
    assert text in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "private, no-store"


def test_replies_need_seconds_between_them(
    client: Client, limits, thread: Thread, core_member: User
) -> None:
    limits(post="1/h")
    _signed_in(client, core_member)
    url = f"/t/{thread.pk}/reply/"
    assert client.post(url, {"body": "Eerste."}).status_code == 302
    assert_refused(client.post(url, {"body": "Tweede, meteen erachteraan."}))
    assert Reply.objects.filter(thread=thread).count() == 1


def test_new_threads_need_seconds_between_them(
    client: Client, limits, community: Community, member: User
) -> None:
    limits(post="1/h")
    _signed_in(client, member)
    url = f"/c/{community.slug}/threads/new/"
    data = {"kind": "question", "title": "Eerste vraag", "body": "Wie weet dit?", "tags": ""}
    assert client.post(url, data).status_code == 302
    assert_refused(client.post(url, {**data, "title": "Tweede vraag"}))
    assert Thread.objects.filter(community=community).count() == 1


def test_a_daily_cap_counts_besides_the_seconds_between_posts(
    client: Client, limits, thread: Thread, core_member: User
) -> None:
    limits(post="5/h;2/d")
    _signed_in(client, core_member)
    url = f"/t/{thread.pk}/reply/"
    for text in ("Een.", "Twee."):
        assert client.post(url, {"body": text}).status_code == 302
    assert_refused(client.post(url, {"body": "Drie."}))


def test_reactions_are_limited(
    client: Client, limits, thread: Thread, core_member: User, member: User
) -> None:
    limits(reaction="2/h")
    reply = reply_create(thread=thread, author=member, body="Begin klein.")
    _signed_in(client, core_member)
    url = f"/replies/{reply.pk}/react/"
    for kind in ("thanks", "insightful"):
        assert client.post(url, {"kind": kind}).status_code in (200, 302)
    assert_refused(client.post(url, {"kind": "same_here"}))
    assert Reaction.objects.filter(user=core_member).count() == 2


def test_value_taps_are_limited(
    client: Client, limits, thread: Thread, core_member: User, member: User
) -> None:
    from value_cycles.models import ValueEvent

    limits(value_tap="2/h")
    replies = [reply_create(thread=thread, author=member, body=f"Tip {n}.") for n in range(3)]
    _signed_in(client, core_member)
    for reply in replies[:2]:
        assert client.post(f"/value/reply/{reply.pk}/helped/").status_code == 302
    assert_refused(client.post(f"/value/reply/{replies[2].pk}/helped/"))
    assert ValueEvent.objects.filter(member=core_member).count() == 2


def test_flags_are_limited(
    client: Client, limits, thread: Thread, core_member: User, member: User
) -> None:
    limits(flag="1/h")
    first, second = (reply_create(thread=thread, author=member, body=b) for b in ("A.", "B."))
    _signed_in(client, core_member)
    assert client.post(f"/r/{first.pk}/flag/", {"reason": "Onaardig."}).status_code == 302
    assert_refused(client.post(f"/r/{second.pk}/flag/", {"reason": "Ook onaardig."}))
    assert Flag.objects.count() == 1


def test_showing_the_flag_form_does_not_count(
    client: Client, limits, thread: Thread, core_member: User, member: User
) -> None:
    limits(flag="1/h")
    reply = reply_create(thread=thread, author=member, body="A.")
    _signed_in(client, core_member)
    for _attempt in range(3):
        assert client.get(f"/r/{reply.pk}/flag/").status_code == 200
    assert client.post(f"/r/{reply.pk}/flag/", {"reason": "Onaardig."}).status_code == 302


def test_search_is_limited(client: Client, limits, member: User) -> None:
    limits(search="2/h")
    _signed_in(client, member)
    for _attempt in range(2):
        assert client.get("/search/", {"q": "klein"}).status_code == 200
    assert_refused(client.get("/search/", {"q": "klein"}))


def test_mention_suggestions_are_limited(
    client: Client, limits, thread: Thread, community: Community, member: User
) -> None:
    limits(mentions="2/h")
    _signed_in(client, member)
    assert client.get(f"/t/{thread.pk}/mentions/", {"q": "f"}).status_code == 200
    assert client.get(f"/c/{community.slug}/mentions/", {"q": "f"}).status_code == 200
    assert_refused(client.get(f"/t/{thread.pk}/mentions/", {"q": "f"}))


def test_invitations_are_limited_per_facilitator_per_day(
    client: Client, limits, facilitator: User, community: Community
) -> None:
    limits(invitation="1/d")
    _signed_in(client, facilitator)
    url = f"/communities/{community.slug}/invitations/"
    data = {"addresses": "ann@example.org", "message": "", "expires_in_days": "7"}
    assert client.post(url, data).status_code == 200
    assert client.get(url).status_code == 200  # looking at the list never counts
    assert_refused(client.post(url, {**data, "addresses": "bob@example.org"}))
    assert list(Invitation.objects.values_list("email", flat=True)) == ["ann@example.org"]


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def test_photo_uploads_are_limited_but_other_profile_saves_are_not(
    client: Client, limits, member: User
) -> None:
    limits(upload="1/h")
    _signed_in(client, member)
    data = {
        "display_name": "Ria",
        "new_organization_kind": "other",
        **{f"visibility_{name}": "shared" for name in PROFILE_FIELDS},
    }
    assert client.post("/account/profile/", {**data, "avatar": _photo()}).status_code == 302
    assert_refused(client.post("/account/profile/", {**data, "avatar": _photo()}))
    assert client.post("/account/profile/", data).status_code == 302


def test_the_429_page_is_in_the_persons_language(client: Client, limits, member: User) -> None:
    limits(search="1/h")
    _signed_in(client, member, language="nl")
    client.get("/search/", {"q": "klein"})
    response = client.get("/search/", {"q": "klein"})
    assert response.status_code == 429
    assert 'lang="nl"' in response.content.decode()
    assert "Even geduld" in response.content.decode()


def test_limits_count_per_person(client: Client, limits, member: User, core_member: User) -> None:
    limits(search="1/h")
    _signed_in(client, member)
    assert client.get("/search/").status_code == 200
    assert client.get("/search/").status_code == 429
    assert _signed_in(Client(), core_member).get("/search/").status_code == 200


def test_rules_are_read_from_settings_and_unknown_rules_fail_early(settings) -> None:
    settings.COP_RATE_LIMITS = {**settings.COP_RATE_LIMITS, "search": "5/m;100/d"}
    assert rule_rates("search") == ["5/m", "100/d"]
    with pytest.raises(KeyError):
        rate_limit("no-such-rule")


def test_an_htmx_request_over_the_limit_replaces_the_main_area(
    client: Client, limits, member: User
) -> None:
    limits(search="1/h")
    _signed_in(client, member)
    client.get("/search/", headers={"HX-Request": "true"})
    response = client.get("/search/", headers={"HX-Request": "true"})
    assert response.status_code == 429
    assert (response["HX-Retarget"], response["HX-Reselect"]) == ("#main", "#main")
    assert response["HX-Reswap"] == "outerHTML"
    assert 'id="main"' in response.content.decode()


def test_behind_the_proxy_each_client_has_its_own_bucket(limits, settings, rf) -> None:
    # Every request reaches the app from the proxy's address; the proxy appends the
    # client's own to X-Forwarded-For. Trusting one proxy, two clients count apart.
    limits(search="1/h")

    @rate_limit("search", key="ip", methods=("GET",))
    def view(request):  # type: ignore[no-untyped-def]
        from django.http import HttpResponse

        return HttpResponse("ok")

    def status(client_address: str) -> int:
        request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)
        try:
            return view(request).status_code
        except Ratelimited:  # the middleware answers it with the 429 page
            return 429

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert (status("203.0.113.7"), status("203.0.113.7")) == (200, 429)
    assert status("198.51.100.9") == 200
    # A client cannot pick its bucket by sending its own X-Forwarded-For: the proxy
    # appends the real address, and only the last entry is trusted.
    assert status("198.51.100.200, 203.0.113.7") == 429

    # Trusting no proxy, the connection's address counts: everyone behind it shares it.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.COP_RATE_LIMITS = {**settings.COP_RATE_LIMITS, "search": "1/m"}  # a new bucket
    assert (status("192.0.2.1"), status("192.0.2.2")) == (200, 429)


def test_one_click_email_pages_are_limited_per_address(limits, member: User) -> None:
    from outbox.links import action_url
    from outbox.models import Preference

    limits(email_link="2/h")
    User.objects.filter(pk=member.pk).update(language="en")
    url = action_url(user_id=member.pk, action="stop", params={"kind": "digest", "community": None})
    path = url.split("://", 1)[1].split("/", 1)[1]
    stranger = Client()
    assert stranger.get(f"/{path}").status_code == 200
    assert stranger.get(f"/{path}").status_code == 200
    # No session: the page is in the site's language.
    assert_refused(stranger.post(f"/{path}", {"List-Unsubscribe": "One-Click"}), "Even geduld")
    assert not Preference.objects.filter(user=member).exists()
    # Another address is counted apart.
    assert Client(REMOTE_ADDR="10.0.0.9").get(f"/{path}").status_code == 200


def test_one_click_rsvp_links_are_limited_per_address(
    limits, community: Community, facilitator: User, member: User
) -> None:
    from meetings.links import rsvp_path
    from tests.meetings.helpers import plan

    limits(email_link="1/h")
    meeting = plan(community, facilitator)
    path = rsvp_path(meeting=meeting, user=member, answer="yes")
    assert Client().get(path).status_code == 200
    assert_refused(Client().post(path), "Even geduld")
    assert not meeting.rsvps.filter(user=member).exists()


def test_calendar_feeds_are_limited_per_address(limits, member: User) -> None:
    from django.urls import reverse

    from meetings.services.calendar import calendar_feed_create

    limits(calendar_feed="2/h")
    url = reverse("meetings:calendar-feed", kwargs={"token": calendar_feed_create(user=member)})
    assert Client().get(url).status_code == 200
    assert Client().get(url).status_code == 200
    assert_refused(Client().get(url), "Even geduld")


def test_value_follow_up_links_are_limited_per_address(limits) -> None:
    from django.urls import reverse

    limits(email_link="1/h")
    url = reverse("value_cycles:follow-up", kwargs={"token": "not-a-token"})
    assert Client().get(url).status_code == 404
    assert_refused(Client().get(url), "Even geduld")
