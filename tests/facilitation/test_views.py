"""The console pages through the test client: who may open them, what they show,
their pinned query counts (the same at two data sizes), and the two acts."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from communities.models import AuditEvent, Community, Membership
from communities.services.memberships import membership_remove
from facilitation.models import AnswerRequest, Nudge, NudgeRecipient
from members.models import User
from outbox.models import Message
from tests.facilitation.world import World, build_world, grow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    community: Community, site_admin: User, facilitator: User, member: User, core_member: User
) -> World:
    return build_world(community, site_admin, facilitator, member, core_member)


def _client(user: User, language: str = "en") -> Client:
    User.objects.filter(pk=user.pk).update(language=language)
    client = Client()
    client.force_login(user)
    return client


def _console(community: Community) -> str:
    return reverse("facilitation:console", kwargs={"slug": community.slug})


# --- who may open it ---------------------------------------------------------------------


def test_facilitators_core_members_and_site_admins_open_the_console(
    world: World, facilitator: User, core_member: User, site_admin: User
) -> None:
    for user in (facilitator, core_member, site_admin):
        assert _client(user).get(_console(world.community)).status_code == 200


def test_members_get_403_and_outsiders_of_an_unlisted_community_404(
    world: World, member: User, outsider: User, facilitator: User
) -> None:
    assert _client(member).get(_console(world.community)).status_code == 403
    Community.objects.filter(pk=world.community.pk).update(is_listed=False)
    assert _client(outsider).get(_console(world.community)).status_code == 404


def test_core_members_see_counts_not_people_requests_or_ask_buttons(
    world: World, core_member: User
) -> None:
    page = _client(core_member).get(_console(world.community)).content.decode()
    assert "Wie werkt met beeldbellen in de wijk?" in page
    assert "Review requests" not in page
    assert "Ask Eve" not in page
    assert "Who moved" not in page
    assert (
        _client(core_member)
        .get(reverse("facilitation:nudge", kwargs={"slug": world.community.slug}))
        .status_code
        == 403
    )


def test_the_console_shows_each_item_with_its_action(world: World, facilitator: User) -> None:
    page = _client(facilitator).get(_console(world.community)).content.decode()
    slug = world.community.slug
    assert reverse("communities:requests", kwargs={"slug": slug}) in page
    assert reverse("discussions:moderation-queue", kwargs={"slug": slug}) in page
    assert reverse("meetings:meeting-outputs", kwargs={"meeting_id": world.meeting.pk}) in page
    assert reverse("meetings:meeting-create", kwargs={"slug": slug}) + "?proposal=" in page
    assert "Ask Eve" in page and "Ask Mira Member" in page
    assert page.index("Wie werkt met beeldbellen") < page.index("Hoe plan je thuiszorg?")
    assert "<svg" in page and "<table" in page


def test_the_console_speaks_dutch(world: World, facilitator: User) -> None:
    page = _client(facilitator, "nl").get(_console(world.community)).content.decode()
    assert "Vraagt aandacht" in page
    assert "Onbeantwoorde vragen" in page


def test_the_home_links_the_console_for_those_who_may_open_it(
    world: World, facilitator: User, member: User
) -> None:
    home = world.community.get_absolute_url()
    assert _console(world.community) in _client(facilitator).get(home).content.decode()
    assert _console(world.community) not in _client(member).get(home).content.decode()
    overview = reverse("facilitation:overview")
    assert overview in _client(facilitator).get("/").content.decode()
    assert overview not in _client(member).get("/").content.decode()


# --- bounded queries -------------------------------------------------------------------------

# session, user (with the viewer's access), community, weekly activity, posts per author,
# members, attention counts, open threads, meetings, proposals, answer candidates, and
# the act side's panel: the latest note, the playbook's ticks
CONSOLE_QUERIES = 13
# session, user, the communities with every figure
OVERVIEW_QUERIES = 3


@pytest.mark.parametrize("extra", [0, 12])
def test_the_console_reads_a_fixed_number_of_queries(
    world: World,
    facilitator: User,
    site_admin: User,
    member: User,
    extra: int,
    django_assert_num_queries,
) -> None:
    grow(world.community, site_admin, member, extra)
    client = _client(facilitator)
    url = _console(world.community)
    client.get(url)
    with django_assert_num_queries(CONSOLE_QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_the_overview_reads_a_fixed_number_of_queries(
    world: World,
    site_admin: User,
    member: User,
    extra: int,
    django_assert_num_queries,
) -> None:
    grow(world.community, site_admin, member, extra)
    for index in range(extra // 4):
        from tests.conftest import make_community

        make_community(site_admin, UserFactory(), f"extra-{index}")
    client = _client(site_admin)
    url = reverse("facilitation:overview")
    client.get(url)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        page = client.get(url)
    assert world.community.name in page.content.decode()


def test_the_overview_puts_the_most_urgent_community_first(
    world: World, site_admin: User, facilitator: User
) -> None:
    from tests.conftest import make_community

    calm = make_community(site_admin, facilitator, "calm")
    page = _client(facilitator).get(reverse("facilitation:overview")).content.decode()
    assert page.index(world.community.name) < page.index(calm.name)


# --- ask them ----------------------------------------------------------------------------


def _ask(client: Client, world: World, person: User):  # type: ignore[no-untyped-def]
    url = reverse("facilitation:ask", kwargs={"slug": world.community.slug})
    return client.post(url, {"thread": world.old_question.pk, "person": person.pk})


def test_ask_sends_one_personal_email_in_the_recipients_language(
    world: World, facilitator: User, django_capture_on_commit_callbacks
) -> None:
    eve = world.people["eve"]
    User.objects.filter(pk=eve.pk).update(language="nl")
    client = _client(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, world, eve)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#question-{world.old_question.pk}")
    [email] = mail.outbox
    assert email.to == [eve.email]
    assert "Kun jij dit beantwoorden?" in email.subject
    assert world.old_question.get_absolute_url() in email.body
    assert AnswerRequest.objects.filter(asked=eve, thread=world.old_question).count() == 1
    assert AuditEvent.objects.filter(action="answer_asked", subject=eve).count() == 1
    # Asked now: the console no longer offers Eve, and a second ask is refused.
    page = client.get(_console(world.community)).content.decode()
    assert "Ask Eve" not in page
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world, eve)
    assert len(mail.outbox) == 1


def test_an_ask_goes_nowhere_when_the_person_left_before_it_was_sent(
    world: World, facilitator: User, site_admin: User, django_capture_on_commit_callbacks
) -> None:
    eve = world.people["eve"]
    client = _client(facilitator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _ask(client, world, eve)
    membership_remove(
        membership=Membership.objects.get(user=eve, community=world.community), by=site_admin
    )
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert Message.objects.get(recipient=eve).state == Message.State.SKIPPED


def test_only_members_of_the_community_can_be_asked(
    world: World, facilitator: User, outsider: User
) -> None:
    assert _ask(_client(facilitator), world, outsider).status_code == 404
    assert AnswerRequest.objects.count() == 0


def test_members_may_not_ask(world: World, member: User) -> None:
    assert _ask(_client(member), world, world.people["eve"]).status_code == 403


# --- nudge quiet members ---------------------------------------------------------------


def test_nudge_sends_one_email_each_and_logs_it(
    world: World, facilitator: User, django_capture_on_commit_callbacks
) -> None:
    cas, fay = world.people["cas"], world.people["fay"]
    User.objects.filter(pk=fay.pk).update(language="nl")
    User.objects.filter(pk=cas.pk).update(language="en")
    client = _client(facilitator)
    url = reverse("facilitation:nudge", kwargs={"slug": world.community.slug})
    page = client.get(url).content.decode()
    assert "Cas" in page and "Fay" in page and "Ann" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"people": [cas.pk, fay.pk], "message": "We missen je!"})
    assert response.status_code == 302
    assert sorted(e.to[0] for e in mail.outbox) == sorted([cas.email, fay.email])
    by_address = {e.to[0]: e for e in mail.outbox}
    assert "Een bericht van Fenna Facilitator" in by_address[fay.email].subject
    assert "A note from Fenna Facilitator" in by_address[cas.email].subject
    assert all("We missen je!" in e.body for e in mail.outbox)
    nudge = Nudge.objects.get()
    assert NudgeRecipient.objects.filter(nudge=nudge).count() == 2
    event = AuditEvent.objects.get(action="members_nudged")
    assert event.detail == {"nudge": nudge.pk, "recipients": 2}
    # Nudged now: they are not offered again this month.
    page = client.get(url).content.decode()
    assert f'value="{cas.pk}"' not in page


def test_a_nudge_needs_a_message_and_someone(world: World, facilitator: User) -> None:
    url = reverse("facilitation:nudge", kwargs={"slug": world.community.slug})
    response = _client(facilitator).post(url, {"people": [], "message": ""})
    assert response.status_code == 200
    assert Nudge.objects.count() == 0


def test_a_nudge_cannot_name_someone_who_is_not_offered(
    world: World, facilitator: User, site_admin: User
) -> None:
    ann = world.people["ann"]  # core this month: not a quiet member
    url = reverse("facilitation:nudge", kwargs={"slug": world.community.slug})
    response = _client(facilitator).post(url, {"people": [ann.pk], "message": "Hoi"})
    assert response.status_code == 200
    assert Nudge.objects.count() == 0
    del site_admin


# --- rate limits -----------------------------------------------------------------------------


@pytest.fixture
def limits(settings):  # type: ignore[no-untyped-def]
    settings.RATELIMIT_ENABLE = True

    def set_rules(**rules: str) -> None:
        settings.COP_RATE_LIMITS = {**settings.COP_RATE_LIMITS, **rules}

    return set_rules


def test_asks_are_rate_limited_per_facilitator(world: World, facilitator: User, limits) -> None:
    limits(console_ask="1/d")
    client = _client(facilitator)
    assert _ask(client, world, world.people["eve"]).status_code == 302
    response = _ask(client, world, world.people["eve"])
    assert response.status_code == 429
    assert AnswerRequest.objects.count() == 1


def test_nudges_are_rate_limited_per_facilitator(world: World, facilitator: User, limits) -> None:
    limits(console_nudge="1/d")
    client = _client(facilitator)
    url = reverse("facilitation:nudge", kwargs={"slug": world.community.slug})
    assert (
        client.post(url, {"people": [world.people["cas"].pk], "message": "Hoi"}).status_code == 302
    )
    response = client.post(url, {"people": [world.people["fay"].pk], "message": "Hoi"})
    assert response.status_code == 429
    assert Nudge.objects.count() == 1


def test_a_site_admin_who_joined_nothing_may_act(world: World, site_admin: User) -> None:
    assert _ask(_client(site_admin), world, world.people["eve"]).status_code == 302
