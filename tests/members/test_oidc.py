"""Single sign-on by OpenID Connect (allauth's openid_connect provider), end to end
against a real provider on loopback (oidc-provider-mock: authlib signs its tokens), and
the rule that an account is linked only through an address the provider verified."""

import os
import secrets
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import httpx
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.test import Client
from oidc_provider_mock import run_server_in_thread

from members.models import User
from tests.factories import UserFactory
from tests.platform.production_probe import production_probe
from tests.test_deployment import BASE_DIR, _run, _subprocess_env, env_example_values

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/oidc/sso/login/"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The identity provider's address: a server thread on loopback for this module."""
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, provider: str) -> str:
    """Point the configured provider (tests/settings.py) at the loopback one."""
    (app,) = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [{**app, "settings": {"server_url": provider}}],
        }
    }
    return provider


def _person_at_provider(provider: str, sub: str, **claims: object) -> None:
    response = httpx.put(f"{provider}/users/{quote(sub)}", json=claims)
    assert response.status_code == 204, response.text


def _sign_in(client: Client, sub: str):
    """Press the button, sign in at the provider as `sub`, come back with its code."""
    start = client.post(LOGIN)
    assert start.status_code == 302, start
    authorize = start["Location"]
    assert authorize.startswith("http://localhost:")
    at_provider = httpx.post(authorize, data={"sub": sub})
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["location"])
    return client.get(f"{back.path}?{back.query}")


def _signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_login_page_shows_the_organisation_button(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert f'<form method="post" action="{LOGIN}">' in html
    assert "Acme ID" in html  # COP_OIDC_BUTTON_LABEL


def test_a_new_person_gets_an_account_with_the_name_and_verified_address(
    client: Client, sso: str
) -> None:
    _person_at_provider(
        sso, "u-1", email="Nieuw@Acme.example", email_verified=True, name="Nora Nieuw"
    )
    response = _sign_in(client, "u-1")
    assert response.status_code == 302
    user = User.objects.get(email__iexact="nieuw@acme.example")
    assert _signed_in_as(client) == str(user.pk)
    assert user.display_name == "Nora Nieuw"
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == "u-1"

    # The second time the link itself signs in.
    again = Client()
    _sign_in(again, "u-1")
    assert _signed_in_as(again) == str(user.pk)


def test_a_verified_address_links_the_existing_account(client: Client, sso: str) -> None:
    member = UserFactory(email="mira@acme.example")
    _person_at_provider(sso, "u-2", email="mira@acme.example", email_verified=True)
    _sign_in(client, "u-2")
    assert _signed_in_as(client) == str(member.pk)
    assert SocialAccount.objects.get(uid="u-2").user == member
    assert User.objects.filter(email__iexact="mira@acme.example").count() == 1


@pytest.mark.parametrize("verified", [{"email_verified": False}, {}], ids=["false", "absent"])
def test_an_unverified_address_never_takes_over_an_existing_account(
    client: Client, sso: str, verified: dict
) -> None:
    member = UserFactory(email="ilse@acme.example")
    _person_at_provider(sso, "attacker", email="ilse@acme.example", **verified)
    response = _sign_in(client, "attacker")
    assert response.status_code == 302
    assert _signed_in_as(client) is None
    assert not SocialAccount.objects.filter(user=member).exists()
    assert not SocialAccount.objects.filter(uid="attacker").exists()
    assert User.objects.filter(email__iexact="ilse@acme.example").count() == 1
    # The answer is the one any address gets; the owner is told by email instead.
    assert [m.to for m in mail.outbox] == [["ilse@acme.example"]]


def test_two_step_verification_still_applies_after_sso(client: Client, sso: str) -> None:
    member = UserFactory(email="twee@acme.example")
    TOTP.activate(member, generate_totp_secret())
    _person_at_provider(sso, "u-3", email="twee@acme.example", email_verified=True)
    response = _sign_in(client, "u-3")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert _signed_in_as(client) is None


def test_a_provider_that_says_no_signs_nobody_in(client: Client, sso: str) -> None:
    start = client.post(LOGIN)
    denied = httpx.post(start["Location"], data={"action": "deny"})
    back = urlsplit(denied.headers["location"])
    response = client.get(f"{back.path}?{back.query}", headers={"accept-language": "en"})
    assert response.status_code == 401
    assert "Logging in did not work" in response.content.decode()
    assert _signed_in_as(client) is None


# ---------------------------------------------------------------------------
# Configured by the environment alone
# ---------------------------------------------------------------------------

_PROBE = """
import json, django
django.setup()
from django.apps import apps
from django.conf import settings
from django.urls import get_resolver
names = set(n for n in get_resolver().reverse_dict if isinstance(n, str))
apps_ = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] if apps.is_installed(
    "allauth.socialaccount") else []
print(json.dumps({
    "installed": apps.is_installed("allauth.socialaccount"),
    "urls": sorted(n for n in names if "openid_connect" in n or "socialaccount" in n),
    "apps": [{k: a[k] for k in ("provider_id", "name", "client_id")} for a in apps_],
    "server_url": [a["settings"]["server_url"] for a in apps_],
}))
"""

_OIDC_ENV = {
    "COP_OIDC_SERVER_URL": "https://login.acme.example/realms/cop",
    "COP_OIDC_CLIENT_ID": "cop-platform",
    "COP_OIDC_CLIENT_SECRET": "s3cret",
    "COP_OIDC_BUTTON_LABEL": "Inloggen met Acme",
    "COP_OIDC_PROVIDER_ID": "acme",
}


def test_without_configuration_there_is_no_sso_at_all() -> None:
    found = production_probe(_PROBE, unset=_OIDC_ENV)
    assert found == {"installed": False, "urls": [], "apps": [], "server_url": []}


def test_the_environment_configures_the_provider() -> None:
    found = production_probe(_PROBE, unset=_OIDC_ENV, **_OIDC_ENV)
    assert found["installed"] is True
    assert "openid_connect_login" in found["urls"]
    assert found["apps"] == [
        {"provider_id": "acme", "name": "Inloggen met Acme", "client_id": "cop-platform"}
    ]
    assert found["server_url"] == ["https://login.acme.example/realms/cop"]


def test_a_half_configuration_refuses_to_start() -> None:
    env = _subprocess_env(
        {
            "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_READ_DOT_ENV_FILE": "0",
            "COP_OIDC_SERVER_URL": "https://login.acme.example",
        }
    )
    done = _run(["-c", "import django; django.setup()"], env)
    assert done.returncode != 0
    assert "COP_OIDC_CLIENT_ID" in done.stderr


def test_the_deploy_checks_stay_clean_with_sso_and_two_step_verification() -> None:
    env = _subprocess_env(
        {
            **env_example_values(),
            **_OIDC_ENV,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
            "DJANGO_READ_DOT_ENV_FILE": "0",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": os.environ["REDIS_URL"],
        }
    )
    result = _run(
        [str(BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"], env
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
