"""Profile photos: checked by their content, then re-encoded from their pixels.

What is stored is never the uploaded file: a fresh JPEG built from decoded pixels
carries no EXIF (GPS position, camera serial), no comments or colour-profile tricks,
and cannot be a polyglot that a browser sniffs as HTML. The uploaded name is never
used either.
"""

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Decompression-bomb guard: a small file can declare a huge canvas, and decoding costs
# CPU by the pixel (36 megapixels took ~1.8 s). 16 megapixels holds a phone's photo
# (4000 x 3000 and 4000 x 4000) and every screenshot; a photo shown at 256 px or an
# attachment scaled to its largest side needs no more.
MAX_PIXELS = 16_000_000
AVATAR_SIZE = 256
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
AVATAR_DIRECTORY = "avatars"
_CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}


@dataclass(frozen=True)
class RenderedAvatar:
    """A photo that went through `avatar_render`: the only form a service stores."""

    content: bytes
    extension: str = ".jpg"

    def storage_name(self) -> str:
        """A fresh random name, so addresses cannot be guessed or reused."""
        return f"{AVATAR_DIRECTORY}/{secrets.token_hex(16)}{self.extension}"


def _not_a_photo() -> ValidationError:
    return ValidationError(
        _("This file is not a photo that can be used. Upload a JPEG, PNG, WebP or GIF image."),
        code="invalid_image",
    )


def _read_limited(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The photo is larger than %(megabytes)s MB. Choose a smaller one.")
            % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    return data


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The photo has more than %(megapixels)s megapixels. Choose a smaller one.")
            % {"megapixels": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def image_decode(data: bytes, *, draft_size: int | None = None) -> tuple[Image.Image, str]:
    """Decode an uploaded image with the guards every upload needs: accepted formats
    only (judged by content), at most MAX_PIXELS, decompression bombs fatal, structure
    verified. Returns the upright image (EXIF orientation applied) and its source
    format. Raises ValidationError for too many pixels and any other exception for a
    file that is not a usable image (callers turn those into their own message)."""
    with warnings.catch_warnings():
        # Pillow's own bomb check only warns below twice its limit; make it fatal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        # verify() checks the file's structure but leaves the image unusable,
        # so the pixels come from a second, fresh open.
        _open(data).verify()
        image = _open(data)
        source_format = str(image.format)
        if draft_size is not None and image.format == "JPEG":
            # Decode at reduced scale: a phone photo needs no full-size decode.
            image.draft("RGB", (draft_size, draft_size))
        image.seek(0)
        image.load()
        return ImageOps.exif_transpose(image) or image, source_format


def image_pixels_only(image: Image.Image) -> Image.Image:
    """A new image with the same pixels and nothing else: no info dict, so no EXIF,
    GPS, comments or colour-profile tricks are carried over when it is saved."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


flatten_to_rgb = _flatten


def avatar_render(upload: IO[bytes]) -> RenderedAvatar:
    """Check an uploaded photo and re-encode it as a 256x256 JPEG (cover-cropped).

    Accepts JPEG, PNG, WebP and GIF (its first frame), judged by content, not by name
    or declared type. Raises ValidationError for anything else, for files over 5 MB
    and for canvases over 40 megapixels.
    """
    data = _read_limited(upload)
    try:
        image, _format = image_decode(data, draft_size=AVATAR_SIZE * 2)
        fitted = ImageOps.fit(_flatten(image), (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    except ValidationError:
        raise
    except Exception as error:
        # Pillow's decoders raise many kinds of errors on hostile input (OSError,
        # SyntaxError, struct.error, bomb warnings made errors...): all mean "no".
        raise _not_a_photo() from error
    clean = image_pixels_only(fitted)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return RenderedAvatar(content=out.getvalue())


def avatar_content_type(name: str) -> str | None:
    """The content type of a stored avatar, or None for anything not made here."""
    return _CONTENT_TYPES.get(PurePosixPath(name).suffix.lower())
