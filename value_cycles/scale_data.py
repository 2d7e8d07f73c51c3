"""Synthetic data at scale for the benchmarks (`manage.py generate_scale_data`).

Rows go in with COPY, ids assigned here so replies can point at their parents without a
round trip. Bodies are rendered once per distinct text (a pool) through the real
Markdown pipeline, and search vectors are filled by one UPDATE per table with the same
weights as the search index, through the index's own batch functions.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from communities.models import Community, Membership
from discussions.markdown import render_markdown
from discussions.models import Reaction, Reply, TaggedThread, Thread
from discussions.services.search_index import replies_reindex, threads_reindex
from members.models import Organization, User

SCALE_DOMAIN = "scale.test"
BENCH_MEMBER = f"bench-member@{SCALE_DOMAIN}"

NL_WORDS = (
    (
        "community kennis delen vraag antwoord ervaring project zorg organisatie collega "
        "samenwerking leren praktijk verhaal tip netwerk bijeenkomst facilitator lid "
        "implementatie werkwijze cliënt wijk gemeente verzekeraar schade expert oplossing "
        "aanpak resultaat planning overleg evaluatie privacy digitaal beeldbellen team "
        "ambassadeur vertrouwen afspraak onderwerp webinar intervisie casus methode"
    )
    .replace("ë", "e")
    .split()
)
EN_WORDS = [
    "community",
    "knowledge",
    "share",
    "question",
    "answer",
    "experience",
    "project",
    "care",
    "organisation",
    "colleague",
    "collaboration",
    "learning",
    "practice",
    "story",
    "tip",
    "network",
    "meeting",
    "facilitator",
    "member",
    "implementation",
    "approach",
    "client",
    "neighbourhood",
    "council",
    "insurer",
    "damage",
    "expert",
    "solution",
    "result",
    "planning",
    "review",
    "evaluation",
    "privacy",
    "digital",
    "video",
    "team",
    "ambassador",
    "trust",
    "agreement",
    "topic",
    "webinar",
    "peer",
    "case",
    "method",
    "accessibility",
    "performance",
]


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


def _sentence(rng: random.Random, words: Sequence[str], length: int) -> str:
    return " ".join(rng.choice(words) for _ in range(length)).capitalize() + "."


def _body(rng: random.Random, words: Sequence[str]) -> str:
    paragraphs = [
        " ".join(_sentence(rng, words, rng.randint(6, 16)) for _ in range(rng.randint(1, 4)))
        for _ in range(rng.randint(1, 3))
    ]
    return "\n\n".join(paragraphs)


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
        for n, uid in enumerate(user_ids):
            chosen = {community_ids[0]} if n == 0 else set()
            while len(chosen) < min(size.memberships_per_user, len(community_ids)):
                chosen.add(rng.choice(community_ids))
            for cid in chosen:
                role = (
                    Membership.Role.FACILITATOR
                    if len(members_of[cid]) == 0
                    else (Membership.Role.MEMBER)
                )
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
        pools = {
            lang: [
                (body, render_markdown(body))
                for body in (_body(rng, NL_WORDS if lang == "nl" else EN_WORDS) for _ in range(400))
            ]
            for lang in ("nl", "en")
        }
        language_of = {c.pk: c.language for c in communities}
        first_thread = _next_id(Thread)
        thread_ids = list(range(first_thread, first_thread + size.threads))
        thread_community: dict[int, int] = {}
        kinds = [k for k in Thread.Kind.values if k != Thread.Kind.ANNOUNCEMENT]

        def thread_rows() -> Iterable[Sequence[Any]]:
            for n, tid in enumerate(thread_ids):
                cid = community_ids[0] if n < 2 else rng.choice(community_ids)
                thread_community[tid] = cid
                lang = language_of[cid]
                body, html = rng.choice(pools[lang])
                words = NL_WORDS if lang == "nl" else EN_WORDS
                created = now - timedelta(minutes=size.threads - n)
                yield (
                    tid,
                    cid,
                    rng.choice(members_of[cid]),
                    rng.choice(kinds),
                    _sentence(rng, words, rng.randint(4, 9))[:-1] + "?",
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
        reply_ids_for_reactions: list[int] = []

        def reply_rows() -> Iterable[Sequence[Any]]:
            for tid, count in per_thread.items():
                if not count:
                    continue
                cid = thread_community[tid]
                lang = language_of[cid]
                earlier: list[int] = []
                for i in range(count):
                    rid = reply_counter[0]
                    reply_counter[0] += 1
                    # The 200-reply thread nests deeply; others nest now and then.
                    nest = 0.8 if tid == thread_200 else 0.3
                    parent = rng.choice(earlier[-10:]) if earlier and rng.random() < nest else None
                    body, html = rng.choice(pools[lang])
                    earlier.append(rid)
                    if rng.random() < 0.2:
                        reply_ids_for_reactions.append(rid)
                    yield (
                        rid,
                        tid,
                        parent,
                        rng.choice(members_of[cid]),
                        body,
                        html,
                        now - timedelta(seconds=count - i),
                        0,
                        False,
                    )

        counts["replies"] = _copy(
            Reply,
            [
                "id",
                "thread_id",
                "parent_id",
                "author_id",
                "body",
                "body_html",
                "created_at",
                "reaction_count",
                "is_hidden",
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
        # One reaction per (user, reply, kind), as the unique constraint demands.
        reactions = {
            (rng.choice(user_ids), rid, rng.choice(Reaction.Kind.values))
            for rid in reply_ids_for_reactions
        }
        unique_rows = [(*reaction, now) for reaction in sorted(reactions)]
        counts["reactions"] = _copy(
            Reaction, ["user_id", "reply_id", "kind", "created_at"], unique_rows
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE discussions_reply r SET reaction_count = x.n
                   FROM (SELECT reply_id, COUNT(*) n FROM discussions_reaction
                         WHERE reply_id IS NOT NULL GROUP BY reply_id) x
                   WHERE r.id = x.reply_id AND r.id >= %s""",
                [first_reply],
            )

        progress("search vectors")
        # The same vectors as the live index (accent-folded plain text, tags, weights).
        for reindex, first, last in (
            (threads_reindex, first_thread, thread_ids[-1]),
            (replies_reindex, first_reply, reply_counter[0] - 1),
        ):
            for start in range(first, last + 1, 2000):
                reindex(list(range(start, min(start + 2000, last + 1))))
    with connection.cursor() as cursor:
        # Fresh statistics: rows loaded by COPY are unknown to the planner until then.
        cursor.execute("ANALYZE")
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
