import io
import zipfile
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import ExifTags, Image

from discussions.fragments import attachments_context
from discussions.models import Attachment, Thread
from discussions.services import attachments as service
from discussions.services.attachments import attachments_add, clean_display_name
from discussions.services.posts import reply_create
from members.models import User

pytestmark = pytest.mark.django_db

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # The messages asserted here are the English originals; the site default is Dutch.
    with translation.override("en"):
        yield


def png_with_gps(size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 12.0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", exif=exif)
    return buffer.getvalue()


def docx_bytes(*, macros: bool = False) -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    if macros:
        main = "application/vnd.ms-word.document.macroEnabled.main+xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{main}"/></Types>',
        )
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(data: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Checking the content -----------------------------------------------------------


def test_an_image_is_reencoded_without_exif_or_gps(thread: Thread, member: User) -> None:
    original = png_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the test image does carry EXIF
    [attachment] = attachments_add(post=thread, files=[upload(original, "IMG_1.png")], by=member)
    stored = attachment.file.open("rb").read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "PNG"
    assert not image.getexif()
    assert b"PhoneCo" not in stored
    assert attachment.content_type == "image/png"
    assert attachment.display_name == "IMG_1.png"
    assert attachment.size == len(stored)


def test_a_jpeg_named_png_is_stored_as_jpeg(thread: Thread, member: User) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "JPEG")
    [attachment] = attachments_add(
        post=thread, files=[upload(buffer.getvalue(), "foto.png", "image/png")], by=member
    )
    assert attachment.content_type == "image/jpeg"
    assert attachment.display_name == "foto.jpg"


def test_a_text_file_named_pdf_is_rejected(thread: Thread, member: User) -> None:
    with pytest.raises(ValidationError, match="cannot be attached"):
        attachments_add(
            post=thread,
            files=[upload(b"Just some text, not a PDF.", "report.pdf", "application/pdf")],
            by=member,
        )
    assert not Attachment.objects.exists()


def test_html_disguised_as_an_image_is_rejected(thread: Thread, member: User) -> None:
    with pytest.raises(ValidationError):
        attachments_add(
            post=thread, files=[upload(b"<html><script>x</script>", "cat.png")], by=member
        )


def test_a_minimal_pdf_is_accepted(thread: Thread, member: User) -> None:
    [attachment] = attachments_add(
        post=thread, files=[upload(MINIMAL_PDF, "Verslag.PDF")], by=member
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.display_name == "Verslag.pdf"
    assert attachment.file.open("rb").read() == MINIMAL_PDF
    assert attachment.file.name == f"attachments/{attachment.storage_name}"
    assert "Verslag" not in attachment.storage_name


def test_a_docx_is_accepted(thread: Thread, member: User) -> None:
    [attachment] = attachments_add(
        post=thread, files=[upload(docx_bytes(), "plan.docx")], by=member
    )
    assert attachment.content_type.endswith("wordprocessingml.document")
    assert attachment.display_name == "plan.docx"


def test_a_docx_with_macros_is_rejected(thread: Thread, member: User) -> None:
    with pytest.raises(ValidationError):
        attachments_add(
            post=thread, files=[upload(docx_bytes(macros=True), "plan.docm")], by=member
        )


def test_a_plain_zip_is_rejected(thread: Thread, member: User) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hi")
    with pytest.raises(ValidationError):
        attachments_add(post=thread, files=[upload(buffer.getvalue(), "plan.docx")], by=member)


def test_oversize_files_are_rejected(
    thread: Thread, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "MAX_FILE_BYTES", 100)
    with pytest.raises(ValidationError, match="larger than"):
        attachments_add(post=thread, files=[upload(MINIMAL_PDF + b" " * 200, "big.pdf")], by=member)


def test_a_real_ten_megabyte_limit(thread: Thread, member: User) -> None:
    big = MINIMAL_PDF + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError, match="10 MB"):
        attachments_add(post=thread, files=[upload(big, "big.pdf")], by=member)


def test_nothing_is_saved_when_one_file_fails(thread: Thread, member: User) -> None:
    with pytest.raises(ValidationError) as failure:
        attachments_add(
            post=thread,
            files=[upload(MINIMAL_PDF, "ok.pdf"), upload(b"nope", "bad.pdf")],
            by=member,
        )
    assert failure.value.messages == [
        "bad.pdf: this type of file cannot be attached. Attach an image (JPEG, PNG, WebP, "
        "GIF), a PDF, or a Word, Excel, PowerPoint or OpenDocument file."
    ]
    assert not Attachment.objects.exists()


