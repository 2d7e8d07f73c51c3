"""Who could answer each unanswered question: active members of the community (who
may therefore read it) whose expertise matches the question, in one query for all the
questions the console lists.

A match is an expertise tag (any case) equal to one of the question's tags or to a word
of its title (of MIN_WORD letters or more). Only expertise the viewer may see on the
profile counts (`members.permissions.profile_field_visible_q`), so the list cannot
reveal a hidden field, as in the expert finder. Left out: the question's author, anyone
asked about this question before, and anyone asked about any question in the last
ASK_QUIET_DAYS days. Ranked by the number of matching tags, then by name;
CANDIDATES per question.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from communities.models import Community, Membership
from discussions.models import Thread
from facilitation.models import AnswerRequest
from members.models import TaggedExpertise
from members.permissions import profile_field_visible_q
from members.types import Viewer

CANDIDATES = 3
ASK_QUIET_DAYS = 14
MIN_WORD = 4
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass
class Candidate:
    user_id: int
    name: str
    matching: list[str] = field(default_factory=list)


def question_keys(thread: Thread) -> set[str]:
    """The question's tags and title words, lower-cased: what an expertise must equal."""
    words = {w.lower() for w in _WORD.findall(thread.title) if len(w) >= MIN_WORD}
    tags = {name.lower() for name in getattr(thread, "tag_list", None) or []}
    return words | tags


def answer_candidates(
    viewer: Viewer, community: Community, questions: list[Thread], now: datetime | None = None
) -> dict[int, list[Candidate]]:
    """{thread id: candidates} for the listed questions (one query; none when there are
    no questions). `questions` carry `tag_list` (the attention selector adds it)."""
    if not questions:
        return {}
    now = now or timezone.now()
    keys = {thread.pk: question_keys(thread) for thread in questions}
    every_key = sorted(set().union(*keys.values()))
    if not every_key:
        return {}
    members = Membership.objects.filter(
        community=community,
        state=Membership.State.ACTIVE,
        role__gte=Membership.Role.MEMBER,
        user__is_active=True,
    ).values("user_id")
    recently = AnswerRequest.objects.filter(created_at__gte=now - timedelta(days=ASK_QUIET_DAYS))
    rows = (
        TaggedExpertise.objects.annotate(key=Lower("tag__name"))
        .filter(key__in=every_key, content_object_id__in=members)
        .filter(
            profile_field_visible_q(
                "expertise", viewer, shares_community=True, prefix="content_object__"
            )
        )
        .exclude(content_object_id__in=recently.values("asked_id"))
        .annotate(
            asked_about=ArraySubquery(
                AnswerRequest.objects.filter(
                    asked_id=OuterRef("content_object_id"), thread_id__in=sorted(keys)
                ).values("thread_id")
            )
        )
        .order_by()
        .values_list(
            "content_object_id",
            "content_object__display_name",
            "content_object__email",
            "tag__name",
            "key",
            "asked_about",
        )
    )
    people: dict[int, tuple[str, dict[str, str], set[int]]] = {}
    for user_id, display_name, email, tag, key, asked_about in rows:
        name = display_name or email.split("@", 1)[0]
        entry = people.setdefault(user_id, (name, {}, set(asked_about or [])))
        entry[1][key] = tag
    result: dict[int, list[Candidate]] = defaultdict(list)
    for thread in questions:
        ranked = []
        for user_id, (name, tags, asked_about) in people.items():
            if user_id == thread.author_id or thread.pk in asked_about:
                continue
            matching = sorted(tag for key, tag in tags.items() if key in keys[thread.pk])
            if matching:
                ranked.append((-len(matching), name.lower(), user_id, name, matching))
        ranked.sort()
        result[thread.pk] = [
            Candidate(user_id=user_id, name=name, matching=matching)
            for _score, _key, user_id, name, matching in ranked[:CANDIDATES]
        ]
    return dict(result)
