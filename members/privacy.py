"""What each app holds about a person, for the data export and the erasure check.

The export concerns every app, but `members` may import none of them: each app
registers, in its `AppConfig.ready()`, what it holds (`register_exporter`) and which of
its relations to the user model hold nothing personal (`register_not_personal`). The
members app owns the job, the zip and the erasure (`members.services.privacy`); other
apps erase their part in a receiver of `members.signals.member_erased`.

    register_exporter("discussions_replies",
                      fields=["discussions.Reply.author"],
                      rows=lambda user: [...],            # JSON-serialisable dicts
                      files=lambda user: [("attachments/a.pdf", field_file)])
    register_not_personal("communities.Membership.decided_by",
                          "who decided on someone else's request: that person's record")

A field is named "<app_label>.<Model>.<field>". `tests/members/test_privacy_coverage.py`
lists every relation to the user model of every installed app and fails for one that is
neither exported nor registered as not personal; its message names what to add.

`on_export_ready(callback)`: `callback(export)` runs when an export is made (the outbox
registers the email with the download link: members cannot import it).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models.fields.files import FieldFile

if TYPE_CHECKING:
    from members.models import DataExport, User

# One record: a JSON-serialisable mapping (DjangoJSONEncoder: dates, decimals too).
Row = Mapping[str, Any]
Rows = Callable[["User"], Iterable[Row]]
Files = Callable[["User"], Iterable[tuple[str, FieldFile]]]


@dataclass(frozen=True)
class Exporter:
    """One JSON file of the export (`<name>.json`), plus the files under `<name>/`."""

    name: str
    fields: tuple[str, ...]
    rows: Rows
    files: Files | None = None


_exporters: dict[str, Exporter] = {}
_not_personal: dict[str, str] = {}
_export_ready: list[Callable[["DataExport"], None]] = []


def labelled_rows(queryset: Any, *fields: str, label: str) -> list[Row]:
    """The queryset's `fields` as rows in the export, oldest first, each with its
    `record` label (what kind of record it is): the shape every app's part uses."""
    return [{"record": label, **row} for row in queryset.order_by("pk").values(*fields)]


def register_exporter(
    name: str, *, fields: Iterable[str], rows: Rows, files: Files | None = None
) -> None:
    _exporters[name] = Exporter(name, tuple(fields), rows, files)


def register_not_personal(field: str, reason: str) -> None:
    if not reason.strip():
        raise ValueError(f"{field}: say why it holds nothing personal")
    _not_personal[field] = reason


def exporters() -> list[Exporter]:
    return sorted(_exporters.values(), key=lambda exporter: exporter.name)


def exported_fields() -> dict[str, str]:
    """field -> the exporter's name."""
    return {field: e.name for e in _exporters.values() for field in e.fields}


def not_personal_fields() -> dict[str, str]:
    """field -> why it holds nothing personal."""
    return dict(_not_personal)


def on_export_ready(callback: Callable[["DataExport"], None]) -> None:
    if callback not in _export_ready:
        _export_ready.append(callback)


def export_ready_callbacks() -> list[Callable[["DataExport"], None]]:
    return list(_export_ready)
