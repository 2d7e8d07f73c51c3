"""Flags, the facilitators' queue, hide/lock/pin/move, mutes and the new-member limit."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from communities.models import AuditEvent, Community, Membership
from communities.services.communities import community_create
from communities.services.memberships import membership_grant
from discussions.fragments import reply_card_context
from discussions.models import Flag, Reply, Thread
from discussions.permissions import can_reply, is_muted, replies_visible_to
from discussions.selectors.threads import reply_rows_for_thread
from discussions.services.moderation import (
    ensure_may_post,
    flag_create,
    member_mute,
    member_unmute,
    post_set_hidden,
    thread_move,
    thread_set_locked,
    thread_set_pinned,
)
from discussions.services.posts import reply_create, thread_create
from discussions.tree import ReplyNode
from members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
A = AuditEvent.Action


def _community(admin: User, facilitator: User, slug: str, **extra: object) -> Community:
    return community_create(
        creator=admin,
        facilitator=facilitator,
        name=slug.title(),
        slug=slug,
        focus="f",
        urgency="u",
        member_value="m",
        **extra,
    )


def _thread(community: Community, author: User, title: str = "Hoe begin je?") -> Thread:
    return thread_create(
        community=community, author=author, kind=Thread.Kind.QUESTION, title=title, body="Tips?"
    )


@pytest.fixture
def thread(community: Community, member: User) -> Thread:
    return _thread(community, member)


@pytest.fixture
def other_member(community: Community, site_admin: User) -> User:
    user = UserFactory(display_name="Olga Other")
    membership_grant(
        community=community, user=user, role=Membership.Role.MEMBER, granted_by=site_admin
    )
    return user


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


# Flags and the queue


def test_a_flagged_post_reaches_the_queue_and_hiding_it_resolves_the_flag(
    client: Client, thread: Thread, other_member: User, facilitator: User
) -> None:
    _login(client, other_member)
    response = client.post(f"/t/{thread.pk}/flag/", {"reason": "Reclame."})
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.thread, flag.community, flag.reporter) == (thread, thread.community, other_member)

    _login(client, facilitator)
    queue = client.get("/c/e-health/moderation/")
    assert list(queue.context["page"].object_list) == [flag]
    assert "Reclame." in queue.content.decode()

    response = client.post(f"/t/{thread.pk}/moderate/", {"action": "hide"})
    assert response.status_code == 302
    thread.refresh_from_db()
    flag.refresh_from_db()
    assert thread.is_hidden
    assert flag.resolved_by == facilitator
    assert list(client.get("/c/e-health/moderation/").context["page"].object_list) == []
    event = AuditEvent.objects.get(action=A.POST_HIDDEN)
    assert (event.actor, event.subject) == (facilitator, thread.author)
    assert event.detail == {"thread_id": thread.pk, "resolved_flag_ids": [flag.pk]}


def test_a_reply_can_be_flagged_too(
    client: Client, thread: Thread, facilitator: User, other_member: User
) -> None:
    reply = reply_create(thread=thread, author=facilitator, body="Begin klein.")
    _login(client, other_member)
    assert client.get(f"/r/{reply.pk}/flag/").status_code == 200
    assert client.post(f"/r/{reply.pk}/flag/", {"reason": "Onaardig."}).status_code == 302
    flag = Flag.objects.get()
    assert (flag.reply, flag.thread) == (reply, None)


def test_reporting_the_same_post_twice_is_refused_kindly(
    client: Client, thread: Thread, other_member: User
) -> None:
    flag_create(reporter=other_member, post=thread, reason="Spam.")
    with pytest.raises(ValidationError) as refused:
        flag_create(reporter=other_member, post=thread, reason="Nog steeds spam.")
    assert refused.value.code == "duplicate"
    _login(client, other_member)
    response = client.post(f"/t/{thread.pk}/flag/", {"reason": "Echt."}, follow=True)
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    assert Flag.objects.count() == 1


def test_a_flag_needs_a_reason(client: Client, thread: Thread, other_member: User) -> None:
    _login(client, other_member)
    response = client.post(f"/t/{thread.pk}/flag/", {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Flag.objects.exists()


def test_resolving_a_flag_keeps_the_post_and_is_audit_logged(
    client: Client, thread: Thread, other_member: User, facilitator: User
) -> None:
    flag = flag_create(reporter=other_member, post=thread, reason="Twijfel.")
    _login(client, facilitator)
    response = client.post(f"/c/e-health/moderation/flags/{flag.pk}/resolve/")
    assert response.status_code == 302
    flag.refresh_from_db()
    thread.refresh_from_db()
    assert flag.resolved_at is not None and not thread.is_hidden
    event = AuditEvent.objects.get(action=A.FLAG_RESOLVED)
    assert event.detail == {"flag_id": flag.pk, "thread_id": thread.pk}


def test_members_get_403_and_strangers_404_on_the_queue(
    client: Client, community: Community, member: User, site_admin: User, facilitator: User
) -> None:
    _community(site_admin, facilitator, "geheim", is_listed=False)
    _login(client, member)
    assert client.get("/c/e-health/moderation/").status_code == 403
    assert client.get("/c/geheim/moderation/").status_code == 404
    assert client.get("/moderation/").status_code == 403


def test_site_admins_see_open_flags_of_every_community(
    client: Client, thread: Thread, other_member: User, site_admin: User, facilitator: User
) -> None:
    elsewhere = _community(site_admin, facilitator, "elders")
    other_thread = _thread(elsewhere, facilitator)
    flags = [
        flag_create(reporter=other_member, post=thread, reason="a"),
        flag_create(reporter=facilitator, post=other_thread, reason="b"),
    ]
    _login(client, site_admin)
    assert list(client.get("/moderation/").context["page"].object_list) == flags
    _login(client, facilitator)
    assert client.get("/moderation/").status_code == 403


@pytest.mark.parametrize("flags", [1, 12])
def test_moderation_queue_query_count_does_not_grow(
    client: Client,
    community: Community,
    facilitator: User,
    other_member: User,
    flags: int,
    django_assert_num_queries,
    settings,
) -> None:
    settings.COP_NEW_MEMBER_POSTS_PER_DAY = 100
    for i in range(flags):
        thread = _thread(community, other_member, title=f"Vraag {i}")
        reply = reply_create(thread=thread, author=other_member, body="Antwoord")
        flag_create(reporter=facilitator, post=thread if i % 2 else reply, reason="x")
    member_mute(community=community, user=other_member, by=facilitator, days=1, reason="rust")
    _login(client, facilitator)
    client.get("/")  # settle the session
    # session, user (with the viewer's access), community, flag count, flag page, mutes
    with django_assert_num_queries(6):
        response = client.get("/c/e-health/moderation/")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == flags


# Hidden posts


def test_a_hidden_thread_is_seen_only_by_its_author_and_the_moderators(
    client: Client, thread: Thread, member: User, other_member: User, facilitator: User
) -> None:
    post_set_hidden(post=thread, by=facilitator, hidden=True)
    assert _login(client, other_member).get(f"/t/{thread.pk}/").status_code == 404
    assert _login(client, member).get(f"/t/{thread.pk}/").status_code == 200
    assert _login(client, facilitator).get(f"/t/{thread.pk}/").status_code == 200
    post_set_hidden(post=thread, by=facilitator, hidden=False)
    assert _login(client, other_member).get(f"/t/{thread.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action=A.POST_UNHIDDEN).count() == 1


def test_a_hidden_reply_is_seen_only_by_its_author_and_the_moderators(
    client: Client, thread: Thread, member: User, other_member: User, facilitator: User
) -> None:
    reply = reply_create(thread=thread, author=member, body="Kijk op mijn site.")
    _login(client, facilitator)
    response = client.post(f"/r/{reply.pk}/moderate/", {"action": "hide"})
    # From a cached reply card (no `next`): back to the reply on its page.
    assert response.status_code == 302 and response.url == f"/t/{thread.pk}/#reply-{reply.pk}"
    assert Reply.objects.get(pk=reply.pk).is_hidden
    assert _login(client, other_member).get(f"/r/{reply.pk}/flag/").status_code == 404
    assert _login(client, member).get(f"/r/{reply.pk}/flag/").status_code == 200


def test_hiding_twice_records_once(thread: Thread, facilitator: User) -> None:
    post_set_hidden(post=thread, by=facilitator, hidden=True)
    post_set_hidden(post=thread, by=facilitator, hidden=True)
    assert AuditEvent.objects.filter(action=A.POST_HIDDEN).count() == 1


def test_members_may_not_moderate(client: Client, thread: Thread, other_member: User) -> None:
    _login(client, other_member)
    assert client.post(f"/t/{thread.pk}/moderate/", {"action": "hide"}).status_code == 403
    with pytest.raises(PermissionDenied):
        post_set_hidden(post=thread, by=other_member, hidden=True)


def test_moderation_actions_refuse_get(client: Client, thread: Thread, facilitator: User) -> None:
    _login(client, facilitator)
    assert client.get(f"/t/{thread.pk}/moderate/").status_code == 405


def test_the_thread_page_components_run_no_queries(
    rf, thread: Thread, member: User, facilitator: User, django_assert_num_queries
) -> None:
    reply = reply_create(thread=thread, author=member, body="Antwoord")
    thread = Thread.objects.select_related("community").get(pk=thread.pk)
    request = rf.get(f"/t/{thread.pk}/")
    request.user = facilitator
    context = {"thread": thread, "can_moderate": True, "can_flag": True, "request": request}
    [row] = reply_rows_for_thread(facilitator, thread)
    card = reply_card_context(
        ReplyNode(reply=row, depth=0),
        thread=thread,
        can_reply=True,
        can_react=True,
        can_accept=False,
        can_moderate=True,
        can_flag=True,
    )
    with django_assert_num_queries(0):
        tools = render_to_string(
            "discussions/components/moderation_tools.html", context, request=request
        )
        thread_flag = render_to_string(
            "discussions/components/flag_link.html", context, request=request
        )
        reply_card = render_to_string("discussions/components/reply_card.html", card)
    assert f"/t/{thread.pk}/moderate/" in tools and f"/t/{thread.pk}/move/" in tools
    assert f"/t/{thread.pk}/flag/" in thread_flag
    assert (
        f"/r/{reply.pk}/flag/" in reply_card
        and f'formaction="/r/{reply.pk}/moderate/"' in reply_card
    )


# Lock, pin, move


def test_a_locked_thread_takes_replies_from_moderators_only(
    thread: Thread, member: User, facilitator: User
) -> None:
    thread_set_locked(thread=thread, by=facilitator, locked=True)
    assert not can_reply(member, thread)
    with pytest.raises(PermissionDenied):
        reply_create(thread=thread, author=member, body="Toch nog iets.")
    reply_create(thread=thread, author=facilitator, body="Afgesloten, zie de samenvatting.")
    thread_set_locked(thread=thread, by=facilitator, locked=False)
    assert can_reply(member, thread)
    actions = AuditEvent.objects.filter(detail__thread_id=thread.pk).values_list(
        "action", flat=True
    )
    assert set(actions) == {A.THREAD_LOCKED, A.THREAD_UNLOCKED}


def test_pinning_through_the_thread_tools(
    client: Client, thread: Thread, facilitator: User
) -> None:
    _login(client, facilitator)
    client.post(f"/t/{thread.pk}/moderate/", {"action": "pin", "next": "/c/e-health/threads/"})
    thread.refresh_from_db()
    assert thread.is_pinned
    thread_set_pinned(thread=thread, by=facilitator, pinned=False)
    thread.refresh_from_db()
    assert not thread.is_pinned
    assert AuditEvent.objects.filter(action__in=[A.THREAD_PINNED, A.THREAD_UNPINNED]).count() == 2


def test_moderation_redirects_only_to_this_site(
    client: Client, thread: Thread, facilitator: User
) -> None:
    _login(client, facilitator)
    response = client.post(
        f"/t/{thread.pk}/moderate/", {"action": "lock", "next": "https://evil.example/"}
    )
    assert response.url == f"/t/{thread.pk}/"


def test_a_thread_moves_only_to_communities_the_mover_moderates(
    client: Client,
    community: Community,
    thread: Thread,
    other_member: User,
    facilitator: User,
    site_admin: User,
) -> None:
    mine = _community(site_admin, facilitator, "mijn-tweede")
    not_mine = _community(site_admin, UserFactory(), "niet-van-mij")
    reply = reply_create(thread=thread, author=other_member, body="Antwoord")
    flag_create(reporter=other_member, post=reply, reason="x")

    _login(client, facilitator)
    form = client.get(f"/t/{thread.pk}/move/").context["form"]
    assert list(form.fields["community"].queryset) == [mine]
    response = client.post(f"/t/{thread.pk}/move/", {"community": not_mine.pk})
    assert response.status_code == 200 and response.context["form"].errors
    with pytest.raises(PermissionDenied):
        thread_move(thread=thread, by=facilitator, to=not_mine)

    assert client.post(f"/t/{thread.pk}/move/", {"community": mine.pk}).status_code == 302
    thread.refresh_from_db()
    assert thread.community == mine
    assert Flag.objects.get().community == mine
    moves = {e.community_id: e.detail for e in AuditEvent.objects.filter(action=A.THREAD_MOVED)}
    assert moves == {
        community.pk: {"thread_id": thread.pk, "to_community_id": mine.pk},
        mine.pk: {"thread_id": thread.pk, "from_community_id": community.pk},
    }


# Mutes


def test_a_muted_member_is_told_until_when_and_can_post_again_after(
    community: Community, member: User, facilitator: User
) -> None:
    mute = member_mute(community=community, user=member, by=facilitator, days=3, reason="Toon.")
    assert is_muted(member, community)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _thread(community, member)
    assert refused.value.code == "muted"
    assert str(timezone.localtime(mute.until).year) in refused.value.messages[0]
    assert "muted you" in refused.value.messages[0]
    with time_machine.travel(mute.until + timedelta(minutes=1)):
        assert not is_muted(member, community)
        _thread(community, member)
    event = AuditEvent.objects.get(action=A.MEMBER_MUTED)
    assert (event.subject, event.detail["days"]) == (member, 3)


def test_facilitators_mute_and_unmute_from_the_queue(
    client: Client, community: Community, member: User, facilitator: User
) -> None:
    _login(client, facilitator)
    assert client.get(f"/c/e-health/moderation/mute/{member.pk}/").status_code == 200
    response = client.post(
        f"/c/e-health/moderation/mute/{member.pk}/", {"days": 2, "reason": "Even afkoelen."}
    )
    assert response.status_code == 302
    assert is_muted(member, community)
    queue = client.get("/c/e-health/moderation/")
    assert [m.user for m in queue.context["mutes"]] == [member]
    assert client.post(f"/c/e-health/moderation/unmute/{member.pk}/").status_code == 302
    assert not is_muted(member, community)
    ensure_may_post(user=member, community=community)


@pytest.mark.parametrize("days", [0, 91])
def test_a_mute_lasts_one_to_ninety_days(
    client: Client, community: Community, member: User, facilitator: User, days: int
) -> None:
    _login(client, facilitator)
    response = client.post(
        f"/c/e-health/moderation/mute/{member.pk}/", {"days": days, "reason": "x"}
    )
    assert response.status_code == 200 and response.context["form"].errors["days"]
    with pytest.raises(ValidationError):
        member_mute(community=community, user=member, by=facilitator, days=days, reason="x")


def test_facilitators_cannot_be_muted(
    community: Community, facilitator: User, site_admin: User
) -> None:
    with pytest.raises(ValidationError):
        member_mute(community=community, user=facilitator, by=site_admin, days=1, reason="x")


def test_only_moderators_mute(community: Community, member: User, core_member: User) -> None:
    with pytest.raises(PermissionDenied):
        member_mute(community=community, user=member, by=core_member, days=1, reason="x")
    with pytest.raises(PermissionDenied):
        member_unmute(community=community, user=member, by=core_member)


def test_muting_someone_outside_the_community_is_404(
    client: Client, community: Community, facilitator: User, outsider: User
) -> None:
    _login(client, facilitator)
    assert client.get(f"/c/e-health/moderation/mute/{outsider.pk}/").status_code == 404


# New members' posting limit


def test_new_members_are_limited_per_day_with_a_clear_message(
    community: Community, member: User, settings
) -> None:
    settings.COP_NEW_MEMBER_POSTS_PER_DAY = 2
    first = _thread(community, member)
    reply_create(thread=first, author=member, body="Aanvulling")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _thread(community, member)
    assert refused.value.code == "rate_limited"
    assert "2 messages a day" in refused.value.messages[0]
    assert "post again from" in refused.value.messages[0]
    with time_machine.travel(first.created_at + timedelta(hours=24, minutes=1)):
        _thread(community, member)


def test_members_past_the_new_member_days_are_not_limited(
    community: Community, member: User, settings
) -> None:
    settings.COP_NEW_MEMBER_POSTS_PER_DAY = 1
    settings.COP_NEW_MEMBER_DAYS = 7
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        for _ in range(3):
            _thread(community, member)


def test_core_members_and_facilitators_are_not_limited(
    community: Community, core_member: User, facilitator: User, settings
) -> None:
    settings.COP_NEW_MEMBER_POSTS_PER_DAY = 1
    for _ in range(2):
        _thread(community, core_member)
        _thread(community, facilitator)


def test_moving_a_thread_moves_its_replies_community(
    community: Community, thread: Thread, other_member: User, facilitator: User, site_admin: User
) -> None:
    """Replies carry their thread's community (for visibility and search without a
    join): a move must carry it along, or the replies would stay readable by the old
    community's members and hidden from the new one's."""
    to = _community(site_admin, facilitator, "verhuisd")
    first = reply_create(thread=thread, author=other_member, body="Eerste")
    reply_create(thread=thread, author=facilitator, body="Tweede", parent=first)
    assert set(thread.replies.values_list("community_id", flat=True)) == {community.pk}
    thread_move(thread=thread, by=facilitator, to=to)
    assert set(thread.replies.values_list("community_id", flat=True)) == {to.pk}
    assert not replies_visible_to(other_member).filter(thread=thread).exists()
