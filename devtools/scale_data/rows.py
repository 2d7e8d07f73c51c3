"""The rows of a synthetic data set (`manage.py generate_scale_data`).

Rows go in with COPY, ids assigned here so replies can point at their parents without a
round trip. Bodies come from a pool of distinct texts per language (see `text`), each
rendered once through the real Markdown pipeline and indexed once: replies are written
with their search vector, threads (whose titles and tags differ) get theirs from the
search index's own batch function.
"""

from __future__ import annotations

import heapq
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from communities.models import Community, Membership
from devtools.scale_data.bodies import pool_size, pools
from devtools.scale_data.copying import copy_rows, next_id, reset_sequence
from devtools.scale_data.progress import Meter, duration, to_stderr
from devtools.scale_data.round_two import add_round_two
from devtools.scale_data.text import vocabularies
from discussions.models import Reaction, Reply, TaggedThread, Thread
from discussions.services.search_index import threads_reindex
from meetings.models import Meeting, TopicProposal
from members.models import Organization, User
from value_cycles.models import ValueEvent

SCALE_DOMAIN = "scale.test"
BENCH_MEMBER = f"bench-member@{SCALE_DOMAIN}"


@dataclass(frozen=True)
class Size:
    organizations: int
    users: int
    communities: int
    threads: int
    replies: int
    memberships_per_user: int = 3
    tags: int = 200

    @classmethod
    def named(cls, name: str) -> Size:
        return {
            "small": cls(organizations=20, users=300, communities=5, threads=1_000, replies=10_000),
            "medium": cls(
                organizations=100, users=2_000, communities=20, threads=20_000, replies=200_000
            ),
            "large": cls(
                organizations=200, users=10_000, communities=50, threads=100_000, replies=1_000_000
            ),
        }[name]


@dataclass
class ScaleResult:
    size: str
    seconds: float
    bench_member: str
    community_slug: str
    thread_20: int
    thread_200: int
    counts: dict[str, int]
    # The second round's fixed rows (devtools.scale_data.round_two).
    meeting: int = 0
    story: int = 0
    helped_reply: int = 0
    sponsored_slug: str = ""


