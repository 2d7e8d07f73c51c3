"""What the outbox knows of the apps above it: filled in their AppConfig.ready().

- `register_kind(kind, handler)`: the handler renders a message of that kind at send
  time (`Email`), or returns None when it need not or may not go out any more.
- `register_batch_kind(kind, handler)`: besides, a handler that renders many messages
  of that kind at once, in a fixed number of queries ({message id: Email or None}),
  for `outbox.deliver_batch` (digests).
- `register_preference(kind, label=..., default=...)`: a kind of email people choose
  immediately / in the digest / off for (per community), shown on the preferences page.
- `register_scopes(provider)`: the communities a person can set preferences for.
- `register_action(name, describe=..., perform=...)`: a one-click action from an email.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from members.models import User
    from outbox.models import Message


@dataclass
class Email:
    """A rendered message. `unsubscribe` names the stream the List-Unsubscribe link
    stops, as (preference kind, community id or None): set it on bulk mail.
    `on_sent` runs after the SMTP server accepted the message (say, to mark the events
    it reported as emailed)."""

    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    unsubscribe: tuple[str, int | None] | None = None
    on_sent: Callable[[], None] | None = None


Handler = Callable[["Message"], Email | None]
BatchHandler = Callable[[list["Message"]], dict[int, Email | None]]


@dataclass(frozen=True)
class PreferenceKind:
    kind: str
    label: str | Promise
    default: str
    # "mode" (immediately / digest / off), "switch" (immediately / off: mail the digest
    # does not carry) or "frequency" (the digest's own).
    choices: str = "mode"
    # Facilitator-only kinds are shown only where the person facilitates.
    for_facilitators: bool = False


@dataclass(frozen=True)
class Action:
    # The confirmation page's question, or None when the action no longer applies
    # (the link is then refused like an invalid one).
    describe: Callable[["User", dict[str, Any]], str | None]
    perform: Callable[["User", dict[str, Any]], None]


_handlers: dict[str, Handler] = {}
_batch_handlers: dict[str, BatchHandler] = {}
_preferences: dict[str, PreferenceKind] = {}
_actions: dict[str, Action] = {}
_scopes: list[Callable[["User"], list[tuple[int, str, bool]]]] = []


def register_kind(kind: str, handler: Handler) -> None:
    _handlers[kind] = handler


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


def register_batch_kind(kind: str, handler: BatchHandler) -> None:
    _batch_handlers[kind] = handler


def batch_handler_for(kind: str) -> BatchHandler | None:
    return _batch_handlers.get(kind)


def register_preference(
    kind: str,
    *,
    label: str | Promise,
    default: str,
    choices: str = "mode",
    for_facilitators: bool = False,
) -> None:
    _preferences[kind] = PreferenceKind(kind, label, default, choices, for_facilitators)


def preference_kinds() -> list[PreferenceKind]:
    return list(_preferences.values())


def preference_kind(kind: str) -> PreferenceKind | None:
    return _preferences.get(kind)


def register_action(
    name: str,
    *,
    describe: Callable[["User", dict[str, Any]], str | None],
    perform: Callable[["User", dict[str, Any]], None],
) -> None:
    _actions[name] = Action(describe, perform)


def action_for(name: str) -> Action | None:
    return _actions.get(name)


def register_scopes(provider: Callable[["User"], list[tuple[int, str, bool]]]) -> None:
    """`provider(user)` -> [(community id, name, user facilitates it)]."""
    if provider not in _scopes:
        _scopes.append(provider)


def scopes_for(user: "User") -> list[tuple[int, str, bool]]:
    return [scope for provider in _scopes for scope in provider(user)]
