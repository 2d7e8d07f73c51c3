"""Two-factor authentication (allauth.mfa): setting up an authenticator app, logging in
with its code or a recovery code, and the rule that site admins and facilitators of a
confidential community must use it (COP_MFA_REQUIRED_FOR_STAFF)."""

import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities.models import Community
from members.models import PrivacyEvent, User
from tests.conftest import make_community
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$", re.MULTILINE)
SET_UP = "/accounts/2fa/totp/activate/"


def _app_code(secret: str) -> str:
    """The code an authenticator app shows now, by allauth's own TOTP functions."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _with_app(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _login_by_code(client: Client, email: str):
    """The emailed-code step of logging in; returns the response to the code."""
    confirm = client.post("/accounts/login/code/", {"email": email})["Location"]
    match = LOGIN_CODE.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return client.post(confirm, {"code": match.group(1)})


def _turn_on(client: Client) -> str:
    """Set up the app as a person would: open the page, type the app's code."""
    secret = client.get(SET_UP).context["form"].secret
    response = client.post(SET_UP, {"code": _app_code(secret)})
    assert response.status_code == 302, response
    return secret


# allauth announces a new authenticator on commit, and the session records it then
# (members.signals): these tests commit for real, as a request outside a transaction does.
committing = pytest.mark.django_db(transaction=True)


def _signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


# ---------------------------------------------------------------------------
# Setting it up
# ---------------------------------------------------------------------------