def test_at_most_five_files_per_post(thread: Thread, member: User) -> None:
    attachments_add(
        post=thread, files=[upload(MINIMAL_PDF, f"{i}.pdf") for i in range(4)], by=member
    )
    with pytest.raises(ValidationError, match="at most 5"):
        attachments_add(
            post=thread,
            files=[upload(MINIMAL_PDF, "5.pdf"), upload(MINIMAL_PDF, "6.pdf")],
            by=member,
        )
    assert Attachment.objects.count() == 4


def test_only_the_author_or_a_moderator_may_attach(
    thread: Thread, core_member: User, facilitator: User
) -> None:
    with pytest.raises(PermissionDenied):
        attachments_add(post=thread, files=[upload(MINIMAL_PDF, "x.pdf")], by=core_member)
    assert attachments_add(post=thread, files=[upload(MINIMAL_PDF, "x.pdf")], by=facilitator)


def test_files_attach_to_replies_through_the_post_service(
    thread: Thread, facilitator: User
) -> None:
    reply = reply_create(
        thread=thread, author=facilitator, body="Hier.", files=[upload(MINIMAL_PDF, "a.pdf")]
    )
    assert [a.display_name for a in reply.attachments.all()] == ["a.pdf"]


@pytest.mark.parametrize(
    ("uploaded", "extension", "shown"),
    [
        ("../../etc/passwd", ".pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Mijn verslag.final.pdf", ".pdf", "Mijn verslag.final.pdf"),
        ("evil\u202egnp.exe", ".png", "evil gnp.png"),
        ("tab\tand\nnewline.docx", ".docx", "tab and newline.docx"),
        ("", ".pdf", "attachment.pdf"),
        (".pdf", ".pdf", "pdf.pdf"),
        ("a" * 300 + ".pdf", ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_display_names_are_cleaned(uploaded: str, extension: str, shown: str) -> None:
    assert clean_display_name(uploaded, extension) == shown


# --- Downloading -------------------------------------------------------------------


@pytest.fixture
def pdf(thread: Thread, member: User) -> Attachment:
    [attachment] = attachments_add(
        post=thread, files=[upload(MINIMAL_PDF, 'Verslag "Q1" €.pdf')], by=member
    )
    return attachment


def test_members_download_documents_as_attachments(
    pdf: Attachment, core_member: User, client: Client
) -> None:
    client.force_login(core_member)
    response = client.get(reverse("discussions:attachment-download", args=[pdf.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Verslag%20%22Q1%22%20%E2%82%AC.pdf" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]


def test_images_may_be_shown_inline(thread: Thread, member: User, client: Client) -> None:
    [image] = attachments_add(post=thread, files=[upload(png_with_gps(), "a.png")], by=member)
    client.force_login(member)
    response = client.get(reverse("discussions:attachment-download", args=[image.pk]))
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_outsiders_and_sponsors_get_404(
    pdf: Attachment, outsider: User, sponsor: User, client: Client
) -> None:
    for person in (outsider, sponsor):
        client.force_login(person)
        assert (
            client.get(reverse("discussions:attachment-download", args=[pdf.pk])).status_code == 404
        )


def test_attachments_of_hidden_replies_follow_the_reply(
    thread: Thread, facilitator: User, member: User, client: Client
) -> None:
    from discussions.services.posts import reply_delete

    reply = reply_create(
        thread=thread, author=facilitator, body="Weg.", files=[upload(MINIMAL_PDF, "a.pdf")]
    )
    attachment = reply.attachments.get()
    reply_delete(reply=reply, by=facilitator)
    client.force_login(member)
    url = reverse("discussions:attachment-download", args=[attachment.pk])
    assert client.get(url).status_code == 404
    client.force_login(facilitator)
    assert client.get(url).status_code == 200


def test_unknown_attachments_are_404(member: User, client: Client) -> None:
    client.force_login(member)
    assert client.get(reverse("discussions:attachment-download", args=[999])).status_code == 404


def test_the_partial_shows_thumbnails_and_document_links(
    thread: Thread, member: User, pdf: Attachment
) -> None:
    [image] = attachments_add(post=thread, files=[upload(png_with_gps(), "kaart.png")], by=member)
    thread.attachment_list = list(thread.attachments.order_by("pk"))
    html = render_to_string(
        "discussions/components/attachments.html", {"attachments": attachments_context(thread)}
    )
    image_url = reverse("discussions:attachment-download", args=[image.pk])
    assert f'<img src="{image_url}" alt="kaart.png"' in html
    assert "Verslag &quot;Q1&quot; €.pdf</a>" in html
    assert "bytes" in html
