"""Writes on value-creation stories and aspirations."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from members.models import User
from value_cycles.models import Aspiration, ConsentChange, ValueEvent, ValueStory
from value_cycles.permissions import can_record_aspiration, can_write_story

SECTION_FIELDS = [name for _cycle, name in ValueStory.SECTIONS]


def _check_sections(sections: dict[str, str]) -> None:
    if not any(text.strip() for text in sections.values()):
        raise ValidationError(_("Write at least one part of the story."))


@transaction.atomic
def value_story_create(
    *,
    community: Community,
    author: User,
    title: str,
    sections: dict[str, str],
    ending: str,
    tier: int,
    events: Sequence[ValueEvent] = (),
    co_authors: Sequence[User] = (),
    publish: bool = False,
) -> ValueStory:
    """A story by a member, linked to their own events (and these events' sources).
    Co-authors must be members of the community too."""
    if not can_write_story(author, community):
        raise PermissionDenied
    if any(e.member_id != author.pk or e.community_id != community.pk for e in events):
        raise PermissionDenied
    _check_sections(sections)
    now = timezone.now()
    story = ValueStory.objects.create(
        community=community,
        title=title.strip(),
        ending=ending,
        tier=tier,
        created_by=author,
        state=ValueStory.State.PUBLISHED if publish else ValueStory.State.DRAFT,
        published_at=now if publish else None,
        created_at=now,
        updated_at=now,
        **{name: sections.get(name, "").strip() for name in SECTION_FIELDS},
    )
    story.authors.add(author, *[u for u in co_authors if can_write_story(u, community)])
    story.events.add(*events)
    story.source_threads.add(*_thread_ids(events))
    story.source_pages.add(*{e.source_page_id for e in events if e.source_page_id})
    ConsentChange.objects.create(story=story, from_tier=None, to_tier=tier, changed_by=author)
    return story


def _thread_ids(events: Sequence[ValueEvent]) -> set[int]:
    ids = {e.source_thread_id for e in events if e.source_thread_id}
    ids |= {e.source_reply.thread_id for e in events if e.source_reply is not None}
    return ids


def _is_author(user: User, story: ValueStory) -> bool:
    return story.authors.filter(pk=user.pk).exists()


@transaction.atomic
def value_story_update(
    *, story: ValueStory, by: User, fields: dict[str, Any], publish: bool
) -> ValueStory:
    """An author edits the story; a change of tier is recorded with its time."""
    if not _is_author(by, story):
        raise PermissionDenied
    story = ValueStory.objects.select_for_update().get(pk=story.pk)
    _check_sections({name: fields.get(name, "") for name in SECTION_FIELDS})
    tier = fields.pop("tier", story.tier)
    if tier != story.tier:
        ConsentChange.objects.create(story=story, from_tier=story.tier, to_tier=tier, changed_by=by)
        story.tier = tier
    for name, value in fields.items():
        setattr(story, name, value.strip() if isinstance(value, str) else value)
    now = timezone.now()
    if publish and not story.is_published:
        story.state, story.published_at = ValueStory.State.PUBLISHED, now
    elif not publish:
        story.state = ValueStory.State.DRAFT
    story.updated_at = now
    story.save()
    return story


@transaction.atomic
def aspiration_record(*, community: Community, by: User, cycle: int, text: str) -> Aspiration:
    """A facilitator's or sponsor's hope for one cycle of the community."""
    if not can_record_aspiration(by, community):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Write what you hope for."))
    return Aspiration.objects.create(community=community, cycle=cycle, text=text.strip(), author=by)
