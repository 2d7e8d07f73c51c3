"""Cached HTML for what many readers see alike: a reply's card, a thread's row.

Rendering a reply with Django's templates costs far more than reading it from the
database (a 200-reply thread spent 95 % of its time in the template engine), and most
readers of a thread see the same cards. So each fragment is rendered once and kept in
the cache, under a key that is a digest of **everything its template reads**:

- the fragment's context is built by one function, from plain values only (text,
  numbers, dates, flags such as "may edit"), and the template is rendered with that
  context alone: no request, no `user`, no context processors;
- the same values, plus the language, the time zone and a digest of the release (the
  template's source and the templates it includes, the compiled translation catalogues,
  the static files' URLs and manifest, the site's address), make the key.

Whatever changes what a reader would see (an edit, a reaction, an accepted answer, a
rename, the viewer's own rights, a new release of the template) gives a new key: nothing
is invalidated by hand, stale entries simply expire, and a viewer can only ever be
served HTML rendered from exactly their own context. Fragments carry no CSRF token:
their buttons submit the page's one shared form (`form="post-actions"`), whose token is
rendered per request.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import django
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.cache import cache as fragment_cache
from django.template import loader
from django.template.loader_tags import IncludeNode
from django.utils import timezone
from django.utils.formats import iter_format_modules
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from discussions.models import Reaction, Reply, Thread
from discussions.templatetags.post_urls import post_url, post_url_patterns
from discussions.tree import ReplyNode

# Long enough to outlive a busy day of a thread; entries of old versions just expire.
FRAGMENT_TIMEOUT = 24 * 60 * 60
REPLY_CARD = "discussions/components/reply_card.html"
THREAD_ROW = "discussions/components/thread_row.html"


def _source_digest(template_name: str) -> str:
    """A digest of the template's source and of every template it includes by a fixed
    name, so a changed template never meets HTML cached from its previous version."""
    digest = hashlib.blake2b(digest_size=8)
    pending, seen = [template_name], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        template = loader.get_template(name).template  # type: ignore[attr-defined]
        digest.update(template.source.encode())
        for node in template.nodelist.get_nodes_by_type(IncludeNode):
            included = node.template.var
            if isinstance(included, str):
                pending.append(included)
    return digest.hexdigest()


def _catalogue_files() -> list[Path]:
    """The compiled catalogues (.mo) Django reads for the site's languages: the
    project's LOCALE_PATHS and every installed app's `locale` directory."""
    roots = [Path(path) for path in settings.LOCALE_PATHS]
    roots += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    languages = {code.replace("-", "_") for code, _name in settings.LANGUAGES}
    found: list[Path] = []
    for root in roots:
        for language in sorted(languages):
            found += sorted((root / language / "LC_MESSAGES").glob("*.mo"))
    return found


def _static_manifest() -> str:
    """What `{% static %}` would fill in: the URL prefix and, with a manifest storage,
    the manifest of hashed names (read once, as the storage itself does)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest = ""
    path = getattr(staticfiles_storage, "manifest_name", None)
    if path and staticfiles_storage.exists(path):
        with staticfiles_storage.open(path) as handle:
            manifest = hashlib.blake2b(handle.read(), digest_size=8).hexdigest()
    return f"{settings.STATIC_URL}|{manifest}"


@cache
def _release_digest() -> str:
    """What a release may change in every fragment's HTML besides its context and
    template: the translations (a release that only fixes a Dutch word must show it at
    once), the static files' URLs, the site's address, the URLs the `post_url` filter
    fills in and Django's own filters. None of them changes while a process runs (Django
    reads a catalogue once per process, as the cached template loader reads a template
    once), so this is computed once per process. The site's name is not here: a fragment
    is rendered without context processors, so it could only come from its context,
    which is the key already."""
    digest = hashlib.blake2b(digest_size=8)
    for path in _catalogue_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    # The languages' date formats (settings.FORMAT_MODULE_PATH, then Django's own).
    for code, _name in settings.LANGUAGES:
        for module in iter_format_modules(code):
            if module.__file__:
                digest.update(Path(module.__file__).read_bytes())
    site_url = getattr(settings, "SITE_URL", "")
    release = "|".join([django.get_version(), site_url, _static_manifest(), *post_url_patterns()])
    digest.update(release.encode())
    return digest.hexdigest()


@cache
def _template_digest(template_name: str) -> str:
    """The fragment's template and the release it is rendered by."""
    return hashlib.blake2b(
        f"{_source_digest(template_name)}|{_release_digest()}".encode(), digest_size=8
    ).hexdigest()


