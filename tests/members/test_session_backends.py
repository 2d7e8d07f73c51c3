"""Sessions signed in before the access-loading backends must survive the change."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "backend",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_session_signed_in_by_the_previous_backend_stays_signed_in(client, backend):
    user = UserFactory()
    client.force_login(user, backend=backend)
    assert client.session[BACKEND_SESSION_KEY] == backend
    response = client.get("/account/profile/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == user.pk


def test_new_sign_ins_use_the_backend_that_loads_the_access(client):
    user = UserFactory()
    client.force_login(user)
    assert client.session[BACKEND_SESSION_KEY].startswith("communities.backends.")
