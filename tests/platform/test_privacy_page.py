"""The privacy page: public, in the visitor's language, with the configured periods."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_privacy_page_is_public_and_states_the_configured_periods(
    client: Client, settings
) -> None:
    settings.COP_RETENTION_NOTIFICATION_DAYS = 123
    settings.COP_RETENTION_INVITATION_DAYS = 45
    settings.COP_RETENTION_AUDIT_DAYS = 678
    response = client.get("/privacy/", headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Notifications: 123 days." in html
    assert "Invitations: 45 days after" in html
    assert "The log of changes: 678 days." in html


def test_the_privacy_page_speaks_dutch(client: Client) -> None:
    html = client.get("/privacy/", headers={"accept-language": "nl"}).content.decode()
    assert "Privacy: wat deze site over je bewaart" in html


def test_every_page_links_to_the_privacy_page(client: Client) -> None:
    assert 'href="/privacy/"' in client.get("/").content.decode()


def test_the_privacy_page_says_what_is_exported_and_how_erasure_works(
    client: Client, settings
) -> None:
    settings.COP_EXPORT_DAYS = 9
    html = client.get("/privacy/", headers={"accept-language": "en"}).content.decode()
    assert "one JSON file per kind, plus your photo and the files you attached" in html
    assert "for 9 days; then it is deleted." in html
    assert "shown as written by a former member" in html
    assert "stored with the moment you made the choice" in html
