"""The mixed load's plan: its members, their sessions and steps, and the wrk script.

Members are bench-user-NNN@scale.test, signed in in-process. Each gets STEPS_PER_MEMBER
requests drawn from MIX, from real ids of threads it may read in its own communities;
render_script() writes them in front of the Lua template (devtools/bench_mixed.lua).
Writes never touch the two fixed threads that `make bench` measures.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from communities.models import Community, Membership
from devtools.benchmark import search_queries
from devtools.scale_data import SCALE_DOMAIN
from discussions.models import Reaction
from discussions.permissions import replies_visible_to, threads_visible_to
from members.models import User

TEMPLATE = Path(__file__).with_name("bench_mixed.lua")
STEPS_PER_MEMBER = 200
# Weights per 100 requests. Thread sizes are picked per member from its own communities:
# "small" up to 3 replies, "medium" around the set's median, "large" its longest threads.
MIX: tuple[tuple[str, int], ...] = (
    ("thread, small", 14),
    ("thread, medium", 11),
    ("thread, large", 8),
    ("thread, 200 nested replies", 2),
    ("thread list", 12),
    ("community home", 10),
    ("feed", 10),
    ("search", 10),
    ("profile", 7),
    ("notifications", 6),
    ("directory", 5),
    ("react", 4),
    ("reply", 1),
)
REPLY_TEXTS = (
    "Dank voor het delen, dit herken ik.",
    "Goede vraag: bij ons werkte een vaste planning het best.",
    "Thanks, that helped our team too.",
    "Same experience here; the checklist made the difference.",
)


@dataclass(frozen=True)
class Step:
    kind: str
    method: str
    path: str
    body: str = ""


@dataclass
class Member:
    email: str
    cookie: str
    csrf: str
    steps: list[Step]


def bench_users(count: int) -> list[User]:
    """bench-user-001@scale.test …: active members of three scale communities each
    (scale-000, with the fixed threads, and two more), created once and reused.

    Memberships are dated a month back, so the new-member posting limit does not turn
    the replies of a long run into form errors.
    """
    emails = [f"bench-user-{n:03d}@{SCALE_DOMAIN}" for n in range(1, count + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    new_users = []
    for n, email in enumerate(emails, start=1):
        if email not in existing:
            user = User(email=email, display_name=f"Bench user {n:03d}")
            user.set_unusable_password()
            new_users.append(user)
    User.objects.bulk_create(new_users)
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    communities = list(Community.objects.filter(slug__startswith="scale-").order_by("slug"))
    if not communities:
        raise SystemExit("No scale communities: generate the data set first.")
    month_ago = timezone.now() - timedelta(days=30)
    memberships = []
    for n, user in enumerate(users):
        picked = {
            0,
            1 + n % max(len(communities) - 1, 1),
            1 + (n * 7 + 3) % max(len(communities) - 1, 1),
        }
        for index in sorted(i for i in picked if i < len(communities)):
            community = communities[index]
            memberships.append(
                Membership(
                    community=community,
                    user=user,
                    role=Membership.Role.MEMBER,
                    state=Membership.State.ACTIVE,
                    charter_version_accepted=community.charter_version,
                    charter_accepted_at=month_ago,
                    created_at=month_ago,
                    updated_at=month_ago,
                )
            )
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)
    return users


def _sign_in(user: User) -> tuple[str, str]:
    """A session made in-process, as `make bench` signs in its member, plus a CSRF secret
    for the cookie; Django accepts the unmasked secret in X-CSRFToken."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return cookie, csrf


def _targets(user: User, fixed: set[int]) -> dict[str, Any]:
    """Real ids this member may read and write, from its own communities."""
    communities = list(
        Community.objects.filter(
            memberships__user=user, memberships__state=Membership.State.ACTIVE
        ).order_by("slug")
    )
    threads = threads_visible_to(user).filter(community__in=communities)
    small = list(
        threads.filter(reply_count__lte=3).order_by("pk").values_list("pk", flat=True)[:30]
    )
    medium = list(
        threads.filter(reply_count__range=(8, 15)).order_by("pk").values_list("pk", flat=True)[:30]
    )
    large = list(
        threads.exclude(pk__in=fixed)
        .order_by("-reply_count", "pk")
        .values_list("pk", flat=True)[:15]
    )
    writable = [pk for pk in small + medium if pk not in fixed]
    replies = list(
        replies_visible_to(user)
        .filter(thread_id__in=[pk for pk in medium if pk not in fixed])
        .order_by("pk")
        .values_list("pk", flat=True)[:60]
    )
    authors = list(
        threads.filter(~Q(author=None))
        .order_by("author_id")
        .values_list("author_id", flat=True)
        .distinct()[:30]
    )
    return {
        "slugs": [c.slug for c in communities],
        "thread, small": small or medium,
        "thread, medium": medium or small,
        "thread, large": large,
        "writable": writable,
        "replies": replies,
        "authors": authors or [user.pk],
    }


