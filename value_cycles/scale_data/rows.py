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
from discussions.markdown import render_markdown
from discussions.models import Reaction, Reply, TaggedThread, Thread
from discussions.services.search_index import search_config_of, threads_reindex
from discussions.text import fold, html_to_text
from members.models import Organization, User
from value_cycles.scale_data.text import Vocabulary, vocabularies

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


def _next_id(model: type[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _copy(model: type[Any], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's cursor: COPY is not part of Django's API
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _reset_sequence(model: type[Any]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def _pool_size(size: Size) -> int:
    """Distinct bodies per language: each is rendered and indexed once and reused by
    about thirty posts on the large set."""
    return min(max((size.threads + size.replies) // 36, 400), 30_000)


def _pools(
    words: dict[str, Vocabulary], rng: random.Random, count: int
) -> dict[str, list[tuple[str, str, str]]]:
    """Per language: (Markdown, HTML, reply search vector) for `count` distinct bodies.

    The vector is the one `replies_reindex` builds for such a body, computed once per
    body here so that replies are written once, with their vector, by COPY."""
    pools = {}
    for language, vocabulary in words.items():
        bodies = [vocabulary.body(rng) for _ in range(count)]
        html = [render_markdown(body) for body in bodies]
        with connection.cursor() as cursor:
            cursor.execute(
                _POOL_VECTORS,
                [search_config_of(language), [fold(html_to_text(h)) for h in html]],
            )
            vectors = [row[0] for row in cursor.fetchall()]
        pools[language] = list(zip(bodies, html, vectors, strict=True))
    return pools


# As in search_index's batch UPDATE for replies: the body weighs B.
_POOL_VECTORS = """
    SELECT setweight(to_tsvector(%s::regconfig, v.body), 'B')::text
    FROM unnest(%s::text[]) WITH ORDINALITY AS v(body, n) ORDER BY v.n
"""


@dataclass
class ScaleResult:
    size: str
    seconds: float
    bench_member: str
    community_slug: str
    thread_20: int
    thread_200: int
    counts: dict[str, int]


def generate(
    size_name: str, *, seed: int = 7, progress: Callable[[str], None] = print
) -> ScaleResult:
    """Add a data set of the given size. Meant for an empty benchmark database."""
    size = Size.named(size_name)
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    started = time.monotonic()
    now = timezone.now()
    counts: dict[str, int] = {}

    with transaction.atomic():
        progress("organisations and people")
        org_ids = [
            Organization.objects.create(name=f"Organisatie {i:04d} (scale)").pk
            for i in range(size.organizations)
        ]
        first_user = _next_id(User)
        user_ids = list(range(first_user, first_user + size.users))
        counts["users"] = _copy(
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
        )
        _reset_sequence(User)

        progress("communities and memberships")
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
        counts["memberships"] = _copy(
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
        )
        del admin

        progress("threads")
        words = vocabularies(seed)
        pools = _pools(words, rng, _pool_size(size))
        counts.update({f"{lang}_words": len(vocab.words) for lang, vocab in words.items()})
        language_of = {c.pk: c.language for c in communities}
        first_thread = _next_id(Thread)
        thread_ids = list(range(first_thread, first_thread + size.threads))
        thread_community: dict[int, int] = {}
        thread_created: dict[int, datetime] = {}
        kinds = [k for k in Thread.Kind.values if k != Thread.Kind.ANNOUNCEMENT]

        def thread_rows() -> Iterable[Sequence[Any]]:
            for n, tid in enumerate(thread_ids):
                cid = community_ids[0] if n < 2 else rng.choice(community_ids)
                thread_community[tid] = cid
                lang = language_of[cid]
                body, html, _ = rng.choice(pools[lang])
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

        counts["threads"] = _copy(
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
        )
        _reset_sequence(Thread)

        progress("replies")
        thread_20, thread_200 = thread_ids[0], thread_ids[1]
        fixed = {thread_20: 20, thread_200: 200}
        remaining = size.replies - sum(fixed.values())
        per_thread: dict[int, int] = dict.fromkeys(thread_ids, 0)
        per_thread.update(fixed)
        others = thread_ids[2:]
        for _ in range(max(remaining, 0)):
            per_thread[rng.choice(others)] += 1
        first_reply = _next_id(Reply)
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
                body, html, vector = rng.choice(pools[language_of[cid]])
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

        counts["replies"] = _copy(
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
        )
        _reset_sequence(Reply)

        progress("counters, tags and reactions")
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
        counts["thread_tags"] = _copy(
            TaggedThread,
            ["tag_id", "content_object_id"],
            ((tag, tid) for tid in thread_ids for tag in rng.sample(tags, rng.randint(0, 3))),
        )
        counts["reactions"] = _copy(
            Reaction, ["user_id", "reply_id", "kind", "created_at"], reactions
        )

        progress("thread search vectors")
        # Through the live index's batch function (titles and tags differ per thread);
        # the replies' vectors came with their pooled bodies.
        for start in range(first_thread, thread_ids[-1] + 1, 2000):
            threads_reindex(list(range(start, min(start + 2000, thread_ids[-1] + 1))))
    progress("vacuum and statistics")
    with connection.cursor() as cursor:
        # The two updates of every thread above left the table twice its size, with
        # half of each page dead: a live table's autovacuum keeps it far smaller.
        cursor.execute(f"VACUUM FULL {Thread._meta.db_table}")
        # Fresh statistics (rows loaded by COPY are unknown to the planner until then),
        # and a visibility map, as a database in use has after autovacuum.
        cursor.execute("VACUUM ANALYZE")
    counts.update({"organizations": size.organizations, "communities": size.communities})
    return ScaleResult(
        size=size_name,
        seconds=round(time.monotonic() - started, 1),
        bench_member=BENCH_MEMBER,
        community_slug=communities[0].slug,
        thread_20=thread_20,
        thread_200=thread_200,
        counts=counts,
    )


def save_result(result: ScaleResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(result), indent=2))