@committing
def test_a_member_sets_up_the_app_from_the_account_page_and_gets_recovery_codes(
    client: Client,
) -> None:
    user = UserFactory()
    client.force_login(user)
    account = client.get("/account/")
    assert b'href="/accounts/2fa/"' in account.content

    page = client.get(SET_UP)
    assert page.status_code == 200
    html = page.content.decode()
    # The QR code is an inline SVG drawn on the server: no data: image for the CSP to
    # block, no script, no inline style.
    assert '<div class="mfa-qr" role="img"' in html and "<svg" in html
    assert "data:image" not in html and "<?xml" not in html
    assert "<script>" not in html and "style=" not in html
    secret = page.context["form"].secret

    response = client.post(SET_UP, {"code": _app_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    # The change is told to the person by email (allauth's notification).
    assert [m.to for m in mail.outbox] == [[user.email]]

    codes = client.get(response["Location"])
    unused = codes.context["unused_codes"]
    assert len(unused) == 10
    for code in unused:
        assert code in codes.content.decode()


def test_a_wrong_code_does_not_turn_the_app_on(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Authenticator.objects.filter(user=user).exists()


def test_the_pages_speak_dutch(client: Client) -> None:
    client.force_login(UserFactory(language="nl"))
    assert "Tweestapsverificatie" in client.get("/accounts/2fa/").content.decode()
    assert "Authenticator-app instellen" in client.get(SET_UP).content.decode()


# ---------------------------------------------------------------------------
# Logging in with it
# ---------------------------------------------------------------------------


def test_after_the_emailed_code_the_app_code_is_asked(client: Client) -> None:
    user = UserFactory(email="twee@example.org")
    secret = _with_app(user)

    response = _login_by_code(client, user.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert _signed_in_as(client) is None  # the emailed code alone is not enough

    assert client.post("/accounts/2fa/authenticate/", {"code": "123456"}).status_code == 200
    assert _signed_in_as(client) is None

    response = client.post("/accounts/2fa/authenticate/", {"code": _app_code(secret)})
    assert response.status_code == 302
    assert _signed_in_as(client) == str(user.pk)


def test_a_recovery_code_logs_in_once(client: Client) -> None:
    user = UserFactory(email="kwijt@example.org")
    _with_app(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    _login_by_code(client, user.email)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    assert _signed_in_as(client) == str(user.pk)

    again = Client()
    _login_by_code(again, user.email)
    again.post("/accounts/2fa/authenticate/", {"code": code})
    assert _signed_in_as(again) is None


def test_an_app_code_is_not_accepted_twice(client: Client) -> None:
    user = UserFactory(email="replay@example.org")
    secret = _with_app(user)
    with time_machine.travel(timezone.now(), tick=False):
        code = _app_code(secret)
        _login_by_code(client, user.email)
        client.post("/accounts/2fa/authenticate/", {"code": code})
        assert _signed_in_as(client) == str(user.pk)

        other = Client()
        _login_by_code(other, user.email)
        other.post("/accounts/2fa/authenticate/", {"code": code})
        assert _signed_in_as(other) is None


# ---------------------------------------------------------------------------
# Who must use it
# ---------------------------------------------------------------------------


@pytest.fixture
def required(settings) -> None:
    settings.COP_MFA_REQUIRED_FOR_STAFF = True


@pytest.fixture
def confidential(site_admin: User, facilitator: User) -> Community:
    return make_community(
        site_admin,
        facilitator,
        "schade-experts",
        is_confidential=True,
        visibility=Community.Visibility.MEMBERS,
    )


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("path", ["/", "/account/", "/admin/", "/communities/"])
def test_a_site_admin_without_the_app_is_sent_to_set_it_up(
    client: Client, site_admin: User, path: str
) -> None:
    client.force_login(site_admin)
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, SET_UP)


@pytest.mark.usefixtures("required")
def test_the_set_up_pages_and_logging_out_stay_open(client: Client, site_admin: User) -> None:
    client.force_login(site_admin)
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/privacy/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert _signed_in_as(client) is None


@pytest.mark.usefixtures("required")
def test_an_htmx_request_moves_the_whole_page(client: Client, site_admin: User) -> None:
    client.force_login(site_admin)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == SET_UP


@pytest.mark.usefixtures("required")
def test_the_redirect_says_why_in_the_persons_language(client: Client) -> None:
    client.force_login(UserFactory(is_staff=True, language="nl"))
    page = client.get("/", follow=True)
    assert "Stel eerst een authenticator-app in" in page.content.decode()


@pytest.mark.usefixtures("required")
@committing
def test_once_set_up_the_site_admin_goes_on(client: Client, site_admin: User) -> None:
    client.force_login(site_admin)
    _turn_on(client)
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.usefixtures("required", "confidential")
def test_a_facilitator_of_a_confidential_community_must_set_it_up(
    client: Client, facilitator: User
) -> None:
    client.force_login(facilitator)
    assert client.get("/")["Location"] == SET_UP


@pytest.mark.usefixtures("required")
def test_members_and_facilitators_of_other_communities_need_not(
    site_admin: User, facilitator: User, member: User, confidential: Community
) -> None:
    from communities.models import Membership
    from communities.services.memberships import membership_grant

    other_facilitator = UserFactory()
    make_community(site_admin, other_facilitator, "open-web", visibility="signed_in")
    make_community(site_admin, other_facilitator, "besloten", visibility="members")
    confidential_member = UserFactory()
    membership_grant(
        community=confidential,
        user=confidential_member,
        role=Membership.Role.CORE,
        granted_by=site_admin,
    )
    for person in (member, other_facilitator, confidential_member):
        client = Client()
        client.force_login(person)
        assert client.get("/").status_code == 200, person


def test_the_rule_is_off_unless_the_setting_says_so(client: Client, site_admin: User) -> None:
    client.force_login(site_admin)
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("required")
@committing
def test_who_must_use_it_cannot_turn_the_app_off(client: Client, site_admin: User) -> None:
    client.force_login(site_admin)
    _turn_on(client)

    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=site_admin, type=Authenticator.Type.TOTP).exists()


@committing
def test_second_factor_changes_go_into_the_account_audit(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    _turn_on(client)  # the app and, with it, the recovery codes
    assert client.post("/accounts/2fa/recovery-codes/generate/").status_code == 302
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    kinds = sorted(PrivacyEvent.objects.filter(account_id=user.pk).values_list("kind", flat=True))
    assert kinds == sorted(
        [
            PrivacyEvent.Kind.SECOND_FACTOR_ADDED,
            PrivacyEvent.Kind.SECOND_FACTOR_ADDED,
            PrivacyEvent.Kind.RECOVERY_CODES_RENEWED,
            # Turning the app off removes the recovery codes it leaves dangling too.
            PrivacyEvent.Kind.SECOND_FACTOR_REMOVED,
            PrivacyEvent.Kind.SECOND_FACTOR_REMOVED,
        ]
    )


@committing
def test_a_member_can_turn_the_app_off(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    _turn_on(client)
    assert client.post("/accounts/2fa/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _queries_for_home(user: User) -> int:
    client = Client()
    client.force_login(user)
    client.get("/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_rule_costs_members_no_query(settings, member: User) -> None:
    settings.COP_MFA_REQUIRED_FOR_STAFF = False
    without_rule = _queries_for_home(member)
    settings.COP_MFA_REQUIRED_FOR_STAFF = True
    assert _queries_for_home(member) == without_rule


def test_a_session_signed_in_with_the_app_costs_no_query(settings) -> None:
    settings.COP_MFA_REQUIRED_FOR_STAFF = True
    site_admin = UserFactory(email="ada@example.org", is_staff=True, is_superuser=True)
    secret = _with_app(site_admin)
    client = Client()
    _login_by_code(client, "ada@example.org")
    client.post("/accounts/2fa/authenticate/", {"code": _app_code(secret)})
    client.get("/")
    with CaptureQueriesContext(connection) as with_rule:
        assert client.get("/").status_code == 200
    settings.COP_MFA_REQUIRED_FOR_STAFF = False
    with CaptureQueriesContext(connection) as without_rule:
        assert client.get("/").status_code == 200
    assert len(with_rule) == len(without_rule)


def test_the_rule_is_on_in_production_by_default() -> None:
    from tests.platform.production_probe import production_probe

    probe = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'on': settings.COP_MFA_REQUIRED_FOR_STAFF, "
        "'middleware': 'communities.mfa.MFARequiredMiddleware' in settings.MIDDLEWARE}))"
    )
    assert production_probe(probe, unset=["COP_MFA_REQUIRED_FOR_STAFF"]) == {
        "on": True,
        "middleware": True,
    }
