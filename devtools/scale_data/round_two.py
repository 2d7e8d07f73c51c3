"""The second round's rows in a scale data set: value events in chains, stories and
aspirations; meetings with answers, attendance, agenda items and outputs; topic
proposals with votes.

Sized from the replies (one value event per five replies: 200,000 on the large set,
2,000 on the small one; one story per hundred events), and written after the
discussions so that it can also be added to a benchmark database generated before
these features existed (`add_round_two`, called by the benchmark when its fixed rows
are missing). The fixed rows the benchmark measures are in `scale-000`, the bench
member's community, plus one community the bench member sponsors (its dashboard).
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from communities.models import Community, Membership
from devtools.scale_data.copying import copy_rows, next_id, reset_sequence
from devtools.scale_data.progress import Meter, to_stderr
from discussions.models import Reply, Thread
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingOutput,
    Rsvp,
    TopicProposal,
    TopicVote,
)
from members.models import User
from value_cycles.models import (
    Aspiration,
    Capital,
    ConsentChange,
    Cycle,
    Tier,
    ValueEvent,
    ValueStory,
)

EVENTS_PER_REPLY = 0.2
EVENTS_PER_STORY = 100
MEETINGS_PER_COMMUNITY = 20
PROPOSALS_PER_COMMUNITY = 30
# How far chains travel: most value stays immediate; some reaches practice and results.
CHAIN_DEPTHS = [(1, 55), (2, 22), (3, 14), (4, 9)]
TIERS = [
    (Tier.ONLY_ME, 5),
    (Tier.FACILITATORS, 10),
    (Tier.MEMBERS, 40),
    (Tier.SPONSOR_COUNTS, 15),
    (Tier.SPONSOR_TEXT, 15),
    (Tier.SPONSOR_TEXT_NAMED, 10),
    (Tier.PUBLIC, 5),
]
TEXTS = {
    Cycle.IMMEDIATE: "Precies wat ik zocht voor mijn casus.",
    Cycle.POTENTIAL: "Een werkwijze die ik kan gebruiken.",
    Cycle.APPLIED: "We werken nu met een vast intakeformulier.",
    Cycle.REALISED: "Minder dubbel werk in het team.",
}
UNITS = ["uur bespaard", "euro", "minder fouten"]


def _weighted(rng: random.Random, choices: list[tuple[Any, int]]) -> Any:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _members_by_community(community_ids: list[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for cid, uid in (
        Membership.objects.filter(
            community_id__in=community_ids,
            state=Membership.State.ACTIVE,
            role__gte=Membership.Role.MEMBER,
        )
        .order_by("community_id", "user_id")
        .values_list("community_id", "user_id")
    ):
        members[cid].append(uid)
    return members


def _sample_replies(
    rng: random.Random, count: int, community_ids: list[int]
) -> dict[int, list[tuple[int, datetime]]]:
    """About `count` random replies per community, as (id, written at)."""
    bounds = Reply.objects.filter(community_id__in=community_ids).order_by("pk")
    first, last = (
        bounds.values_list("pk", flat=True).first(),
        bounds.reverse().values_list("pk", flat=True).first(),
    )
    by_community: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    if first is None or last is None:
        return by_community
    ids = list({rng.randint(first, last) for _ in range(count)})
    for start in range(0, len(ids), 20_000):
        for rid, cid, created in Reply.objects.filter(
            pk__in=ids[start : start + 20_000]
        ).values_list("pk", "community_id", "created_at"):
            by_community[cid].append((rid, created))
    return by_community


def add_round_two(
    size_replies: int,
    *,
    seed: int = 11,
    now: datetime | None = None,
    progress: Callable[[str], None] = to_stderr,
    progress_interval: float = 5.0,
) -> dict[str, Any]:
    """Add the second round's rows to a scale data set already in the database; return
    the ids and slugs the benchmark measures. `size_replies` is the set's reply count."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    now = now or timezone.now()
    communities = list(Community.objects.filter(slug__startswith="scale-").order_by("slug"))
    community_ids = [c.pk for c in communities]
    home = communities[0]
    bench_member = User.objects.get(email__startswith="bench-member@")

    def meter(what: str, total: int | None) -> Meter:
        return Meter(what, total=total, emit=progress, interval=progress_interval)

    with transaction.atomic():
        members = _members_by_community(community_ids)
        sponsored = _sponsor_a_community(bench_member, communities)
        progress("meetings, answers and outputs...")
        meeting_id = _meetings(rng, now, communities, members, bench_member, meter)
        progress("topic proposals and votes...")
        _proposals(rng, now, communities, members, meter)
        progress("value events, stories and aspirations...")
        events = max(int(size_replies * EVENTS_PER_REPLY), 10)
        story_id, reply_id = _value(rng, now, community_ids, members, home, events, meter)
    return {
        "meeting": meeting_id,
        "story": story_id,
        "helped_reply": reply_id,
        "sponsored_slug": sponsored.slug,
    }


