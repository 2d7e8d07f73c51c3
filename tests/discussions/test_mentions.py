"""@mentions: written as "@" and a name, resolved against the people who may read the
thread, plain text in the rendered HTML, suggested only to those who may see members."""

from typing import Any

import pytest
from django.test import Client

from communities.models import Community, Membership
from communities.services.memberships import membership_grant
from discussions.mentions import mention_snippets, resolve_mentions
from discussions.models import Notification, Thread
from discussions.selectors.notifications import mentionable_in_thread
from discussions.services.posts import reply_create, reply_edit, thread_create, thread_edit
from members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

K = Notification.Kind


@pytest.fixture
def thread(community: Community, facilitator: User) -> Thread:
    return thread_create(
        community=community,
        author=facilitator,
        kind=Thread.Kind.QUESTION,
        title="Hoe krijg je collega's mee?",
        body="Wie heeft tips?",
    )


def _member(community: Community, admin: User, name: str) -> User:
    user = UserFactory(display_name=name)
    membership_grant(community=community, user=user, role=Membership.Role.MEMBER, granted_by=admin)
    return user


def _mentioned(user: User) -> bool:
    return Notification.objects.filter(recipient=user, kind=K.MENTION).exists()


# Parsing -------------------------------------------------------------------------------


def test_mentions_are_found_in_prose_only() -> None:
    body = "Hoi @Mira Member,\n\n`@In Code` en\n\n```\n@In Block\n```\n\nmail jan@example.org"
    assert mention_snippets(body) == ["Mira Member,"]


def test_a_mention_can_follow_punctuation_and_markup() -> None:
    assert mention_snippets("(@Mira) en **@Cor Core**") == ["Mira) en ", "Cor Core"]


# Resolving -------------------------------------------------------------------------------


def test_names_resolve_case_insensitively(thread: Thread, member: User) -> None:
    assert resolve_mentions("dank @mira member!", mentionable_in_thread(thread)) == {member.pk}


def test_the_longest_name_wins(
    community: Community, site_admin: User, thread: Thread, member: User
) -> None:
    mira = _member(community, site_admin, "Mira")
    candidates = mentionable_in_thread(thread)
    assert resolve_mentions("@Mira Member, kijk", candidates) == {member.pk}
    assert resolve_mentions("@Mira, kijk", candidates) == {mira.pk}


def test_a_name_must_end_at_a_word_boundary(thread: Thread, member: User) -> None:
    assert resolve_mentions("@Mira Members", mentionable_in_thread(thread)) == set()


def test_ambiguous_names_name_nobody(
    community: Community, site_admin: User, thread: Thread, member: User
) -> None:
    _member(community, site_admin, "Mira Member")
    assert resolve_mentions("@Mira Member", mentionable_in_thread(thread)) == set()


def test_people_without_a_display_name_are_mentioned_by_the_name_others_see(
    community: Community, site_admin: User, thread: Thread
) -> None:
    user = _member(community, site_admin, "")
    local_part = user.email.split("@")[0]
    assert resolve_mentions(f"@{local_part} kijk", mentionable_in_thread(thread)) == {user.pk}


# Notifying -------------------------------------------------------------------------------


def test_a_mention_notifies_the_member(thread: Thread, member: User, core_member: User) -> None:
    reply_create(thread=thread, author=core_member, body="Wat denk jij, @Mira Member?")
    assert _mentioned(member)


def test_a_mention_in_a_new_thread_notifies_the_member(
    community: Community, member: User, facilitator: User
) -> None:
    thread_create(
        community=community,
        author=facilitator,
        kind=Thread.Kind.TIP,
        title="Tip",
        body="@Mira Member dit is voor jou.",
    )
    assert _mentioned(member)


