"""Subscriptions: watch / normal / mute per thread and per community, and the effective
level (thread setting, else community setting, else watch for the author)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client

from communities.models import Community
from discussions.models import Subscription, Thread
from discussions.selectors.subscriptions import community_subscription_level, subscription_level
from discussions.services.subscriptions import subscription_set
from members.models import User

pytestmark = pytest.mark.django_db


def test_authors_watch_their_own_threads(thread: Thread, member: User) -> None:
    assert subscription_level(member, thread) == "watch"


def test_everyone_else_is_at_normal(thread: Thread, core_member: User) -> None:
    assert subscription_level(core_member, thread) == "normal"


def test_a_community_setting_applies_to_its_threads_also_the_authors(
    community: Community, thread: Thread, member: User
) -> None:
    subscription_set(user=member, community=community, level="mute")
    assert subscription_level(member, thread) == "mute"


def test_a_thread_setting_beats_the_community_setting(
    community: Community, thread: Thread, core_member: User
) -> None:
    subscription_set(user=core_member, community=community, level="mute")
    subscription_set(user=core_member, thread=thread, level="watch")
    assert subscription_level(core_member, thread) == "watch"


def test_the_level_is_one_query(
    thread: Thread, core_member: User, django_assert_num_queries: object
) -> None:
    with django_assert_num_queries(1):  # type: ignore[operator]
        subscription_level(core_member, thread)


def test_setting_twice_keeps_one_row(thread: Thread, core_member: User) -> None:
    subscription_set(user=core_member, thread=thread, level="watch")
    subscription_set(user=core_member, thread=thread, level="mute")
    assert Subscription.objects.get(user=core_member).level == "mute"


def test_only_readers_may_subscribe(
    community: Community, thread: Thread, outsider: User, sponsor: User
) -> None:
    for user in (outsider, sponsor):
        with pytest.raises(PermissionDenied):
            subscription_set(user=user, thread=thread, level="watch")
        with pytest.raises(PermissionDenied):
            subscription_set(user=user, community=community, level="watch")


def test_a_subscription_has_one_target(community: Community, thread: Thread, member: User) -> None:
    with pytest.raises(ValueError):
        subscription_set(user=member, thread=thread, community=community, level="watch")
    with pytest.raises(ValueError):
        subscription_set(user=member, thread=thread, level="loud")


# Views ---------------------------------------------------------------------------------


def test_setting_a_thread_level_without_javascript_redirects_to_the_thread(
    thread: Thread, core_member: User, client: Client
) -> None:
    client.force_login(core_member)
    response = client.post(f"/t/{thread.pk}/subscription/", {"level": "watch"})
    assert response.status_code == 302
    assert response["Location"] == f"/t/{thread.pk}/"
    assert subscription_level(core_member, thread) == "watch"


def test_with_htmx_the_form_comes_back_updated(
    thread: Thread, core_member: User, client: Client
) -> None:
    client.force_login(core_member)
    response = client.post(
        f"/t/{thread.pk}/subscription/", {"level": "mute"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="mute" id="subscription-' in content
    assert f'value="mute" id="subscription-{thread.pk}-mute" checked' in content
    assert "HX-Request" in response["Vary"]


def test_an_unknown_level_is_refused(thread: Thread, core_member: User, client: Client) -> None:
    client.force_login(core_member)
    assert client.post(f"/t/{thread.pk}/subscription/", {"level": "loud"}).status_code == 400
    assert not Subscription.objects.exists()


def test_the_thread_subscription_is_404_for_who_cannot_read_it(
    thread: Thread, outsider: User, sponsor: User, client: Client
) -> None:
    for user in (outsider, sponsor):
        client.force_login(user)
        response = client.post(f"/t/{thread.pk}/subscription/", {"level": "watch"})
        assert response.status_code == 404
    assert not Subscription.objects.exists()


def test_setting_a_level_is_a_post(thread: Thread, member: User, client: Client) -> None:
    client.force_login(member)
    assert client.get(f"/t/{thread.pk}/subscription/?level=mute").status_code == 405


def test_watching_a_community_redirects_to_its_threads(
    community: Community, core_member: User, client: Client
) -> None:
    client.force_login(core_member)
    response = client.post(f"/c/{community.slug}/subscription/", {"level": "watch"})
    assert response["Location"] == f"/c/{community.slug}/threads/"
    assert community_subscription_level(core_member, community) == "watch"


def test_a_sponsor_may_not_watch_members_only_discussions(
    community: Community, sponsor: User, client: Client
) -> None:
    client.force_login(sponsor)
    response = client.post(f"/c/{community.slug}/subscription/", {"level": "watch"})
    assert response.status_code == 403


def test_the_component_shows_the_current_level(thread: Thread, member: User, rf: object) -> None:
    html = render_to_string(
        "discussions/components/subscription.html",
        {"thread": thread, "subscription_level": "watch"},
    )
    assert f'action="/t/{thread.pk}/subscription/"' in html
    assert f'id="subscription-{thread.pk}-watch" checked' in html


def test_the_community_component_posts_to_the_community(community: Community) -> None:
    html = render_to_string(
        "discussions/components/subscription.html",
        {"thread": None, "community": community, "subscription_level": "normal"},
    )
    assert f'action="/c/{community.slug}/subscription/"' in html
    assert f'id="subscription-{community.slug}-normal" checked' in html