def plan_steps(
    targets: dict[str, Any],
    *,
    thread_200: int,
    queries: Sequence[str],
    rng: random.Random,
    count: int = STEPS_PER_MEMBER,
) -> list[Step]:
    """`count` requests drawn from MIX; kinds without targets are left out."""
    kinds = [kind for kind, _ in MIX]
    weights = [weight for _, weight in MIX]
    steps: list[Step] = []
    while len(steps) < count:
        step = _step(rng.choices(kinds, weights)[0], targets, thread_200, queries, rng)
        if step is not None:
            steps.append(step)
    return steps


def _step(
    kind: str,
    targets: dict[str, Any],
    thread_200: int,
    queries: Sequence[str],
    rng: random.Random,
) -> Step | None:
    slug = rng.choice(targets["slugs"])
    if kind.startswith("thread, ") and kind != "thread, 200 nested replies":
        pool = targets[kind]
        return Step(kind, "GET", _thread(rng.choice(pool))) if pool else None
    if kind == "thread, 200 nested replies":
        return Step(kind, "GET", _thread(thread_200))
    if kind == "thread list":
        variant = rng.choice(["", "", "?sort=newest", "?state=unanswered", "?sort=reactions"])
        return Step(kind, "GET", reverse("discussions:thread-list", args=[slug]) + variant)
    if kind == "search":
        query = urlencode({"q": rng.choice(queries)})
        return Step(kind, "GET", f"{reverse('discussions:search')}?{query}")
    if kind == "profile":
        return Step(
            kind, "GET", reverse("communities:person", args=[rng.choice(targets["authors"])])
        )
    if kind == "react":
        body = urlencode({"kind": rng.choice(Reaction.Kind.values)})
        if targets["replies"] and rng.random() < 0.8:
            path = reverse("discussions:reply-react", args=[rng.choice(targets["replies"])])
        elif targets["writable"]:
            path = reverse("discussions:thread-react", args=[rng.choice(targets["writable"])])
        else:
            return None
        return Step(kind, "POST", path, body)
    if kind == "reply":
        if not targets["writable"]:
            return None
        path = reverse("discussions:reply-create", args=[rng.choice(targets["writable"])])
        return Step(kind, "POST", path, urlencode({"body": rng.choice(REPLY_TEXTS)}))
    fixed = {
        "community home": ("communities:detail", [slug]),
        "feed": ("discussions:feed", []),
        "notifications": ("discussions:notifications", []),
        "directory": ("communities:directory", []),
    }
    name, args = fixed[kind]
    return Step(kind, "GET", reverse(name, args=args))


def _thread(pk: int) -> str:
    return reverse("discussions:thread", args=[pk])


def _lua_string(text: str) -> str:
    """A Lua string literal; anything outside printable ASCII as decimal byte escapes."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        if char in '"\\' or not (32 <= byte < 127):
            out.append(f"\\{byte:03d}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def render_script(members: Sequence[Member], *, think_ms: int, template: str | None = None) -> str:
    """The generated head (PLAN, THINK_MS) followed by the Lua template."""
    lines = [
        "-- Generated by devtools/bench_plan.py for `manage.py bench --mixed`; do not edit.",
        f"THINK_MS = {int(think_ms)}",
        "PLAN = {",
    ]
    for member in members:
        lines.append(
            f"  {{ email = {_lua_string(member.email)}, cookie = {_lua_string(member.cookie)},"
            f" csrf = {_lua_string(member.csrf)},"
        )
        lines.append("    steps = {")
        lines.extend(
            f"      {{ {_lua_string(s.method)}, {_lua_string(s.path)}, {_lua_string(s.body)} }},"
            for s in member.steps
        )
        lines.append("    } },")
    lines.append("}")
    body = template if template is not None else TEMPLATE.read_text()
    return "\n".join(lines) + "\n\n" + body


def members(data: dict[str, Any], users: int) -> list[Member]:
    """The first `users` bench members, signed in, with their steps (same seed, same steps)."""
    fixed = {int(data["thread_20"]), int(data["thread_200"])}
    queries = search_queries()
    plan = []
    for n, user in enumerate(bench_users(users), start=1):
        rng = random.Random(n)  # noqa: S311 - a repeatable mix, not security
        steps = plan_steps(
            _targets(user, fixed), thread_200=int(data["thread_200"]), queries=queries, rng=rng
        )
        cookie, csrf = _sign_in(user)
        plan.append(Member(user.email, cookie, csrf, steps))
    return plan