def test_mentioning_an_outsider_notifies_nobody_and_the_html_reveals_nothing(
    thread: Thread, outsider: User, sponsor: User, core_member: User
) -> None:
    reply = reply_create(
        thread=thread, author=core_member, body="Vraag @Otto Outsider of @Sam Sponsor."
    )
    assert Notification.objects.filter(reply=reply).exclude(kind=K.REPLY).count() == 0
    assert not Notification.objects.filter(recipient__in=[outsider, sponsor]).exists()
    assert reply.body_html == "<p>Vraag @Otto Outsider of @Sam Sponsor.</p>\n"
    for secret in (outsider.email, str(outsider.pk), "href"):
        assert secret not in reply.body_html


def test_the_html_of_a_resolved_mention_is_plain_text_too(
    thread: Thread, member: User, core_member: User
) -> None:
    reply = reply_create(thread=thread, author=core_member, body="Dank @Mira Member!")
    assert reply.body_html == "<p>Dank @Mira Member!</p>\n"


def test_an_edit_notifies_only_the_newly_mentioned(
    thread: Thread, member: User, core_member: User, facilitator: User
) -> None:
    reply = reply_create(thread=thread, author=facilitator, body="Vraag @Mira Member.")
    Notification.objects.all().delete()
    reply_edit(reply=reply, by=facilitator, body="Vraag @Mira Member en @Cor Core.")
    assert _mentioned(core_member)
    assert not _mentioned(member)


def test_editing_a_thread_notifies_the_newly_mentioned(
    thread: Thread, member: User, facilitator: User
) -> None:
    thread_edit(thread=thread, by=facilitator, title=thread.title, body="@Mira Member?", tags=[])
    assert _mentioned(member)


def test_a_mention_in_code_notifies_nobody(thread: Thread, member: User, core_member: User) -> None:
    reply_create(thread=thread, author=core_member, body="Typ `@Mira Member` in het veld.")
    assert not _mentioned(member)


# The autocomplete ------------------------------------------------------------------------


def _suggest(client: Client, user: User, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


def test_the_autocomplete_suggests_members_who_can_read_the_thread(
    thread: Thread, member: User, core_member: User, sponsor: User, outsider: User, client: Client
) -> None:
    response = _suggest(client, core_member, f"/t/{thread.pk}/mentions/?q=m")
    assert response.status_code == 200
    names = [person.name for person in response.context["people"]]
    assert "Mira Member" in names
    assert "Sam Sponsor" not in names  # sponsors do not read members-only discussions
    assert "Otto Outsider" not in names
    assert 'data-mention="Mira Member"' in response.content.decode()


def _people(client: Client, thread: Thread, query: str) -> list[User]:
    return list(client.get(f"/t/{thread.pk}/mentions/", {"q": query}).context["people"])


def test_the_autocomplete_puts_names_starting_with_the_query_first(
    community: Community, site_admin: User, thread: Thread, member: User, client: Client
) -> None:
    _member(community, site_admin, "Anna Mier")
    _member(community, site_admin, "Mieke de Vries")
    client.force_login(member)
    assert [p.name for p in _people(client, thread, "mie")] == ["Mieke de Vries", "Anna Mier"]


def test_the_autocomplete_lists_at_most_eight(
    community: Community, site_admin: User, thread: Thread, member: User, client: Client
) -> None:
    for i in range(10):
        _member(community, site_admin, f"Lid {i}")
    client.force_login(member)
    assert len(_people(client, thread, "lid")) == 8


def test_the_autocomplete_says_nothing_for_an_empty_query(
    thread: Thread, member: User, client: Client
) -> None:
    client.force_login(member)
    assert _people(client, thread, "") == []


def test_the_autocomplete_is_404_for_who_cannot_read_the_thread(
    thread: Thread, outsider: User, sponsor: User, client: Client
) -> None:
    for user in (outsider, sponsor):
        assert _suggest(client, user, f"/t/{thread.pk}/mentions/?q=m").status_code == 404


def test_the_community_autocomplete_is_for_who_may_see_the_members(
    community: Community, member: User, sponsor: User, outsider: User, client: Client
) -> None:
    response = _suggest(client, member, f"/c/{community.slug}/mentions/?q=fenna")
    assert [p.name for p in response.context["people"]] == ["Fenna Facilitator"]
    assert _suggest(client, sponsor, f"/c/{community.slug}/mentions/?q=f").status_code == 403
