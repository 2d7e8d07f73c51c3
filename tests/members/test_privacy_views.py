"""Your data: asking for an export, following it, downloading it (owner only, until it
expires), the email with the link, and deleting the account."""

import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from members.models import DataExport, PrivacyEvent, User
from members.services import export_request
from members.tasks import build_export, purge_expired_exports
from tests.factories import UserFactory
from tests.members.privacy_world import MARKER_EMAIL, build_world, signed_in

pytestmark = pytest.mark.django_db

PAGE = "/account/data/"


def _made_export(user: User, capture) -> DataExport:
    with capture(execute=True):
        export = export_request(user=user)
    export.refresh_from_db()
    return export


def test_the_page_offers_an_export_and_the_erasure(member: User) -> None:
    User.objects.filter(pk=member.pk).update(language="en")  # a member's own language wins
    client = signed_in(member)
    html = client.get(PAGE, headers={"accept-language": "en"}).content.decode()
    assert "Make an export" in html
    assert reverse("members:member-erase") in html
    assert 'http-equiv="refresh"' not in html


def test_asking_for_an_export_makes_it_and_emails_the_link(
    member: User, django_capture_on_commit_callbacks
) -> None:
    User.objects.filter(pk=member.pk).update(language="nl")
    client = signed_in(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:export-request"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=member)
    assert export.state == DataExport.State.READY
    assert export.expires_at is not None
    [email] = mail.outbox
    assert email.to == [member.email]
    assert "zijn klaar" in email.subject
    download = reverse("members:export-download", args=[export.pk])
    assert download in email.body
    assert download in email.alternatives[0][0]
    assert download in client.get(PAGE).content.decode()
    kinds = set(PrivacyEvent.objects.values_list("kind", flat=True))
    assert kinds == {PrivacyEvent.Kind.EXPORT_REQUESTED, PrivacyEvent.Kind.EXPORT_READY}


def test_a_second_request_while_one_is_being_made_starts_nothing(
    member: User, django_capture_on_commit_callbacks
) -> None:
    client = signed_in(member)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("members:export-request"))
        client.post(reverse("members:export-request"))
    assert DataExport.objects.filter(user=member).count() == 1


def test_the_progress_page_reloads_itself_without_script_while_an_export_is_made(
    member: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        export_request(user=member)
    html = signed_in(member).get(PAGE, headers={"accept-language": "en"}).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "<progress" in html
    assert f'href="{PAGE}"' in html  # a plain reload link too
    assert "<script>" not in html


def test_the_progress_page_reads_a_fixed_number_of_queries(
    member: User, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    for _ in range(3):
        _made_export(member, django_capture_on_commit_callbacks)
    client = signed_in(member)
    client.get(PAGE)
    # The session, the user (with the access columns), the exports.
    with django_assert_num_queries(3):
        assert client.get(PAGE).status_code == 200


def test_the_owner_downloads_the_zip(member: User, django_capture_on_commit_callbacks) -> None:
    export = _made_export(member, django_capture_on_commit_callbacks)
    response = signed_in(member).get(reverse("members:export-download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "account.json" in archive.namelist()
    assert PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.EXPORT_DOWNLOADED).count() == 1


def test_nobody_else_can_download_it_not_even_a_site_admin(
    member: User, site_admin: User, django_capture_on_commit_callbacks
) -> None:
    export = _made_export(member, django_capture_on_commit_callbacks)
    url = reverse("members:export-download", args=[export.pk])
    assert signed_in(UserFactory()).get(url).status_code == 404
    assert signed_in(site_admin).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_an_expired_export_is_gone(member: User, django_capture_on_commit_callbacks) -> None:
    export = _made_export(member, django_capture_on_commit_callbacks)
    url = reverse("members:export-download", args=[export.pk])
    name = export.file.name
    later = timezone.now() + timedelta(days=8)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert signed_in(member).get(url).status_code == 404
        assert purge_expired_exports() == 1
        assert purge_expired_exports() == 0
    export.refresh_from_db()
    assert export.state == DataExport.State.EXPIRED
    assert not export.file.storage.exists(name)


def test_the_email_is_not_sent_once_the_export_has_expired(
    member: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.COP_EXPORT_DAYS = 0
    _made_export(member, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_build_task_is_idempotent(member: User, django_capture_on_commit_callbacks) -> None:
    export = _made_export(member, django_capture_on_commit_callbacks)
    assert build_export(export_id=export.pk) is None
    assert len(mail.outbox) == 1


def test_exports_are_rate_limited(
    member: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.COP_RATE_LIMITS = {**settings.COP_RATE_LIMITS, "export": "1/d"}
    client = signed_in(member)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("members:export-request")).status_code == 302
    response = client.post(reverse("members:export-request"))
    assert response.status_code == 429
    assert DataExport.objects.filter(user=member).count() == 1


def test_erasure_asks_for_the_address_first(member: User) -> None:
    User.objects.filter(pk=member.pk).update(language="en")  # a member's own language wins
    client = signed_in(member)
    url = reverse("members:member-erase")
    html = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Type your email address to confirm" in html
    response = client.post(url, {"email": "someone.else@example.org"})
    assert response.status_code == 200
    assert "not the address of your account" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()


def test_erasure_needs_the_csrf_token(member: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("members:member-erase"), {"email": member.email})
    assert response.status_code == 403
    assert User.objects.filter(pk=member.pk).exists()


def test_erasure_attempts_are_rate_limited(member: User, settings) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.COP_RATE_LIMITS = {**settings.COP_RATE_LIMITS, "erasure": "1/h"}
    client = signed_in(member)
    url = reverse("members:member-erase")
    assert client.post(url, {"email": "wrong@example.org"}).status_code == 200
    assert client.post(url, {"email": member.email}).status_code == 429
    assert User.objects.filter(pk=member.pk).exists()


def test_erasing_signs_out_deletes_the_account_and_keeps_the_posts(
    site_admin: User, facilitator: User, community: Community, django_capture_on_commit_callbacks
) -> None:
    world = build_world(site_admin, facilitator, community)
    client = signed_in(world.person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:member-erase"), {"email": MARKER_EMAIL.upper(), "remove_posts": ""}
        )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=world.person.pk).exists()
    assert client.get(PAGE).status_code == 302  # signed out
    thread_page = signed_in(facilitator).get(world.others_thread.get_absolute_url())
    html = thread_page.content.decode()
    assert "Mijn antwoord." in html
    assert "voormalig lid" in html  # the facilitator reads Dutch


def test_site_admins_see_the_privacy_audit(
    site_admin: User, member: User, django_capture_on_commit_callbacks
) -> None:
    _made_export(member, django_capture_on_commit_callbacks)
    html = signed_in(site_admin).get("/admin/members/privacyevent/").content.decode()
    assert str(member.pk) in html
    assert member.email not in html
    assert signed_in(member).get("/admin/members/privacyevent/").status_code == 302
