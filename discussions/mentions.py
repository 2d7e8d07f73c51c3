"""@mentions: how they are written and whom they name.

Syntax. A mention is `@` followed by the person's name as everyone sees it
(`User.name`: the display name, else the part of the address before the @), typed by
hand or inserted by the autocomplete: `@Mira Jansen`. There are no usernames and no
ids in the text, so the same Markdown works with and without JavaScript and the
rendered HTML is exactly what the author typed: a mention is plain text, never a link.
Markdown rendering and nh3 sanitising therefore have nothing to drop, and a name that
names nobody (or someone who may not read the thread) stays plain text that reveals
nothing about who exists or who was told.

Resolution, on the server, against the people who may be mentioned in that thread
(the caller passes them, see `discussions.selectors.notifications`):

- `@` counts at the start of a text or after a character that is not a letter or digit
  (so `jan@example.org` is no mention), and only in prose: not in code spans or code
  blocks.
- Case-insensitive; the longest name that the text after the `@` starts with wins, and
  the name must end at a word boundary (`@Mira Jansens` does not name "Mira Jansen").
- A longest name shared by more than one candidate is ambiguous and names nobody:
  guessing would notify the wrong person.
- At most `MAX_MENTIONS` mentions per post are looked at, so a post cannot be used to
  notify a whole community.
"""

import re
from collections.abc import Iterable, Iterator

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, Left, Lower, NullIf, StrIndex
from markdown_it import MarkdownIt

from members.models import User

MAX_MENTIONS = 20
# The longest name a mention can carry: User.display_name's max_length.
MAX_NAME_LENGTH = 80

_parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_MENTION_START = re.compile(r"(?<!\w)@(?=\w)")


def mention_name_expression() -> Coalesce:
    """`User.name` in SQL: the display name, else the address up to the @."""
    local_part = Left("email", StrIndex("email", Value("@")) - 1)
    return Coalesce(NullIf(F("display_name"), Value("")), local_part)


def _prose_segments(body: str) -> Iterator[str]:
    """Runs of prose text in the Markdown source; code and line breaks end a run."""
    for token in _parser.parse(body):
        if token.type != "inline" or not token.children:
            continue
        run: list[str] = []
        for child in token.children:
            if child.type == "text":
                run.append(child.content)
            elif child.type in {"code_inline", "softbreak", "hardbreak", "image"}:
                if run:
                    yield "".join(run)
                run = []
        if run:
            yield "".join(run)


def mention_snippets(body: str) -> list[str]:
    """The text after each mention `@`, long enough to hold any name."""
    snippets = []
    for segment in _prose_segments(body):
        starts = [match.start() for match in _MENTION_START.finditer(segment)]
        # Each snippet stops where the next mention begins.
        ends = [*starts[1:], len(segment)]
        for start, end in zip(starts, ends[: len(starts)], strict=True):
            snippets.append(segment[start + 1 : min(end, start + 1 + MAX_NAME_LENGTH)])
            if len(snippets) == MAX_MENTIONS:
                return snippets
    return snippets


def _name_prefixes(snippet: str) -> Iterator[str]:
    """Every prefix of the snippet that ends at a word boundary, longest first."""
    for end in range(len(snippet), 0, -1):
        if snippet[end - 1].isspace():
            continue
        if end < len(snippet) and (snippet[end].isalnum() or snippet[end] == "_"):
            continue
        yield snippet[:end].lower()


def resolve_mentions(body: str, candidates: QuerySet[User]) -> set[int]:
    """Ids of the candidates the body mentions, in one query (none when there is no @).

    `candidates` must already be limited to the people who may be mentioned: names
    outside it are never looked up, so they can neither be notified nor confirmed.
    """
    snippets = mention_snippets(body)
    if not snippets:
        return set()
    prefixes_per_snippet = [list(_name_prefixes(snippet)) for snippet in snippets]
    wanted = {prefix for prefixes in prefixes_per_snippet for prefix in prefixes}
    by_name: dict[str, list[int]] = {}
    rows = (
        candidates.annotate(mention_name=Lower(mention_name_expression()))
        .filter(mention_name__in=wanted)
        .values_list("pk", "mention_name")
    )
    for pk, name in rows:
        by_name.setdefault(name, []).append(pk)
    return _pick(prefixes_per_snippet, by_name)


def _pick(prefixes_per_snippet: Iterable[list[str]], by_name: dict[str, list[int]]) -> set[int]:
    mentioned: set[int] = set()
    for prefixes in prefixes_per_snippet:
        longest = next((prefix for prefix in prefixes if prefix in by_name), None)
        if longest is None:
            continue
        people = set(by_name[longest])
        if len(people) == 1:  # ambiguous names name nobody
            mentioned |= people
    return mentioned