def fragment_key(template_name: str, context: Mapping[str, Any]) -> str:
    """The cache key of one fragment: its template and everything it is rendered from."""
    return _fragment_key(_template_digest(template_name), _locale(), context)


def _locale() -> tuple[str, str]:
    return get_language(), timezone.get_current_timezone_name()


def _fragment_key(template: str, locale: tuple[str, str], context: Mapping[str, Any]) -> str:
    # repr() of plain values (str, int, bool, None, aware datetimes, tuples, lists and
    # dicts of those, built in a fixed order) is stable across processes.
    material = repr((locale, sorted(context.items())))
    digest = hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
    return f"fragment:{template}:{digest}"


class _RecentFragments:
    """The fragments this process used last, in front of the shared cache. A key names
    its content (it is a digest of it), so a kept entry is never stale: nothing to
    invalidate, only memory to bound."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.size = 0
        self.entries: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()  # runserver and threaded workers share a process

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        with self.lock:
            found = {key: self.entries[key] for key in keys if key in self.entries}
            for key in found:
                self.entries.move_to_end(key)
        return found

    def set_many(self, items: Mapping[str, str]) -> None:
        with self.lock:
            for key, html in items.items():
                if key not in self.entries:
                    self.entries[key] = html
                    self.size += len(html)
            while self.size > self.max_chars and self.entries:
                self.size -= len(self.entries.popitem(last=False)[1])

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


# About 16 MB of HTML per process: a few hundred busy threads' cards.
recent_fragments = _RecentFragments(max_chars=16_000_000)


def render_fragments(template_name: str, contexts: Sequence[Mapping[str, Any]]) -> list[SafeString]:
    """The HTML of each context's fragment: from this process's recent ones, then one
    round trip to the shared cache for the rest, then rendered (and stored in both)."""
    if not contexts:
        return []
    template_digest, locale = _template_digest(template_name), _locale()
    keys = [_fragment_key(template_digest, locale, context) for context in contexts]
    found = recent_fragments.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        shared: dict[str, str] = fragment_cache.get_many(missing)
        recent_fragments.set_many(shared)
        found.update(shared)
    template = loader.get_template(template_name)
    rendered: dict[str, str] = {}
    html = []
    for key, context in zip(keys, contexts, strict=True):
        fragment = found.get(key) or rendered.get(key)
        if fragment is None:
            fragment = rendered[key] = template.render(dict(context))
        html.append(mark_safe(fragment))  # noqa: S308 - rendered by our own escaping template
    if rendered:
        fragment_cache.set_many(rendered, timeout=FRAGMENT_TIMEOUT)
        recent_fragments.set_many(rendered)
    return html


# --- reply cards -----------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _reaction_labels(language: str) -> dict[str, str]:
    # Called with the active language, which str() translates into.
    return {kind: str(label) for kind, label in Reaction.Kind.choices}


@lru_cache(maxsize=16)
def _kind_labels(language: str) -> dict[str, str]:
    return {kind: str(label) for kind, label in Thread.Kind.choices}


def reactions_block(
    post: Thread | Reply, *, can_react: bool, labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The reactions of a post as plain values: buttons (kind, label, count, given by the
    viewer) for who may react to it, otherwise the kinds given at all."""
    is_reply = isinstance(post, Reply)
    labels = labels or _reaction_labels(get_language())
    shown = tuple(
        (reaction["kind"], labels[reaction["kind"]], reaction["count"], reaction["mine"])
        for reaction in getattr(post, "reactions_shown", ())
    )
    interactive = can_react and post.deleted_at is None
    return {
        "id": f"reactions-{'reply' if is_reply else 'thread'}-{post.pk}",
        "url": post_url(post.pk, "reply-react" if is_reply else "thread-react"),
        "buttons": shown if interactive else (),
        "static": () if interactive else tuple(r for r in shown if r[2]),
    }


def attachments_context(post: Thread | Reply) -> tuple[tuple[int, str, str, int], ...]:
    """(id, name, content type, size) of each attachment the selector attached
    (`attachment_list`; a post read without them has none to show)."""
    return tuple(
        (attachment.pk, attachment.display_name, attachment.content_type, attachment.size)
        for attachment in getattr(post, "attachment_list", ())
    )


