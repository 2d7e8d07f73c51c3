"""The texts of one page of search results: titles, authors and bodies of the ranked
candidates, read in one query, with the query's words highlighted."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.db import connection
from django.utils.safestring import SafeString

from communities.models import Community, Membership
from discussions.bylines import role_label
from discussions.models import Reply, Thread
from discussions.text import Matcher, highlight, html_to_text, snippet, tsquery_lexemes
from members.models import Organization, User
from members.selectors import byline_for_viewer
from members.types import Viewer

THREAD, REPLY = "thread", "reply"
CONFIGS = {Community.Language.NL: "dutch", Community.Language.EN: "english"}


@dataclass(frozen=True)
class SearchHit:
    post_type: str
    url: str
    title: SafeString  # escaped, with <mark>
    snippet: SafeString  # escaped, with <mark>
    kind_label: str
    community_name: str
    community_url: str
    author_name: str | None
    created_at: datetime
    byline: dict[str, object] | None = None

    @property
    def is_reply(self) -> bool:
        return self.post_type == REPLY


class Candidate(NamedTuple):
    post_type: str
    id: int
    created: datetime
    rank: float


_MEMBERSHIP = Membership._meta.db_table
_ACTIVE = Membership.State.ACTIVE.value
_TSQUERIES = ", ".join(
    f"websearch_to_tsquery('{config}'::regconfig, %s)::text" for config in CONFIGS.values()
)
_PAGE_SQL = f"""
    SELECT page.n, t.id, t.title, t.kind, c.name, c.slug, u.display_name, u.email,
        COALESCE(r.body_html, t.body_html),
        u.id, u.avatar, o.name, u.field_visibility,
        (SELECT m.role FROM {_MEMBERSHIP} m WHERE m.user_id = u.id
            AND m.community_id = t.community_id AND m.state = '{_ACTIVE}' LIMIT 1),
        EXISTS (SELECT 1 FROM {_MEMBERSHIP} m1 WHERE m1.user_id = u.id
            AND m1.state = '{_ACTIVE}' AND m1.community_id IN (
                SELECT m2.community_id FROM {_MEMBERSHIP} m2 WHERE m2.user_id = %s
                AND m2.state = '{_ACTIVE}' AND m2.role >= {Membership.Role.MEMBER.value})),
        {_TSQUERIES}
    FROM unnest(%s::text[], %s::bigint[]) WITH ORDINALITY AS page(post_type, id, n)
    LEFT JOIN {Reply._meta.db_table} r ON page.post_type = '{REPLY}' AND r.id = page.id
    JOIN {Thread._meta.db_table} t ON t.id = COALESCE(r.thread_id, page.id)
    JOIN {Community._meta.db_table} c ON c.id = t.community_id
    LEFT JOIN {User._meta.db_table} u ON u.id = CASE page.post_type
        WHEN '{THREAD}' THEN t.author_id ELSE r.author_id END
    LEFT JOIN {Organization._meta.db_table} o ON o.id = u.organization_id
    ORDER BY page.n
"""  # noqa: S608 - only constants; values are parameters
# The byline's columns (9 to 14) hold the rule of communities.permissions.
# shares_community_exists written as SQL: the viewer shares a community with the author.
_BYLINE_COLUMNS = slice(9, 15)
_TSQUERY_COLUMNS = slice(15, None)


def hits(page: list[Candidate], folded: str, viewer: Viewer | None = None) -> list[SearchHit]:
    """The page's hits with highlighted titles, snippets and the authors' bylines as
    the viewer may see them, in one query. The ids come from the candidates, which were
    found among the posts the user may read."""
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    with connection.cursor() as cursor:
        cursor.execute(
            _PAGE_SQL,
            [
                viewer_id,
                *[folded] * len(CONFIGS),
                [c.post_type for c in page],
                [c.id for c in page],
            ],
        )
        rows = cursor.fetchall()
    if not rows:
        return []
    texts = rows[0][_TSQUERY_COLUMNS]
    matcher = _RememberingMatcher(folded, tsquery_lexemes(*(text or "" for text in texts)))
    return [_hit(page[row[0] - 1], row, matcher, viewer) for row in rows]


class _RememberingMatcher(Matcher):
    """A Matcher that remembers its answer per word: a page's texts repeat words."""

    def __init__(self, query: str, lexemes: set[str]) -> None:
        super().__init__(query, lexemes)
        self._answers: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        answer = self._answers.get(word)
        if answer is None:
            answer = self._answers[word] = super().matches(word)
        return answer


def _byline(
    viewer: Viewer | None, row: Sequence[Any], name: str | None
) -> dict[str, object] | None:
    person_id, avatar, organization, visibility, role, shares = row[_BYLINE_COLUMNS]
    if viewer is None or person_id is None:
        return None
    return byline_for_viewer(
        viewer,
        person_id=person_id,
        name=name or "",
        avatar_name=avatar or "",
        organization=organization or "",
        field_visibility=visibility,
        shares_community=bool(shares),
        role_label=role_label(role),
    )


def _hit(
    candidate: Candidate, row: Sequence[Any], matcher: Matcher, viewer: Viewer | None = None
) -> SearchHit:
    _, thread_id, title, kind, community, slug, author_name, email, body_html = row[:9]
    if candidate.post_type == THREAD:
        url = Thread(pk=candidate.id).get_absolute_url()
    else:
        url = Reply(pk=candidate.id, thread_id=thread_id).get_absolute_url()
    author = User(display_name=author_name, email=email).name if email is not None else None
    return SearchHit(
        post_type=candidate.post_type,
        url=url,
        title=highlight(title, matcher),
        snippet=snippet(html_to_text(body_html or ""), matcher),
        kind_label=str(Thread.Kind(kind).label),
        community_name=community,
        community_url=Community(slug=slug).get_absolute_url(),
        author_name=author,
        created_at=candidate.created,
        byline=_byline(viewer, row, author),
    )
