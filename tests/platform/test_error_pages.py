import pytest
from django.test import Client, RequestFactory

from cop_platform.views import error_500_view
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "text"), [("nl", "Deze pagina bestaat niet"), ("en", "This page does not exist")]
)
def test_404_page_is_friendly_in_both_languages(client: Client, language: str, text: str) -> None:
    client.force_login(UserFactory(language=language))
    response = client.get("/communities/no-such-community/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_403_page_explains_what_to_do(client: Client) -> None:
    client.force_login(UserFactory(language="en"))
    response = client.get("/communities/new/")
    assert response.status_code == 403
    assert "ask a facilitator" in response.content.decode()


def test_500_page_needs_no_database_or_user() -> None:
    request = RequestFactory().get("/")
    response = error_500_view(request)
    assert response.status_code == 500
    assert b"500" in response.content