def reply_card_context(
    node: ReplyNode,
    *,
    thread: Thread,
    can_reply: bool,
    can_react: bool,
    can_accept: bool,
    can_moderate: bool,
    can_flag: bool,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Everything a reply's card shows, as plain values. The card's template reads
    nothing else, so these values are also its cache key."""
    reply = node.reply
    if node.placeholder:
        return {"pk": reply.pk, "placeholder": True, "deleted": reply.deleted_at is not None}
    deleted = reply.deleted_at is not None
    accepted = reply.pk == thread.accepted_reply_id
    in_reply_to = node.in_reply_to
    return {
        "pk": reply.pk,
        "thread_pk": thread.pk,
        "placeholder": False,
        "deleted": deleted,
        "hidden": reply.is_hidden,
        "is_accepted": accepted,
        "author": reply.author_name,  # type: ignore[attr-defined]
        "by": getattr(reply, "byline", None),
        "created_at": reply.created_at,
        "edited": reply.edited_at is not None,
        "body_html": reply.body_html,
        "in_reply_to": None if in_reply_to is None else (in_reply_to.pk, in_reply_to.author_name),  # type: ignore[attr-defined]
        "attachments": attachments_context(reply),
        "reactions": reactions_block(reply, can_react=can_react, labels=labels),
        "can_reply": can_reply and not deleted,
        "can_accept": can_accept and not deleted,
        "can_moderate": can_moderate,
        "can_edit": node.can_edit,
        "can_view_revisions": node.can_view_revisions,
        "can_flag": can_flag and not deleted,
    }


def reply_cards(nodes: Iterable[ReplyNode], **rights: Any) -> None:
    """Set `node.card` (the card's HTML) on every node, from the cache where it can."""
    nodes = list(nodes)
    labels = _reaction_labels(get_language())
    contexts = [reply_card_context(node, labels=labels, **rights) for node in nodes]
    for node, html in zip(nodes, render_fragments(REPLY_CARD, contexts), strict=True):
        node.card = html


def reply_tree_html(nodes: Iterable[ReplyNode]) -> SafeString:
    """The nested list of reply cards (each `node.card` set by `reply_cards`): built
    here rather than by a recursive template include, which cost more per reply than
    the cached card itself."""
    parts: list[str] = []

    def walk(level: Iterable[ReplyNode]) -> None:
        for node in level:
            parts.append(format_html('<li class="reply" id="reply-{}">', node.reply.pk))
            parts.append(node.card)
            if node.children:
                parts.append('<ol class="replies">')
                walk(node.children)
                parts.append("</ol>")
            parts.append("</li>")

    walk(nodes)
    return mark_safe("".join(parts))  # noqa: S308 - format_html and cached, escaped cards


# --- thread rows -----------------------------------------------------------------------------


def thread_row_context(thread: Thread, *, show_community: bool) -> dict[str, Any]:
    """Everything a thread's row in a list shows, as plain values (and so its key). The
    viewer's part is two flags from the list selector: unread and new since last visit."""
    return {
        "url": post_url(thread.pk, "thread"),
        "title": thread.title,
        "kind": _kind_labels(get_language())[thread.kind],
        "is_pinned": thread.is_pinned,
        "is_solved": thread.accepted_reply_id is not None,
        "is_new": getattr(thread, "is_new", False),
        "is_unread": getattr(thread, "is_unread", False),
        "was_read": getattr(thread, "last_read_at", None) is not None,
        "show_community": show_community,
        "community": thread.community.name if show_community else "",
        "author": thread.author.name if thread.author else "",
        "by": getattr(thread, "byline", None),
        "latest_reply_by": getattr(thread, "latest_reply_by", ""),
        "last_activity_at": thread.last_activity_at,
        "reply_count": thread.reply_count,
        "reaction_count": thread.reaction_count,
        "tag_names": tuple(getattr(thread, "tag_names", None) or ()),
    }


def thread_rows_html(threads: Iterable[Thread], *, show_community: bool) -> SafeString:
    contexts = [thread_row_context(thread, show_community=show_community) for thread in threads]
    return mark_safe("".join(render_fragments(THREAD_ROW, contexts)))  # noqa: S308 - escaped rows


# --- filter forms ----------------------------------------------------------------------------

# Rendering a form's widgets costs more than the rest of a list page's template; a filter
# form's HTML follows from its class, the submitted values and the language alone.
recent_forms = _RecentFragments(max_chars=2_000_000)


def filter_form_html(form: forms.Form) -> SafeString:
    """`form.as_p()` of a GET filter form with fixed choices (no CSRF token, nothing
    from the database), kept by this process: its templates cannot change while the
    process runs, so only the class, the values and the language make the key."""
    values = tuple((name, repr(form[name].value())) for name in form.fields)
    material = repr(
        (type(form).__module__, type(form).__qualname__, _locale(), form.is_bound, values)
    )
    key = hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
    html = recent_forms.get_many([key]).get(key)
    if html is None:
        html = form.as_p()
        recent_forms.set_many({key: html})
    return mark_safe(html)  # noqa: S308 - Django's own escaping form rendering
