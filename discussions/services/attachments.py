"""Attachments on threads and replies: images, PDF and office documents.

A file's type is decided by its content, never by its name or the browser's claim:
images are decoded by Pillow and re-encoded from their pixels (no EXIF, GPS or
comments survive, and no polyglot can be sniffed as HTML), PDFs must start with the
PDF header, and office documents must be real ZIP packages with the parts their format
requires. Stored under a random name; the uploaded name is only shown, after cleaning.
"""

import io
import secrets
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from discussions.models import Attachment, Reply, Thread
from discussions.permissions import can_edit_post
from members.images import flatten_to_rgb, image_decode, image_pixels_only
from members.models import User

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_POST = 5
MAX_DISPLAY_NAME = 120
# Larger pictures are scaled down: nobody needs more on a discussion page.
MAX_IMAGE_SIDE = 4096
# Office packages: limits on what the ZIP declares, against ZIP bombs.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_UNPACKED = 200 * 1024 * 1024

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
# Re-encoded here, so safe to show in the page; everything else is downloaded.
INLINE_CONTENT_TYPES = frozenset({JPEG, PNG, WEBP})
_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
# Office formats: (the part that must exist, content type, extension).
OFFICE_FORMATS = (
    ("word/document.xml", _OOXML + "wordprocessingml.document", ".docx"),
    ("xl/workbook.xml", _OOXML + "spreadsheetml.sheet", ".xlsx"),
    ("ppt/presentation.xml", _OOXML + "presentationml.presentation", ".pptx"),
)
ODF_FORMATS = {
    _ODF + "text": ".odt",
    _ODF + "spreadsheet": ".ods",
    _ODF + "presentation": ".odp",
}
# Pillow's format -> what is stored: JPEG stays JPEG, WebP stays WebP, the rest PNG.
_IMAGE_OUTPUT = {"JPEG": (JPEG, ".jpg"), "WEBP": (WEBP, ".webp")}
_PNG_OUTPUT = (PNG, ".png")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, in the form that will be stored."""

    content: bytes
    content_type: str
    extension: str
    display_name: str

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def _error(name: str, message: str, code: str) -> ValidationError:
    return ValidationError(
        _("%(name)s: %(problem)s") % {"name": name, "problem": message}, code=code
    )


def clean_display_name(uploaded: str | None, extension: str | None) -> str:
    """The uploaded file's name as it may be shown: the last path part only, no
    control or direction characters, limited in length, ending in the extension of
    the type found in the content (or its own, when `extension` is None)."""
    name = (uploaded or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    # Category C: control, format (e.g. right-to-left override), private, unassigned.
    name = "".join(" " if unicodedata.category(char).startswith("C") else char for char in name)
    name = " ".join(name.split()).strip(" .")
    if extension is None:
        return name[:MAX_DISPLAY_NAME] or _("attachment")
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name
    stem = stem[: MAX_DISPLAY_NAME - len(extension)].rstrip(" .") or _("attachment")
    return f"{stem}{extension}"


def _read(upload: UploadedFile, shown: str) -> bytes:
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise _too_large(shown)
    upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(shown)
    if not data:
        raise _error(shown, _("the file is empty."), "empty")
    return data


def _too_large(shown: str) -> ValidationError:
    return _error(
        shown,
        _("the file is larger than %(megabytes)s MB.")
        % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)},
        "file_too_large",
    )


def _reencode(image: Image.Image, source_format: str | None) -> tuple[bytes, str, str]:
    content_type, extension = _IMAGE_OUTPUT.get(source_format or "", _PNG_OUTPUT)
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    if content_type == JPEG:
        pixels = flatten_to_rgb(image)
    else:
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        pixels = image.convert("RGBA" if has_alpha else "RGB")
    clean = image_pixels_only(pixels)
    out = io.BytesIO()
    if content_type == JPEG:
        clean.save(out, format="JPEG", quality=85, optimize=True)
    elif content_type == WEBP:
        clean.save(out, format="WEBP", quality=85)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue(), content_type, extension


def _check_image(data: bytes, shown: str) -> tuple[bytes, str, str]:
    try:
        return _reencode(*image_decode(data))
    except ValidationError as error:
        raise _error(shown, " ".join(error.messages), error.code or "invalid_image") from error
    except Exception as error:
        # Pillow's decoders raise many kinds of errors on hostile input: all mean "no".
        raise _unsupported(shown) from error


def _office_type(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an OOXML or OpenDocument package, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return None
            if sum(entry.file_size for entry in entries) > MAX_ZIP_UNPACKED:
                return None
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names:
                declared = package.read("[Content_Types].xml")
                if b"macroEnabled" in declared or any(n.endswith("vbaProject.bin") for n in names):
                    return None  # documents with macros are not accepted
                for part, content_type, extension in OFFICE_FORMATS:
                    if part in names and content_type.encode() in declared:
                        return content_type, extension
                return None
            if "mimetype" in names and "content.xml" in names:
                mimetype = package.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF_FORMATS:
                    return mimetype, ODF_FORMATS[mimetype]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        return None
    return None


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]


def _unsupported(shown: str) -> ValidationError:
    return _error(
        shown,
        _(
            "this type of file cannot be attached. Attach an image (JPEG, PNG, WebP, GIF), "
            "a PDF, or a Word, Excel, PowerPoint or OpenDocument file."
        ),
        "unsupported_type",
    )


def attachment_check(upload: UploadedFile) -> CheckedFile:
    """Check one uploaded file by its content; return what will be stored.

    Raises ValidationError naming the file when it is empty, over 10 MB, or not an
    image, PDF or office document (images over 40 megapixels are refused too)."""
    shown = clean_display_name(upload.name, None)
    data = _read(upload, shown)
    if data.startswith(b"%PDF-"):
        if not _is_pdf(data):
            raise _unsupported(shown)
        content, content_type, extension = data, PDF, ".pdf"
    elif data.startswith(b"PK\x03\x04"):
        office = _office_type(data)
        if office is None:
            raise _unsupported(shown)
        content, (content_type, extension) = data, office
    else:
        content, content_type, extension = _check_image(data, shown)
        if len(content) > MAX_FILE_BYTES:
            raise _too_large(shown)
    return CheckedFile(
        content=content,
        content_type=content_type,
        extension=extension,
        display_name=clean_display_name(upload.name, extension),
    )


def _storage_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}{extension}"


def attachments_check(files: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Check every upload (attachment_check) and report all that fail at once, so a
    person fixes them in one go; nothing is stored."""
    checked: list[CheckedFile] = []
    errors: list[ValidationError] = []
    for upload in files:
        try:
            checked.append(attachment_check(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def attachments_add(
    *, post: Thread | Reply, files: Sequence[UploadedFile], by: User
) -> list[Attachment]:
    """Attach files to a thread or reply: its author (while they may post) or a
    moderator. Every file is checked first; if one fails, ValidationError lists each
    failing file and nothing is stored. At most five files per post: the post's row is
    locked while counting, so two uploads at once cannot exceed it."""
    if not can_edit_post(by, post):
        raise PermissionDenied
    if not files:
        return []
    type(post).objects.select_for_update().filter(pk=post.pk).first()
    existing = post.attachments.count()
    if existing + len(files) > MAX_FILES_PER_POST:
        raise ValidationError(
            _("A post can have at most %(count)s attachments.") % {"count": MAX_FILES_PER_POST},
            code="too_many_files",
        )
    checked = attachments_check(files)
    created: list[Attachment] = []
    try:
        for item in checked:
            attachment = Attachment(
                thread=post if isinstance(post, Thread) else None,
                reply=post if isinstance(post, Reply) else None,
                storage_name=_storage_name(item.extension),
                display_name=item.display_name,
                content_type=item.content_type,
                size=len(item.content),
                uploaded_by=by,
            )
            attachment.file.save(attachment.storage_name, ContentFile(item.content), save=False)
            attachment.save()
            created.append(attachment)
    except Exception:
        for attachment in created:
            attachment.file.delete(save=False)
        raise
    return created
