"""The data export and the erasure of an account (GDPR articles 15, 20 and 17).

What goes into an export and what an erasure must clear is registered by every app in
`members.privacy`; this module owns the job, the zip and the order of the erasure.
"""

import json
import secrets
import tempfile
import zipfile
from datetime import timedelta
from importlib import import_module
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename

from members.models import DataExport, PrivacyEvent, User, export_path
from members.privacy import export_ready_callbacks, exporters
from members.queue import enqueue_on_commit
from members.signals import member_erased

State = DataExport.State
# A build claimed this long ago belongs to a worker that died: it may be claimed again.
STALE_BUILD = timedelta(minutes=30)
README = (
    "Everything this platform holds about you, as it was when the export was made.\n"
    "Each .json file is one kind of record; the folders hold the files you uploaded.\n"
    "Ids are the platform's own numbers, so records can be matched with each other.\n"
)


@transaction.atomic
def export_request(*, user: User) -> DataExport:
    """Start making an export for `user` (the person themselves). While one is waiting
    or being made, that one is returned and nothing new starts, so a double click or
    a reload makes one job. The build is enqueued on commit."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    # Serialises two requests of one person, so the check below cannot race.
    User.objects.select_for_update().filter(pk=user.pk).first()
    running = user.data_exports.filter(state__in=[State.PENDING, State.BUILDING]).first()
    if running is not None:
        return running
    export = DataExport.objects.create(
        user=user, storage_name=secrets.token_hex(16), parts_total=len(exporters())
    )
    PrivacyEvent.objects.create(kind=PrivacyEvent.Kind.EXPORT_REQUESTED, account_id=user.pk)
    enqueue_on_commit("members.build_export", export_id=export.pk)
    return export


def _zip_name(folder: str, index: int, name: str) -> str:
    # Names come from storage, never from a person: still, keep them plain and unique.
    base = get_valid_filename(PurePosixPath(name).name) or "file"
    return f"{folder}/{index:04d}-{base}"


def _write_zip(export: DataExport, handle: tempfile.SpooledTemporaryFile[bytes]) -> None:
    user = export.user
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        for done, exporter in enumerate(exporters(), start=1):
            rows = list(exporter.rows(user))
            archive.writestr(
                f"{exporter.name}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
            for index, (name, field_file) in enumerate(
                exporter.files(user) if exporter.files else ()
            ):
                try:
                    with (
                        field_file.open("rb") as source,
                        archive.open(_zip_name(exporter.name, index, name), "w") as target,
                    ):
                        while chunk := source.read(1 << 16):
                            target.write(chunk)
                except OSError:
                    continue  # a file gone from storage: the record still says it existed
            DataExport.objects.filter(pk=export.pk).update(parts_done=done)


def export_build(*, export_id: int) -> str | None:
    """Make the zip of one export. Idempotent and safe to run concurrently: a build
    first claims the row (waiting -> being made) in one UPDATE, so a second run, or a
    run after the export is made, does nothing and returns None. Runs no transaction
    around the build (the progress page reads the parts as they are written). When
    made: the file is saved under the export's random name, the row becomes ready with
    its expiry (settings.COP_EXPORT_DAYS), and the registered callbacks (the email with
    the link) run in the transaction that marks it ready."""
    now = timezone.now()
    claimed = (
        DataExport.objects.filter(pk=export_id)
        .filter(Q(state=State.PENDING) | Q(state=State.BUILDING, started_at__lt=now - STALE_BUILD))
        .update(state=State.BUILDING, started_at=now, parts_done=0, parts_total=len(exporters()))
    )
    if not claimed:
        return None
    export = DataExport.objects.select_related("user").get(pk=export_id)
    storage = export.file.storage
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as handle:
        _write_zip(export, handle)
        size = handle.tell()
        handle.seek(0)
        name = storage.save(export_path(export, ""), File(handle))
    finished = timezone.now()
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export.pk, state=State.BUILDING).update(
            state=State.READY,
            file=name,
            size=size,
            finished_at=finished,
            expires_at=finished + timedelta(days=settings.COP_EXPORT_DAYS),
        )
        if not updated:  # erased or expired while being made
            transaction.on_commit(lambda: storage.delete(name))
            return None
        export.refresh_from_db()
        PrivacyEvent.objects.create(kind=PrivacyEvent.Kind.EXPORT_READY, account_id=export.user_id)
        for callback in export_ready_callbacks():
            callback(export)
    return State.READY


@transaction.atomic
def export_record_download(*, export: DataExport, by: User) -> None:
    """Audit one download; only the owner downloads (the view fetched it for them)."""
    if export.user_id != by.pk:
        raise PermissionDenied
    PrivacyEvent.objects.create(kind=PrivacyEvent.Kind.EXPORT_DOWNLOADED, account_id=by.pk)


@transaction.atomic
def exports_purge_expired() -> int:
    """Delete the files of exports past their expiry (nightly; idempotent). The rows
    stay, marked expired, so the progress page can say so. Returns how many."""
    now = timezone.now()
    expired = list(
        DataExport.objects.select_for_update(skip_locked=True)
        .filter(state=State.READY, expires_at__lte=now)
        .only("pk", "file")
    )
    names = [export.file.name for export in expired if export.file.name]
    DataExport.objects.filter(pk__in=[export.pk for export in expired]).update(
        state=State.EXPIRED, file=""
    )
    storage = DataExport._meta.get_field("file").storage  # type: ignore[attr-defined]
    transaction.on_commit(lambda: _files_delete(storage, names))
    return len(expired)


def _files_delete(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def _sessions_end(user: User) -> int:
    """End every session of `user`, in the database and in the cache in front of it
    (cached_db sessions), so no device stays signed in to an erased account."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def member_erase(*, user: User, by: User, remove_posts: bool = False) -> PrivacyEvent:
    """Erase `user`'s account; only the person themselves (`by`) may.

    In one transaction: an audit row (account number, time, whether posts were
    removed: nothing personal); `members.signals.member_erased`, whose receivers in
    the other apps erase their part (posts removed where the community allows it and
    the member asked, invitations and audit addresses cleared); every session ended;
    the account deleted, which deletes or detaches (posts then show "former member")
    every row that points at it. The photo and export files are deleted on commit.
    """
    if by.pk != user.pk or not user.is_authenticated:
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    event = PrivacyEvent.objects.create(
        kind=PrivacyEvent.Kind.ERASED, account_id=user.pk, posts_removed=remove_posts
    )
    member_erased.send(sender=User, user=user, remove_posts=remove_posts)
    storage = user.avatar.storage
    names = [user.avatar.name] if user.avatar.name else []
    names += [name for name in user.data_exports.values_list("file", flat=True) if name]
    _sessions_end(user)
    user.delete()
    transaction.on_commit(lambda: _files_delete(storage, names))
    return event


def account_event_record(*, user: User, kind: str) -> PrivacyEvent:
    """One row of the account audit (PrivacyEvent.Kind), for changes made outside our
    services: allauth's second-factor pages (members.receivers)."""
    return PrivacyEvent.objects.create(kind=kind, account_id=user.pk)
