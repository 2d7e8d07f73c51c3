"""A meeting's files: checked with the discussions' attachment rules, served only to
those who may see the meeting, uploaded and removed by who plans it, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from communities.models import AuditEvent, Community
from meetings.models import OutputFile
from meetings.services.outputs import (
    MAX_FILES_PER_MEETING,
    output_file_remove,
    output_files_add,
)
from members.models import User
from tests.meetings.helpers import plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _pdf(name: str = "Verslag.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_facilitator_uploads_a_file_that_members_download(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator)
    response = _login(facilitator).post(
        reverse("meetings:output-files-add", kwargs={"meeting_id": meeting.pk}),
        {"uploads": [_pdf("../../Slides ‮fdp.exe.pdf")]},
    )
    assert response.status_code == 302
    stored = OutputFile.objects.get(meeting=meeting)
    # The discussions' name cleaning: no path, no direction characters, the type's ending.
    assert stored.display_name.endswith(".pdf") and "/" not in stored.display_name
    assert "\u202e" not in stored.display_name
    page = _login(member).get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:output-file", kwargs={"file_id": stored.pk}) in page
    download = _login(member).get(reverse("meetings:output-file", kwargs={"file_id": stored.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "private" in download["Cache-Control"]
    assert AuditEvent.objects.filter(
        community=community, action=AuditEvent.Action.MEETING_FILE_ADDED
    ).exists()


def test_a_file_is_checked_by_its_content_and_nothing_is_stored_when_one_fails(
    community: Community, facilitator: User
) -> None:
    meeting = plan(community, facilitator)
    fake = SimpleUploadedFile("virus.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        output_files_add(meeting=meeting, by=facilitator, files=[_pdf(), fake])
    assert not OutputFile.objects.exists()


def test_a_meeting_keeps_at_most_twenty_files(community: Community, facilitator: User) -> None:
    meeting = plan(community, facilitator)
    output_files_add(
        meeting=meeting, by=facilitator, files=[_pdf() for _ in range(MAX_FILES_PER_MEETING)]
    )
    with pytest.raises(ValidationError):
        output_files_add(meeting=meeting, by=facilitator, files=[_pdf()])


def test_only_who_plans_the_meeting_adds_or_removes_files(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator)
    with pytest.raises(PermissionDenied):
        output_files_add(meeting=meeting, by=member, files=[_pdf()])
    [stored] = output_files_add(meeting=meeting, by=facilitator, files=[_pdf()])
    with pytest.raises(PermissionDenied):
        output_file_remove(output_file=stored, by=member)


def test_removing_a_file_deletes_it_from_storage_after_commit(
    community: Community, facilitator: User, django_capture_on_commit_callbacks
) -> None:
    meeting = plan(community, facilitator)
    [stored] = output_files_add(meeting=meeting, by=facilitator, files=[_pdf()])
    storage, name = stored.file.storage, stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        output_file_remove(output_file=stored, by=facilitator)
    assert not OutputFile.objects.exists()
    assert not storage.exists(name)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MEETING_FILE_REMOVED).exists()


def test_who_may_not_see_the_meeting_gets_404_for_its_file(
    community: Community, facilitator: User, outsider: User, sponsor: User
) -> None:
    # The community reads for members only (the fixture's default).
    meeting = plan(community, facilitator)
    [stored] = output_files_add(meeting=meeting, by=facilitator, files=[_pdf()])
    url = reverse("meetings:output-file", kwargs={"file_id": stored.pk})
    assert _login(outsider).get(url).status_code == 404
    assert _login(sponsor).get(url).status_code == (
        200 if community.visibility == "signed_in" else 404
    )
    assert Client().get(url).status_code == 302
