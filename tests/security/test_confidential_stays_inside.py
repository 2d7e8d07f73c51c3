"""Content of a confidential community never changes community or visibility: a thread
is not moved out, the community is not made non-confidential, a knowledge page there is
not made public."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from communities.models import AuditEvent, Community
from communities.services.communities import community_update
from discussions.models import KnowledgePage, Thread
from discussions.selectors.moderation import thread_move_targets
from discussions.services.knowledge import knowledge_page_create
from discussions.services.moderation import thread_move
from discussions.services.posts import reply_create, thread_create
from members.models import User
from tests.conftest import make_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(site_admin: User, facilitator: User) -> Community:
    return make_community(
        site_admin, facilitator, "geheim", is_confidential=True, join_policy="invite"
    )


@pytest.fixture
def secret_thread(secret: Community, facilitator: User) -> Thread:
    thread = thread_create(
        community=secret, author=facilitator, kind="question", title="Fusie?", body="Intern."
    )
    reply_create(thread=thread, author=facilitator, body="Nog geheim.")
    return thread


def test_a_thread_is_not_moved_out_of_a_confidential_community(
    secret_thread: Thread, community: Community, facilitator: User, site_admin: User
) -> None:
    for mover in (facilitator, site_admin):
        with pytest.raises(ValidationError) as refused:
            thread_move(thread=secret_thread, by=mover, to=community)
        assert refused.value.code == "confidential"
    secret_thread.refresh_from_db()
    assert secret_thread.community.slug == "geheim"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.THREAD_MOVED).exists()


def test_a_thread_is_not_moved_into_another_confidential_community_either(
    secret_thread: Thread, facilitator: User, site_admin: User
) -> None:
    other = make_community(site_admin, facilitator, "ook-geheim", is_confidential=True)
    with pytest.raises(ValidationError):
        thread_move(thread=secret_thread, by=facilitator, to=other)


def test_the_move_page_offers_no_target_and_a_post_changes_nothing(
    client: Client, secret_thread: Thread, community: Community, facilitator: User
) -> None:
    assert list(thread_move_targets(facilitator, secret_thread)) == []
    client.force_login(facilitator)
    page = client.get(f"/t/{secret_thread.pk}/move/")
    assert page.status_code == 200
    assert "confidential" in page.content.decode() or "vertrouwelijk" in page.content.decode()
    response = client.post(f"/t/{secret_thread.pk}/move/", {"community": community.pk})
    assert response.status_code == 200
    secret_thread.refresh_from_db()
    assert secret_thread.community.slug == "geheim"


def test_a_thread_of_an_open_community_still_moves(
    community: Community, facilitator: User, member: User, site_admin: User
) -> None:
    thread = thread_create(
        community=community, author=member, kind="question", title="Waar?", body="Hier."
    )
    target = make_community(site_admin, facilitator, "tweede")
    thread_move(thread=thread, by=facilitator, to=target)
    thread.refresh_from_db()
    assert thread.community == target


def test_a_confidential_community_cannot_be_made_non_confidential(
    secret: Community, facilitator: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        community_update(
            community=secret, by=facilitator, is_confidential=False, visibility="signed_in"
        )
    assert refused.value.code == "confidential"
    secret.refresh_from_db()
    assert secret.is_confidential
    assert secret.visibility == Community.Visibility.MEMBERS


def test_the_settings_form_refuses_lifting_confidentiality(
    client: Client, secret: Community, facilitator: User
) -> None:
    client.force_login(facilitator)
    response = client.post(
        f"/communities/{secret.slug}/settings/",
        {
            "name": secret.name,
            "focus": secret.focus,
            "urgency": secret.urgency,
            "member_value": secret.member_value,
            "charter": secret.charter,
            "language": secret.language,
            "join_policy": secret.join_policy,
            "visibility": "signed_in",
            "is_listed": "on",
            "is_confidential": "",
        },
    )
    assert response.status_code == 200
    assert "is_confidential" in response.context["form"].errors
    secret.refresh_from_db()
    assert secret.is_confidential


def test_a_community_can_still_become_confidential(community: Community, facilitator: User) -> None:
    community_update(community=community, by=facilitator, is_confidential=True)
    community.refresh_from_db()
    assert community.is_confidential


def test_a_knowledge_page_of_a_confidential_community_is_never_public(
    secret: Community, facilitator: User
) -> None:
    with pytest.raises(ValidationError):
        knowledge_page_create(
            community=secret,
            by=facilitator,
            title="Draaiboek",
            body="Intern.",
            visibility=KnowledgePage.Visibility.PUBLIC,
        )
