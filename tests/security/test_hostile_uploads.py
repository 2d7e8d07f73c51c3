"""Hostile files through both upload paths (post attachments, profile photos): SVG with
script, HTML renamed as an image, and polyglots that are valid images or PDFs and HTML at
once. None may reach a browser as something it would run."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from discussions.models import Attachment, Thread
from discussions.services.attachments import attachments_add
from members.images import avatar_render
from members.models import User

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>window.__xss=1</script>"
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    + SCRIPT
    + b"</svg>"
)


def _gif_polyglot() -> bytes:
    """A real GIF whose comment block carries HTML: a browser sniffing it as HTML
    would run the script; an image decoder sees a 1x1 picture."""
    buffer = io.BytesIO()
    Image.new("P", (1, 1)).save(buffer, "GIF", comment=b"<html><body>" + SCRIPT)
    return buffer.getvalue()


def _pdf_polyglot() -> bytes:
    return b"%PDF-1.4\n<html><body>" + SCRIPT + b"</body></html>\n%%EOF\n"


def _upload(data: bytes, name: str, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (SVG_WITH_SCRIPT, "diagram.svg", "image/svg+xml"),
        (SVG_WITH_SCRIPT, "diagram.png", "image/png"),
        (b"<!doctype html><html>" + SCRIPT, "photo.jpg", "image/jpeg"),
        (b"<!doctype html><html>" + SCRIPT, "page.html", "text/html"),
    ],
    ids=["svg", "svg-named-png", "html-named-jpg", "html"],
)
def test_script_carriers_are_refused_as_attachments(
    thread: Thread, member: User, data: bytes, name: str, content_type: str
) -> None:
    with pytest.raises(ValidationError):
        attachments_add(post=thread, files=[_upload(data, name, content_type)], by=member)
    assert not Attachment.objects.exists()


def test_an_image_polyglot_is_stored_without_its_html(
    thread: Thread, member: User, client: Client
) -> None:
    original = _gif_polyglot()
    assert SCRIPT in original  # the test file does carry the script
    [attachment] = attachments_add(
        post=thread, files=[_upload(original, "kaart.gif", "image/gif")], by=member
    )
    stored = attachment.file.open("rb").read()
    assert SCRIPT not in stored  # re-encoded: only the pixels are kept
    client.force_login(member)
    response = client.get(reverse("discussions:attachment-download", args=[attachment.pk]))
    assert response["Content-Type"].startswith("image/")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_polyglot_is_only_ever_downloaded_in_a_sandbox(
    thread: Thread, member: User, client: Client
) -> None:
    # A PDF is kept as sent (re-writing PDFs is out of scope), so what makes it harmless
    # is how it is served: as a download, never sniffed, sandboxed if opened anyway.
    [attachment] = attachments_add(
        post=thread, files=[_upload(_pdf_polyglot(), "verslag.pdf", "application/pdf")], by=member
    )
    client.force_login(member)
    response = client.get(reverse("discussions:attachment-download", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "data",
    [SVG_WITH_SCRIPT, b"<!doctype html><html>" + SCRIPT, _pdf_polyglot()],
    ids=["svg", "html", "pdf"],
)
def test_script_carriers_are_refused_as_profile_photos(data: bytes) -> None:
    with pytest.raises(ValidationError):
        avatar_render(io.BytesIO(data))


def test_an_image_polyglot_photo_keeps_only_its_pixels() -> None:
    rendered = avatar_render(io.BytesIO(_gif_polyglot()))
    assert SCRIPT not in rendered.content
    assert Image.open(io.BytesIO(rendered.content)).format == "JPEG"
