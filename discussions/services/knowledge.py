"""Knowledge pages: written by core members and facilitators from one or more threads,
co-edited with a revision kept per save and edit conflicts refused.

A conflict is detected by version: every save bumps `KnowledgePage.version`; an edit
carries the version it started from, and when the page has moved on since, the edit
raises KnowledgeEditConflict instead of overwriting someone else's work.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.models import Community
from discussions.markdown import render_markdown
from discussions.models import KnowledgePage, KnowledgePageRevision, Thread
from discussions.permissions import can_edit_knowledge, threads_visible_to
from members.models import User

# Path segments next to a page's slug: a page may not take their names.
RESERVED_SLUGS = {"new"}
SLUG_LENGTH = KnowledgePage._meta.get_field("slug").max_length or 80


class KnowledgeEditConflict(Exception):
    """The page was saved by someone else after the edit started."""

    def __init__(self, current: KnowledgePage) -> None:
        super().__init__(f"knowledge page {current.pk} is at version {current.version}")
        self.current = current


def _check_visibility(community: Community, visibility: str) -> None:
    if visibility not in KnowledgePage.Visibility.values:
        raise ValidationError(_("Choose who can read the page."), code="visibility")
    if visibility == KnowledgePage.Visibility.PUBLIC and community.is_confidential:
        raise ValidationError(
            _("A confidential community's knowledge stays with its members; it cannot be public."),
            code="confidential",
        )


def _source_ids(by: User, community: Community, threads: Iterable[Thread]) -> set[int]:
    ids = {thread.pk for thread in threads}
    allowed = set(
        threads_visible_to(by).filter(community=community, pk__in=ids).values_list("pk", flat=True)
    )
    if allowed != ids:
        raise ValidationError(
            _("Link only threads of this community that you can read."), code="sources"
        )
    return ids


def _unique_slug(community: Community, title: str) -> str:
    base = slugify(title)[: SLUG_LENGTH - 4].strip("-") or "page"
    taken = set(
        KnowledgePage.objects.filter(community=community, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    taken |= RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _revision(page: KnowledgePage, by: User) -> None:
    KnowledgePageRevision.objects.create(
        page=page, version=page.version, title=page.title, body=page.body, edited_by=by
    )


@transaction.atomic
def knowledge_page_create(
    *,
    community: Community,
    by: User,
    title: str,
    body: str,
    visibility: str,
    source_threads: Iterable[Thread] = (),
) -> KnowledgePage:
    """Publish a new page (version 1, its first revision). Core members, facilitators and
    site admins; source threads must be of the community and readable by the writer.
    The community row is locked while the slug is chosen."""
    if not can_edit_knowledge(by, community):
        raise PermissionDenied
    _check_visibility(community, visibility)
    sources = _source_ids(by, community, source_threads)
    Community.objects.select_for_update().filter(pk=community.pk).first()
    now = timezone.now()
    page = KnowledgePage.objects.create(
        community=community,
        title=title.strip(),
        slug=_unique_slug(community, title),
        body=body,
        body_html=render_markdown(body),
        visibility=visibility,
        created_by=by,
        updated_by=by,
        created_at=now,
        updated_at=now,
    )
    page.source_threads.set(sources)
    _revision(page, by)
    return page


@transaction.atomic
def knowledge_page_update(
    *,
    page: KnowledgePage,
    by: User,
    base_version: int | None,
    title: str,
    body: str,
    visibility: str,
    source_threads: Iterable[Thread],
) -> KnowledgePage:
    """Save an edit that started from `base_version`. Raises KnowledgeEditConflict (and
    changes nothing) when the page was saved since. Links to source threads the editor
    cannot see are kept. An edit that changes nothing saves nothing."""
    community = page.community
    if not can_edit_knowledge(by, community):
        raise PermissionDenied
    _check_visibility(community, visibility)
    sources = _source_ids(by, community, source_threads)
    current = KnowledgePage.objects.select_for_update().select_related("community").get(pk=page.pk)
    if current.version != base_version:
        raise KnowledgeEditConflict(current)
    linked = set(current.source_threads.values_list("pk", flat=True))
    unseen = linked - set(threads_visible_to(by).filter(pk__in=linked).values_list("pk", flat=True))
    sources |= unseen
    title = title.strip()
    if (current.title, current.body, current.visibility, linked) == (
        title,
        body,
        visibility,
        sources,
    ):
        return current
    current.title, current.body, current.visibility = title, body, visibility
    current.body_html = render_markdown(body)
    current.version += 1
    current.updated_by = by
    current.updated_at = timezone.now()
    current.save(
        update_fields=[
            "title",
            "body",
            "body_html",
            "visibility",
            "version",
            "updated_by",
            "updated_at",
        ]
    )
    current.source_threads.set(sources)
    _revision(current, by)
    return current
