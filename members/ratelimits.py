"""Rate limits: the one place that names them, on django-ratelimit and the shared cache.

Each limit is a named rule in ``settings.COP_RATE_LIMITS`` (``{"rule": "count/period"}``,
several rates joined by ";", periods as django-ratelimit writes them: ``10s``, ``m``,
``h``, ``d``). Operators override rules with the ``COP_RATE_LIMITS`` environment variable
(``search=60/m,post=1/5s``). A request over a limit gets HTTP 429 and templates/429.html,
in the person's language, through django-ratelimit's middleware and `ratelimited_view`.

Usage, on a view (the decorator goes under ``@require_POST`` and the like)::

    from members.ratelimits import rate_limit

    @require_POST
    @rate_limit("reaction")                      # per signed-in person, POSTs only
    def reply_react_view(request, reply_id): ...

    @rate_limit("calendar_feed", key="ip", methods=("GET",))
    def calendar_feed_view(request, token): ...

    @rate_limit("email_link", key=lambda group, request: request.resolver_match.kwargs["token"])

``key`` is any django-ratelimit key: "user", "ip", "user_or_ip" (the default), or a
callable ``(group, request) -> str``. "ip" is the client's address as `client_ip` reads
it behind the reverse proxy (``DJANGO_TRUSTED_PROXY_COUNT``). ``methods`` are the HTTP
methods that count (default POST: a GET that only shows a form never counts). To count
inside a view, e.g. only when a file was sent, call ``rate_limit_hit(request, "upload")``:
it counts one hit and raises `django_ratelimit.exceptions.Ratelimited` when over.

A new rule needs a default in settings.COP_RATE_LIMITS and a test that crosses it.

The rules today:

- ``post``: seconds between two new threads or replies by one person.
- ``invitation``: invitation sends (and resends) per facilitator per day.
- ``reaction``, ``flag``, ``search``, ``mentions``: per person.
- ``upload``: profile saves carrying a photo, per person (each is decoded and re-encoded).
- ``console_ask``, ``console_nudge``: the facilitator console's personal emails (asks
  to answer, notes to quiet members), per facilitator per day.
- ``proposal``: proposed communities per person per day.
- ``export``: data exports a person asks for (each builds a zip of all their data).
- ``erasure``: attempts to confirm an account's erasure (the typed address).
- ``email_link``: the one-click pages of emails (``outbox.views.one_click_guard``, the
  meetings' RSVP links), per address, GET and POST alike: they need no session.
- ``calendar_feed``: fetches of a personal calendar feed, per address.
- ``value_tap``: value captures ("This helped", "I'll use this", "I used this"), per
  person.
- ``public_read``: pages of communities open to the public, per address, for visitors
  who are not signed in.

The daily cap for the newest members of a community is one of these rules too, but it
counts stored posts (per community, exact, with the time posting opens again) instead of
cache hits: ``COP_NEW_MEMBER_POSTS_PER_DAY`` in `discussions.services.ensure_may_post`.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import _split_rate, is_ratelimited
from django_ratelimit.exceptions import Ratelimited

View = TypeVar("View", bound=Callable[..., HttpResponse])
Key = str | Callable[[str, HttpRequest], str]

# Seconds a refused client is asked to wait (Retry-After) when the rule's period is not
# known to the 429 page.
DEFAULT_RETRY_AFTER = 60


# Not an address anyone binds to: the bucket of requests whose address cannot be read.
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104


def client_ip(request: HttpRequest) -> str:
    """The client's address for "ip" keys (settings.RATELIMIT_IP_META_KEY): allauth's
    answer, which honours ALLAUTH_TRUSTED_PROXY_COUNT, so both sets of limits count the
    same person the same way behind the reverse proxy."""
    try:
        return str(get_adapter(request).get_client_ip(request))
    except PermissionDenied:
        # No usable address (a malformed X-Forwarded-For): one shared bucket for such
        # requests, so sending garbage does not escape the limit.
        return UNKNOWN_CLIENT


def rule_rates(rule: str) -> list[str]:
    """The rates of one rule, read at call time (so settings overrides apply)."""
    rates = settings.COP_RATE_LIMITS.get(rule)
    if rates is None:
        raise KeyError(f"No rate-limit rule {rule!r} in COP_RATE_LIMITS")
    return [rate.strip() for rate in str(rates).split(";") if rate.strip()]


def _over(request: HttpRequest, rule: str, key: Key, methods: Iterable[str]) -> bool:
    over = False
    for rate in rule_rates(rule):
        # Every rate counts the hit, so a burst is seen by the daily rate too.
        over |= is_ratelimited(
            request,
            group=f"cop:{rule}",
            key=key,
            rate=rate,
            method=list(methods),
            increment=True,
        )
    return over


def rate_limit_hit(
    request: HttpRequest, rule: str, *, key: Key = "user_or_ip", methods: Iterable[str] = ("POST",)
) -> None:
    """Count one hit of `rule`; raise Ratelimited (answered with 429) when over it."""
    if _over(request, rule, key, methods):
        request.rate_limited_rule = rule  # type: ignore[attr-defined]
        raise Ratelimited


def rate_limit(
    rule: str, *, key: Key = "user_or_ip", methods: Iterable[str] = ("POST",)
) -> Callable[[View], View]:
    """Decorate a view with the rule's limits; see the module docstring."""
    rule_rates(rule)  # an unknown rule fails at import, not on the first request
    counted = tuple(methods)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            rate_limit_hit(request, rule, key=key, methods=counted)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def ratelimited_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    """settings.RATELIMIT_VIEW: the friendly 429 page."""
    rule = getattr(request, "rate_limited_rule", None)
    periods = [_split_rate(rate)[1] for rate in rule_rates(rule)] if rule else []
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(min(periods, default=DEFAULT_RETRY_AFTER))
    # A refusal is for this client alone (also one without a session: the one-click
    # pages, calendar feeds): no cache on the way may keep it for others.
    response["Cache-Control"] = "private, no-store"
    if request.headers.get("HX-Request"):
        # htmx would swap the page into the clicked button's target: show the page's
        # main area in place of the current one (base.html's htmx-config swaps a 429).
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "outerHTML"
        response["HX-Reselect"] = "#main"
    return response
