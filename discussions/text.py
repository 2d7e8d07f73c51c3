"""Text helpers for search: plain text from stored HTML, accent folding, snippets.

Postgres here has no `unaccent` extension, so accents are folded in Python, the same
way for what is stored in the search vector and for what is searched: "cliënt" and
"client" become the same word. Snippets are built from the original text, HTML-escaped
first, with only our own `<mark>` tags added around words that match.
"""

import html
import re
import unicodedata
from collections.abc import Iterable

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Block-level ends in the HTML our Markdown renderer makes: without a break there,
# stripping tags would glue the last word of a paragraph to the first of the next.
_BLOCK_END = re.compile(
    r"(</(?:p|li|h[1-6]|blockquote|pre|td|th|tr|table|ul|ol)>|<br\s*/?>|<hr\s*/?>)"
)
_WORD = re.compile(r"\w+")
# A lexeme inside the text form of a tsquery: 'word' with '' for a quote.
_LEXEME = re.compile(r"'((?:[^']|'')+)'")
# How many letters a stemmed word may have beyond its stem and still be marked.
_STEM_SLACK = 4
ELLIPSIS = "…"


def fold(text: str) -> str:
    """Lower-case without accents: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold()


def html_to_text(body_html: str) -> str:
    """The visible text of sanitised HTML, with a line break after each block."""
    spaced = _BLOCK_END.sub(r"\1\n", body_html)
    # nh3 with no allowed tags keeps only text (still entity-escaped): its own parser,
    # so the result matches what a browser would show.
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return re.sub(r"[ \t]*\n\s*", "\n", text).strip()


def has_words(query: str) -> bool:
    """Whether a query contains a word to look for that is not excluded with a
    leading minus: a query of exclusions only ("-privacy") would match nearly every
    row and could use no index."""
    for token in fold(query).split():
        token = token.lstrip('"(')
        if not token.startswith("-") and _WORD.search(token):
            return True
    return False


def tsquery_lexemes(*tsqueries: str) -> set[str]:
    """The lexemes in the text form of tsqueries, e.g. "'kenni' & 'del'"."""
    return {
        match.group(1).replace("''", "'")
        for tsquery in tsqueries
        for match in _LEXEME.finditer(tsquery)
    }


class Matcher:
    """Decides whether a word of the original text matches the search.

    Postgres matched on stems of folded words (e.g. 'del' for "delen"); a word is
    marked when its folded form is a query word, or starts with a stem and is at
    most a few letters longer (so 'del' marks "delen" but not "delegatie").
    """

    def __init__(self, query: str, lexemes: Iterable[str]) -> None:
        self.words = {fold(word) for word in _WORD.findall(query)}
        self.stems = {fold(lexeme) for lexeme in lexemes if lexeme}

    def __bool__(self) -> bool:
        return bool(self.words or self.stems)

    def matches(self, word: str) -> bool:
        folded = fold(word)
        if folded in self.words or folded in self.stems:
            return True
        return any(
            len(stem) >= 3 and folded.startswith(stem) and len(folded) - len(stem) <= _STEM_SLACK
            for stem in self.stems
        )


def highlight(text: str, matcher: Matcher) -> SafeString:
    """The whole text, HTML-escaped, with matching words in `<mark>`."""
    return _marked(text, 0, len(text), matcher)


def snippet(text: str, matcher: Matcher, length: int = 240) -> SafeString:
    """About `length` characters of the text around its first matching word,
    HTML-escaped, with matching words in `<mark>` and "…" where it was cut."""
    text = " ".join(text.split())
    if len(text) <= length:
        return _marked(text, 0, len(text), matcher)
    first = next(
        (word.start() for word in _WORD.finditer(text) if matcher.matches(word.group())), 0
    )
    start = max(0, first - length // 4)
    if start > 0:
        # Begin at a word boundary.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    marked = _marked(text, start, end, matcher)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - built from escaped parts


def _marked(text: str, start: int, end: int, matcher: Matcher) -> SafeString:
    parts: list[str] = []
    position = start
    part = text[start:end]
    for word in _WORD.finditer(part):
        if not matcher.matches(word.group()):
            continue
        parts.append(escape(text[position : start + word.start()]))
        parts.append(f"<mark>{escape(word.group())}</mark>")
        position = start + word.end()
    parts.append(escape(text[position:end]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text was escaped
