"""The dashboard against a hand-built data set: every figure, per viewer's tiers, the
hidden small organisations, the CSV and the printed report, and a pinned query count."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.memberships import membership_grant
from discussions.models import Thread
from discussions.services.posts import answer_accept, reply_create, thread_create
from discussions.services.reading import thread_mark_read
from members.models import User
from tests.factories import OrganizationFactory, UserFactory
from value_cycles.models import Capital, Cycle, Tier, ValueStory
from value_cycles.selectors.dashboard import Period, dashboard_for
from value_cycles.services.events import EventTexts, value_event_record
from value_cycles.services.stories import aspiration_record, value_story_create


@pytest.fixture
def world(
    community: Community,
    member: User,
    core_member: User,
    facilitator: User,
    sponsor: User,
    site_admin: User,
) -> dict[str, object]:
    start = timezone.now() - timedelta(days=10)
    with time_machine.travel(start, tick=False):
        question = thread_create(
            community=community, author=member, kind=Thread.Kind.QUESTION, title="Vraag", body="?"
        )
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        answer = reply_create(thread=question, author=core_member, body="Antwoord")
    answer_accept(thread=question, reply=answer, by=member)
    zorggroep = OrganizationFactory(name="Zorggroep")
    colleagues = [UserFactory(organization=zorggroep) for _ in range(3)]
    for colleague in colleagues:
        membership_grant(
            community=community, user=colleague, role=Membership.Role.MEMBER, granted_by=site_admin
        )
    thread_mark_read(user=colleagues[0], thread=question)

    def event(user: User, cycle: int, tier: int, **kwargs: object) -> None:
        value_event_record(member=user, community=community, cycle=cycle, tier=tier, **kwargs)  # type: ignore[arg-type]

    event(member, Cycle.IMMEDIATE, Tier.SPONSOR_TEXT, source=answer)
    event(member, Cycle.POTENTIAL, Tier.SPONSOR_COUNTS, source=answer, capital=Capital.SOCIAL)
    event(
        member,
        Cycle.APPLIED,
        Tier.SPONSOR_COUNTS,
        source=answer,
        texts=EventTexts(what_changed="Ambassadeurs."),
    )
    event(
        member,
        Cycle.REALISED,
        Tier.SPONSOR_TEXT,
        source=answer,
        texts=EventTexts(what_result="Sneller.", figure=Decimal("10"), unit="uur"),
    )
    event(core_member, Cycle.IMMEDIATE, Tier.MEMBERS, source=answer)
    event(core_member, Cycle.IMMEDIATE, Tier.ONLY_ME)
    event(
        colleagues[1],
        Cycle.REALISED,
        Tier.SPONSOR_TEXT_NAMED,
        texts=EventTexts(what_result="Minder fouten.", figure=Decimal("5"), unit="Uur"),
    )
    for title, tier in [
        ("Verhaal voor sponsors", Tier.SPONSOR_TEXT),
        ("Verhaal voor leden", Tier.MEMBERS),
        ("Verhaal als telling", Tier.SPONSOR_COUNTS),
    ]:
        value_story_create(
            community=community,
            author=member,
            title=title,
            sections={"applied": "Zo ging het."},
            ending=ValueStory.Ending.ACHIEVED,
            tier=tier,
            publish=True,
        )
    aspiration_record(community=community, by=sponsor, cycle=Cycle.REALISED, text="Minder reistijd")
    return {"question": question, "colleagues": colleagues}


def _period() -> Period:
    now = timezone.now()
    return Period(start=now - timedelta(days=30), end=now + timedelta(days=1))


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_a_sponsor_counts_only_what_members_shared_with_sponsors(
    world: dict[str, object], community: Community, sponsor: User
) -> None:
    board = dashboard_for(_fresh(sponsor), [community], _period())
    assert board.per_cycle == {1: 1, 2: 1, 3: 1, 4: 2, 5: 0}
    assert board.conversion == {"helped": 1, "applied": 1, "realised": 1}
    assert board.capital == [("social", 1)]
    assert board.figures == [("uur", Decimal("15"), 2)]
    assert [s.title for s in board.stories] == ["Verhaal voor sponsors"]
    assert board.stories_counted == 2  # the story shared as a count is counted, not shown


def test_a_facilitator_counts_every_tier_from_facilitators_up(
    world: dict[str, object], community: Community, facilitator: User
) -> None:
    board = dashboard_for(_fresh(facilitator), [community], _period())
    # The core member's "only me" event is counted by nobody.
    assert board.per_cycle == {1: 2, 2: 1, 3: 1, 4: 2, 5: 0}
    assert board.conversion == {"helped": 2, "applied": 1, "realised": 1}
    assert sorted(s.title for s in board.stories) == [
        "Verhaal als telling",
        "Verhaal voor leden",
        "Verhaal voor sponsors",
    ]


def test_community_development_figures(
    world: dict[str, object], community: Community, sponsor: User
) -> None:
    board = dashboard_for(_fresh(sponsor), [community], _period())
    dev = board.development
    # The facilitator, member, core member and three colleagues (not the sponsor).
    assert dev["members"] == 6
    assert dev["questions"] == 1 and dev["solved"] == 1
    assert dev["median_first_answer"] == timedelta(hours=2)
    assert dev["median_solution"] == timedelta(hours=2)
    assert dev["discussions"] == 1 and dev["replies"] == 1
    assert board.participation == {
        "core": 0,
        "active": 0,
        "occasional": 2,  # the asker and the answerer
        "readers": 1,  # the colleague who read the question
        "quiet": 3,
    }
    assert board.aspirations[Cycle.REALISED][0].text == "Minder reistijd"


def test_organisations_with_fewer_than_three_people_are_not_shown(
    world: dict[str, object], community: Community, sponsor: User
) -> None:
    board = dashboard_for(_fresh(sponsor), [community], _period())
    assert board.organisations == [("Zorggroep", 3)]
    assert board.organisations_hidden == 3  # the facilitator's, member's and core member's


def test_the_dashboard_runs_a_fixed_number_of_queries(
    world: dict[str, object],
    community: Community,
    sponsor: User,
    member: User,
    django_assert_num_queries: object,
) -> None:
    viewer = _fresh(sponsor)
    dashboard_for(viewer, [community], _period())  # the viewer's roles read once
    with django_assert_num_queries(17):  # type: ignore[operator]
        dashboard_for(viewer, [community], _period())
    for _ in range(5):
        value_event_record(
            member=member,
            community=community,
            cycle=Cycle.REALISED,
            tier=Tier.PUBLIC,
            texts=EventTexts(what_result="x", figure=Decimal(1), unit=f"u{_}"),
        )
    with django_assert_num_queries(17):  # type: ignore[operator]
        dashboard_for(viewer, [community], _period())


def _csv(client: Client, url: str, table: str) -> list[list[str]]:
    response = client.get(url, {"table": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("persona", "helped"), [("sponsor", "1"), ("facilitator", "2"), ("site_admin", "2")]
)
def test_the_csv_counts_by_the_viewers_tiers(
    world: dict[str, object],
    community: Community,
    persona: str,
    helped: str,
    request: pytest.FixtureRequest,
) -> None:
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    rows = _csv(
        client, reverse("value_cycles:dashboard-csv", kwargs={"slug": community.slug}), "cycles"
    )
    assert rows[1][1] == helped
    everything = b"".join(
        client.get(
            reverse("value_cycles:dashboard-csv", kwargs={"slug": community.slug}), {"table": t}
        ).content
        for t in [
            "development",
            "organisations",
            "themes",
            "participation",
            "cycles",
            "months",
            "conversion",
            "capital",
            "figures",
            "aspirations",
        ]
    )
    assert b"Ambassadeurs" not in everything  # texts never leave as CSV


def test_the_sponsors_page_and_report_show_only_the_stories_shared_with_sponsors(
    world: dict[str, object], community: Community, sponsor: User
) -> None:
    client = Client()
    client.force_login(sponsor)
    for name in ("value_cycles:dashboard", "value_cycles:dashboard-print"):
        page = client.get(reverse(name, kwargs={"slug": community.slug})).text
        assert "Verhaal voor sponsors" in page
        assert "Verhaal voor leden" not in page
        assert "Verhaal als telling" not in page
        assert "<svg" in page and "style=" not in page
    all_page = client.get(reverse("value_cycles:dashboard-all")).text
    assert "Verhaal voor sponsors" in all_page and "Verhaal voor leden" not in all_page


def test_a_member_gets_no_dashboard(community: Community, member: User) -> None:
    client = Client()
    client.force_login(member)
    assert (
        client.get(reverse("value_cycles:dashboard", kwargs={"slug": community.slug})).status_code
        == 403
    )


@pytest.mark.parametrize(("name", "queries"), [("dashboard", 21), ("dashboard-csv", 21)])
def test_the_dashboard_page_and_its_csv_run_a_fixed_number_of_queries(
    world: dict[str, object],
    community: Community,
    sponsor: User,
    member: User,
    client: Client,
    django_assert_num_queries: object,
    name: str,
    queries: int,
) -> None:
    # The budget `make bench` holds these pages to (devtools/benchmark.py, QUERY_BUDGET):
    # session, user, community, roles, then the dashboard's aggregates (stories with
    # their authors and organisations: two prefetches that a page without stories skips).
    client.force_login(sponsor)
    url = reverse(f"value_cycles:{name}", kwargs={"slug": community.slug})
    client.get(url)
    with django_assert_num_queries(queries):  # type: ignore[operator]
        assert client.get(url).status_code == 200
    value_event_record(member=member, community=community, cycle=Cycle.IMMEDIATE)
    with django_assert_num_queries(queries):  # type: ignore[operator]
        assert client.get(url).status_code == 200