def generate(
    size_name: str,
    *,
    seed: int = 7,
    progress: Callable[[str], None] = to_stderr,
    progress_interval: float = 5.0,
) -> ScaleResult:
    """Add a data set of the given size. Meant for an empty benchmark database.

    Reports each step, and for each table a line every `progress_interval` seconds with
    the rows written, the rate and the time left, through `progress` (stderr)."""
    size = Size.named(size_name)
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    started = time.monotonic()
    now = timezone.now()
    counts: dict[str, int] = {}

    def meter(what: str, total: int | None, unit: str = "rows") -> Meter:
        return Meter(what, total=total, emit=progress, interval=progress_interval, unit=unit)

    with transaction.atomic():
        progress("organisations and people...")
        org_ids = [
            Organization.objects.create(name=f"Organisatie {i:04d} (scale)").pk
            for i in range(size.organizations)
        ]
        first_user = next_id(User)
        user_ids = list(range(first_user, first_user + size.users))
        counts["users"] = copy_rows(
            User,
            [
                "id",
                "password",
                "is_superuser",
                "email",
                "display_name",
                "language",
                "time_zone",
                "organization_id",
                "job_title",
                "bio",
                "avatar",
                "field_visibility",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            (
                (
                    uid,
                    "!",
                    False,
                    BENCH_MEMBER if n == 0 else f"member{n}@{SCALE_DOMAIN}",
                    f"Lid {n}",
                    "nl" if n % 3 else "en",
                    settings.TIME_ZONE,
                    rng.choice(org_ids),
                    "",
                    "",
                    "",
                    "{}",
                    False,
                    True,
                    now - timedelta(days=rng.randint(1, 900)),
                )
                for n, uid in enumerate(user_ids)
            ),
            meter("users", size.users),
        )
        reset_sequence(User)

        progress("communities and memberships...")
        admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            f"scale-admin@{SCALE_DOMAIN}"
        )
        communities = []
        for i in range(size.communities):
            communities.append(
                Community.objects.create(
                    name=f"Schaalcommunity {i:03d}",
                    slug=f"scale-{i:03d}",
                    focus="Schaaltest.",
                    urgency="Meten.",
                    member_value="Snelheid.",
                    charter="Wees aardig.",
                    language="nl" if i % 4 else "en",
                    visibility=Community.Visibility.MEMBERS
                    if i % 2
                    else Community.Visibility.SIGNED_IN,
                )
            )
        community_ids = [c.pk for c in communities]
        members_of: dict[int, list[int]] = {cid: [] for cid in community_ids}
        membership_rows = []
        facilitated: set[int] = set()
        for n, uid in enumerate(user_ids):
            chosen = {community_ids[0]} if n == 0 else set()
            while len(chosen) < min(size.memberships_per_user, len(community_ids)):
                chosen.add(rng.choice(community_ids))
            for cid in chosen:
                # The first to join facilitates, but not the bench member (n == 0): the
                # benchmark measures the pages as a plain member sees them.
                role = Membership.Role.MEMBER
                if n != 0 and cid not in facilitated:
                    role = Membership.Role.FACILITATOR
                    facilitated.add(cid)
                members_of[cid].append(uid)
                membership_rows.append((cid, uid, role, "active", 1, now, "", "", now, now))
        counts["memberships"] = copy_rows(
            Membership,
            [
                "community_id",
                "user_id",
                "role",
                "state",
                "charter_version_accepted",
                "charter_accepted_at",
                "request_message",
                "decline_reason",
                "created_at",
                "updated_at",
            ],
            membership_rows,
            meter("memberships", len(membership_rows)),
        )
        del admin

        progress("threads...")
        words = vocabularies(seed)
        bodies = pools(
            words,
            rng,
            pool_size(size.threads, size.replies),
            emit=progress,
            interval=progress_interval,
        )
        counts.update({f"{lang}_words": len(vocab.words) for lang, vocab in words.items()})
        language_of = {c.pk: c.language for c in communities}
        first_thread = next_id(Thread)
        thread_ids = list(range(first_thread, first_thread + size.threads))
        thread_community: dict[int, int] = {}
        thread_created: dict[int, datetime] = {}
        kinds = [k for k in Thread.Kind.values if k != Thread.Kind.ANNOUNCEMENT]

        def thread_rows() -> Iterable[Sequence[Any]]:
            for n, tid in enumerate(thread_ids):
                cid = community_ids[0] if n < 2 else rng.choice(community_ids)
                thread_community[tid] = cid
                lang = language_of[cid]
                body, html, _ = rng.choice(bodies[lang])
                created = now - timedelta(minutes=size.threads - n)
                thread_created[tid] = created
                yield (
                    tid,
                    cid,
                    rng.choice(members_of[cid]),
                    rng.choice(kinds),
                    words[lang].sentence(rng, rng.randint(4, 9), end="?"),
                    body,
                    html,
                    created,
                    created,
                    0,
                    0,
                    False,
                    False,
                    False,
                )

        counts["threads"] = copy_rows(
            Thread,
            [
                "id",
                "community_id",
                "author_id",
                "kind",
                "title",
                "body",
                "body_html",
                "created_at",
                "last_activity_at",
                "reply_count",
                "reaction_count",
                "is_pinned",
                "is_locked",
                "is_hidden",
            ],
            thread_rows(),
            meter("threads", size.threads),
        )
        reset_sequence(Thread)

        progress("replies...")
        thread_20, thread_200 = thread_ids[0], thread_ids[1]
        fixed = {thread_20: 20, thread_200: 200}
        remaining = size.replies - sum(fixed.values())
        per_thread: dict[int, int] = dict.fromkeys(thread_ids, 0)
        per_thread.update(fixed)
        others = thread_ids[2:]
        for _ in range(max(remaining, 0)):
            per_thread[rng.choice(others)] += 1
        first_reply = next_id(Reply)
        reply_counter = [first_reply]
        reactions: list[tuple[int, int, str, datetime]] = []

        def reply_times(tid: int, count: int) -> Iterator[tuple[datetime, int]]:
            created = thread_created[tid]
            # Replies follow their thread by hours to days, faster on a thread too young
            # to have had them at that pace; none in the future.
            minutes = (now - created).total_seconds() / 60
            pace = 1 / min(180, minutes / (count + 1))
            for _ in range(count):
                created = min(created + timedelta(minutes=rng.expovariate(pace)), now)
                yield created, tid

        def reply_rows() -> Iterable[Sequence[Any]]:
            # In the order they were written, as a live site's table holds them: ids and
            # the table's pages follow time, the replies of one thread spread out.
            earlier: dict[int, list[int]] = defaultdict(list)
            streams = [reply_times(tid, count) for tid, count in per_thread.items() if count]
            for created, tid in heapq.merge(*streams):
                rid = reply_counter[0]
                reply_counter[0] += 1
                cid = thread_community[tid]
                in_thread = earlier[tid]
                # The 200-reply thread nests deeply; others nest now and then.
                nest = 0.8 if tid == thread_200 else 0.3
                parent = rng.choice(in_thread[-10:]) if in_thread and rng.random() < nest else None
                in_thread.append(rid)
                body, html, vector = rng.choice(bodies[language_of[cid]])
                # One reaction on one reply in five (so the counter is written with it).
                reacted = rng.random() < 0.2
                if reacted:
                    kind = rng.choice(Reaction.Kind.values)
                    reactions.append((rng.choice(user_ids), rid, kind, now))
                yield (
                    rid,
                    tid,
                    cid,
                    parent,
                    rng.choice(members_of[cid]),
                    body,
                    html,
                    created,
                    int(reacted),
                    False,
                    vector,
                )

        counts["replies"] = copy_rows(
            Reply,
            [
                "id",
                "thread_id",
                "community_id",
                "parent_id",
                "author_id",
                "body",
                "body_html",
                "created_at",
                "reaction_count",
                "is_hidden",
                "search_vector",
            ],
            reply_rows(),
            meter("replies", size.replies),
        )
        reset_sequence(Reply)

        progress("counters, tags and reactions...")
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE discussions_thread t SET reply_count = r.n, last_activity_at = r.last
                   FROM (SELECT thread_id, COUNT(*) n, MAX(created_at) last
                         FROM discussions_reply WHERE thread_id >= %s GROUP BY thread_id) r
                   WHERE t.id = r.thread_id""",
                [first_thread],
            )
        from taggit.models import Tag

        tags = [
            Tag.objects.get_or_create(
                name=f"onderwerp-{i:03d}", defaults={"slug": f"onderwerp-{i:03d}"}
            )[0].pk
            for i in range(size.tags)
        ]
        counts["thread_tags"] = copy_rows(
            TaggedThread,
            ["tag_id", "content_object_id"],
            ((tag, tid) for tid in thread_ids for tag in rng.sample(tags, rng.randint(0, 3))),
            meter("thread tags", None),
        )
        counts["reactions"] = copy_rows(
            Reaction,
            ["user_id", "reply_id", "kind", "created_at"],
            reactions,
            meter("reactions", len(reactions)),
        )

        round_two: dict[str, Any] = add_round_two(
            size.replies, seed=seed, now=now, progress=progress, progress_interval=progress_interval
        )
        counts["value_events"] = ValueEvent.objects.count()
        counts["meetings"] = Meeting.objects.count()
        counts["topic_proposals"] = TopicProposal.objects.count()

        progress("thread search vectors...")
        # Through the live index's batch function (titles and tags differ per thread);
        # the replies' vectors came with their pooled bodies.
        indexed = meter("thread vectors", size.threads, unit="threads")
        for start in range(first_thread, thread_ids[-1] + 1, 2000):
            batch = list(range(start, min(start + 2000, thread_ids[-1] + 1)))
            threads_reindex(batch)
            indexed.add(len(batch))
        indexed.done()
        progress("writing it all to disk (commit)...")
    progress("vacuum and statistics (no progress to report; minutes on the large set)...")
    vacuum_started = time.monotonic()
    with connection.cursor() as cursor:
        # The two updates of every thread above left the table twice its size, with
        # half of each page dead: a live table's autovacuum keeps it far smaller.
        cursor.execute(f"VACUUM FULL {Thread._meta.db_table}")
        # Fresh statistics (rows loaded by COPY are unknown to the planner until then),
        # and a visibility map, as a database in use has after autovacuum.
        cursor.execute("VACUUM ANALYZE")
    progress(f"  vacuum and statistics: {duration(time.monotonic() - vacuum_started)}")
    counts.update({"organizations": size.organizations, "communities": size.communities})
    return ScaleResult(
        size=size_name,
        seconds=round(time.monotonic() - started, 1),
        bench_member=BENCH_MEMBER,
        community_slug=communities[0].slug,
        thread_20=thread_20,
        thread_200=thread_200,
        counts=counts,
        **round_two,
    )


def save_result(result: ScaleResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(result), indent=2))