def _sponsor_a_community(bench_member: User, communities: list[Community]) -> Community:
    """The bench member sponsors one community open to every signed-in member (so what
    they may read stays the same), for the dashboard as a sponsor sees it."""
    open_ones = [c for c in communities[1:] if c.visibility == Community.Visibility.SIGNED_IN]
    sponsored = (open_ones or communities[1:] or communities)[-1]
    Membership.objects.update_or_create(
        community=sponsored,
        user=bench_member,
        defaults={"role": Membership.Role.SPONSOR, "state": Membership.State.ACTIVE},
    )
    return sponsored


def _meetings(
    rng: random.Random,
    now: datetime,
    communities: list[Community],
    members: dict[int, list[int]],
    bench_member: User,
    meter: Callable[[str, int | None], Meter],
) -> int:
    meetings: list[Meeting] = []
    for community in communities:
        for n in range(MEETINGS_PER_COMMUNITY):
            # Every two weeks, half of them past.
            starts = now + timedelta(days=14 * (n - MEETINGS_PER_COMMUNITY // 2) + 3, hours=n)
            meetings.append(
                Meeting(
                    community=community,
                    kind=rng.choice(Meeting.Kind.values),
                    title=f"Bijeenkomst {n:02d} van {community.name}",
                    description="Casussen uit de praktijk.",
                    description_html="<p>Casussen uit de praktijk.</p>",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    time_zone="Europe/Amsterdam",
                    place="Utrecht",
                    online_link="https://meet.example.org/scale",
                    capacity=rng.choice([None, 30, 60]),
                    created_at=now - timedelta(days=60),
                    updated_at=now - timedelta(days=60),
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    threads = defaultdict(list)
    for tid, cid in Thread.objects.filter(
        community_id__in=[c.pk for c in communities], pk__in=_some_thread_ids(rng, communities)
    ).values_list("pk", "community_id"):
        threads[cid].append(tid)
    home = communities[0]
    fixed_threads = list(Thread.objects.filter(community=home).order_by("pk")[:2])
    # The first upcoming meeting of the bench member's community is the fixed one: the
    # fixed threads are on its agenda, so the thread pages show "discussed at".
    fixed = next(m for m in meetings if m.community_id == home.pk and m.starts_at > now)
    rsvps, attendance, agenda, outputs = [], [], [], []
    for meeting in meetings:
        people = rng.sample(
            members[meeting.community_id], min(20, len(members[meeting.community_id]))
        )
        past = meeting.ends_at <= now
        for uid in people:
            if meeting is fixed and uid == bench_member.pk:
                continue
            rsvps.append(Rsvp(meeting=meeting, user_id=uid, answer=rng.choice(Rsvp.Answer.values)))
            if past and rng.random() < 0.5:
                attendance.append(Attendance(meeting=meeting, user_id=uid))
        linked = (
            fixed_threads
            if meeting is fixed
            else rng.sample(
                threads[meeting.community_id], min(2, len(threads[meeting.community_id]))
            )
        )
        for position, thread in enumerate(linked):
            tid = thread.pk if isinstance(thread, Thread) else int(thread)  # type: ignore[call-overload]
            agenda.append(
                AgendaItem(meeting=meeting, position=position, title="Casus", thread_id=tid)
            )
        if past:
            outputs.append(
                MeetingOutput(
                    meeting=meeting,
                    kind="summary",
                    body="Wat we leerden.",
                    body_html="<p>Wat we leerden.</p>",
                )
            )
            outputs.append(
                MeetingOutput(
                    meeting=meeting,
                    kind="action",
                    body="Voorbeeld delen.",
                    body_html="<p>Voorbeeld delen.</p>",
                    owner_id=people[0] if people else None,
                    due_on=(now + timedelta(days=14)).date(),
                )
            )
    rsvps.append(Rsvp(meeting=fixed, user=bench_member, answer=Rsvp.Answer.YES))
    batches: list[tuple[Any, str, list[Any]]] = [
        (Rsvp, "meeting answers", rsvps),
        (Attendance, "attendance", attendance),
        (AgendaItem, "agenda items", agenda),
        (MeetingOutput, "meeting outputs", outputs),
    ]
    for model, what, rows in batches:
        written = meter(what, len(rows))
        model.objects.bulk_create(rows, batch_size=5000)
        written.add(len(rows))
        written.done()
    return fixed.pk


def _some_thread_ids(rng: random.Random, communities: list[Community]) -> list[int]:
    bounds = Thread.objects.filter(community__in=communities).order_by("pk")
    first = bounds.values_list("pk", flat=True).first() or 0
    last = bounds.reverse().values_list("pk", flat=True).first() or 0
    return [rng.randint(first, last) for _ in range(len(communities) * MEETINGS_PER_COMMUNITY * 3)]


def _proposals(
    rng: random.Random,
    now: datetime,
    communities: list[Community],
    members: dict[int, list[int]],
    meter: Callable[[str, int | None], Meter],
) -> None:
    proposals = [
        TopicProposal(
            community=community,
            proposer_id=rng.choice(members[community.pk]),
            title=f"Onderwerp {n:02d}: {rng.choice(['privacy', 'wachtlijsten', 'intervisie'])}",
            description="Wat weten we hierover?",
            created_at=now - timedelta(days=rng.randint(1, 200)),
        )
        for community in communities
        for n in range(PROPOSALS_PER_COMMUNITY)
    ]
    TopicProposal.objects.bulk_create(proposals, batch_size=2000)
    votes = []
    for proposal in proposals:
        pool = members[proposal.community_id]
        voters = set(rng.sample(pool, min(rng.randint(0, 25), len(pool))))
        voters.add(int(proposal.proposer_id or pool[0]))
        votes += [TopicVote(proposal=proposal, user_id=uid) for uid in voters]
    written = meter("topic votes", len(votes))
    TopicVote.objects.bulk_create(votes, batch_size=5000)
    written.add(len(votes))
    written.done()


def _value(
    rng: random.Random,
    now: datetime,
    community_ids: list[int],
    members: dict[int, list[int]],
    home: Community,
    total: int,
    meter: Callable[[str, int | None], Meter],
) -> tuple[int, int]:
    """Chains of value events on sampled replies, stories about some of the longer
    chains, aspirations; returns the fixed story and a reply of the home community
    for the "This helped" tap."""
    replies = _sample_replies(rng, total, community_ids)
    first_event = next_id(ValueEvent)
    rows: list[tuple[Any, ...]] = []
    helped: set[tuple[int, int]] = set()
    long_chains: list[tuple[int, list[int], int]] = []
    home_replies = replies.get(home.pk) or [(0, now)]
    # The tap's reply is held back from the chains: its event is the benchmark's own.
    tap_reply = home_replies[-1][0]
    while len(rows) < total:
        cid = rng.choice(community_ids)
        if not replies.get(cid) or not members.get(cid):
            continue
        rid, written = rng.choice(replies[cid])
        uid = rng.choice(members[cid])
        if rid == tap_reply or (uid, rid) in helped:
            continue
        helped.add((uid, rid))
        chain, tier = uuid.UUID(int=rng.getrandbits(128)), _weighted(rng, TIERS)
        at = written + (now - written) * rng.random() * 0.5
        ids = []
        for cycle in range(1, _weighted(rng, CHAIN_DEPTHS) + 1):
            at = min(at + timedelta(days=rng.randint(1, 40)), now)
            figure = Decimal(rng.randint(1, 400)) if cycle == Cycle.REALISED else None
            ids.append(first_event + len(rows))
            rows.append(
                (
                    ids[-1],
                    uid,
                    cid,
                    cycle,
                    rng.choice(Capital.values) if cycle == Cycle.POTENTIAL else "",
                    TEXTS[Cycle(cycle)] if cycle <= Cycle.POTENTIAL else "",
                    TEXTS[Cycle.APPLIED] if cycle == Cycle.APPLIED else "",
                    TEXTS[Cycle.REALISED] if cycle == Cycle.REALISED else "",
                    figure,
                    rng.choice(UNITS) if figure is not None else "",
                    None,
                    rid,
                    None,
                    None,
                    "",
                    chain,
                    tier,
                    at,
                    at,
                )
            )
        if len(ids) >= 3:
            long_chains.append((cid, ids, uid))
    columns = [str(f.column) for f in ValueEvent._meta.fields]
    columns[columns.index("where")] = '"where"'  # a reserved word in SQL
    copy_rows(ValueEvent, columns, rows, meter("value events", len(rows)))
    reset_sequence(ValueEvent)
    copy_rows(
        ConsentChange,
        ["event_id", "from_tier", "to_tier", "changed_by_id", "changed_at"],
        ((row[0], None, row[16], row[1], row[17]) for row in rows),
        meter("consent changes", len(rows)),
    )
    story_id = _stories(rng, now, home, members, long_chains, max(total // EVENTS_PER_STORY, 2))
    Aspiration.objects.bulk_create(
        [
            Aspiration(community_id=cid, cycle=cycle, text="Dat werkwijzen in de praktijk landen.")
            for cid in community_ids
            for cycle in (Cycle.APPLIED, Cycle.REALISED)
        ]
    )
    return story_id, tap_reply


def _stories(
    rng: random.Random,
    now: datetime,
    home: Community,
    members: dict[int, list[int]],
    chains: list[tuple[int, list[int], int]],
    count: int,
) -> int:
    told = rng.sample(chains, min(count, len(chains)))
    # The first story is the fixed one: published, for members, in the home community.
    home_members = members[home.pk]
    told.insert(0, (home.pk, [], home_members[-1]))
    stories = [
        ValueStory(
            community_id=cid,
            title=f"Van vraag naar werkwijze {n:04d}",
            immediate="Een vraag in de community leverde drie antwoorden op.",
            potential="Een intakeformulier van een andere gemeente.",
            applied="We gebruiken het nu bij elke aanmelding.",
            realised="Aanmeldingen lopen een week sneller.",
            ending=ValueStory.Ending.ACHIEVED if n % 3 else ValueStory.Ending.HOPED,
            created_by_id=uid,
            state=ValueStory.State.PUBLISHED if n % 5 or n == 0 else ValueStory.State.DRAFT,
            tier=Tier.MEMBERS if n == 0 else _weighted(rng, TIERS),
            published_at=now - timedelta(days=n % 300),
            created_at=now - timedelta(days=n % 300),
            updated_at=now - timedelta(days=n % 300),
        )
        for n, (cid, _ids, uid) in enumerate(told)
    ]
    ValueStory.objects.bulk_create(stories, batch_size=2000)
    ValueStory.authors.through.objects.bulk_create(
        [
            ValueStory.authors.through(valuestory_id=story.pk, user_id=uid)
            for story, (_cid, _ids, uid) in zip(stories, told, strict=True)
        ],
        batch_size=5000,
    )
    ValueStory.events.through.objects.bulk_create(
        [
            ValueStory.events.through(valuestory_id=story.pk, valueevent_id=eid)
            for story, (_cid, ids, _uid) in zip(stories, told, strict=True)
            for eid in ids
        ],
        batch_size=5000,
    )
    return stories[0].pk
