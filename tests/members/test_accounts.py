"""Accounts: sign-up and login by emailed code, no enumeration, logout by POST."""

import re

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from members.models import User
from tests.factories import UserFactory

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$", re.MULTILINE)

pytestmark = pytest.mark.django_db


def _last_code() -> str:
    match = CODE.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _request_login_code(client: Client, email: str):
    return client.post("/accounts/login/code/", {"email": email})


def test_signup_needs_no_password_and_the_emailed_code_signs_in(client: Client) -> None:
    response = client.post(
        "/accounts/signup/", {"email": "Nieuw@Example.org", "display_name": "Nina Nieuw"}
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="nieuw@example.org")
    assert user.display_name == "Nina Nieuw"
    assert not user.has_usable_password()
    assert "_auth_user_id" not in client.session  # not signed in before verifying

    response = client.post(response["Location"], {"code": _last_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_by_code_signs_in_a_known_member(client: Client) -> None:
    user = UserFactory(email="mira@example.org")
    response = _request_login_code(client, "MIRA@example.org")
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": _last_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_unknown_address_gets_the_same_answer_as_a_known_one() -> None:
    UserFactory(email="known@example.org")
    known = _request_login_code(Client(), "known@example.org")
    unknown = _request_login_code(Client(), "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # Both get an email; the unknown one says there is no account, not a code.
    assert len(mail.outbox) == 2


def test_a_login_code_is_single_use(client: Client) -> None:
    UserFactory(email="once@example.org")
    confirm_url = _request_login_code(client, "once@example.org")["Location"]
    code = _last_code()
    assert client.post(confirm_url, {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    second = client.post(confirm_url, {"code": code})
    assert "_auth_user_id" not in client.session
    assert second.status_code in (200, 302)


def test_a_login_code_expires(client: Client) -> None:
    UserFactory(email="late@example.org")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        confirm_url = _request_login_code(client, "late@example.org")["Location"]
        code = _last_code()
        traveller.shift(11 * 60)
        client.post(confirm_url, {"code": code})
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_does_not_sign_in(client: Client) -> None:
    UserFactory(email="guess@example.org")
    confirm_url = _request_login_code(client, "guess@example.org")["Location"]
    response = client.post(confirm_url, {"code": "AAAA-AAAA"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.get("/accounts/logout/")
    assert client.session.get("_auth_user_id") == str(user.pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_pages_need_login_by_default(client: Client) -> None:
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/")


@pytest.mark.parametrize("path", ["/", "/accounts/login/code/", "/accounts/signup/", "/health/"])
def test_public_pages_are_open(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200


def test_email_is_unique_whatever_its_case() -> None:
    UserFactory(email="same@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(email="SAME@example.org")


def test_account_page_saves_name_language_and_time_zone(client: Client) -> None:
    user = UserFactory(language="nl")
    client.force_login(user)
    response = client.post(
        "/account/",
        {"display_name": "Nieuwe Naam", "language": "en", "time_zone": "Europe/London"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.language, user.time_zone) == (
        "Nieuwe Naam",
        "en",
        "Europe/London",
    )
    assert client.get("/account/")["Content-Language"] == "en"


def test_account_page_explains_bad_input(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.post("/account/", {"display_name": "", "language": "xx", "time_zone": "Mars"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"display_name", "language", "time_zone"}


def test_language_switcher_remembers_the_choice_on_the_account(client: Client) -> None:
    user = UserFactory(language="nl")
    client.force_login(user)
    response = client.post("/account/language/", {"language": "en", "next": "/account/"})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.language == "en"


def test_language_switcher_does_not_redirect_elsewhere(client: Client) -> None:
    response = client.post(
        "/account/language/", {"language": "en", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


def test_anonymous_visitors_see_the_chosen_language(client: Client) -> None:
    client.post("/account/language/", {"language": "en", "next": "/"})
    assert client.get("/")["Content-Language"] == "en"
    client.post("/account/language/", {"language": "nl", "next": "/"})
    assert client.get("/")["Content-Language"] == "nl"


def test_the_login_code_email_follows_the_stored_language_not_the_browser() -> None:
    UserFactory(email="english@example.org", language="en")
    UserFactory(email="nederlands@example.org", language="nl")
    dutch_browser = Client(headers={"accept-language": "nl"})
    _request_login_code(dutch_browser, "english@example.org")
    english_browser = Client(headers={"accept-language": "en"})
    english_browser.cookies["django_language"] = "en"
    _request_login_code(english_browser, "nederlands@example.org")
    english, dutch = mail.outbox
    assert english.subject.startswith("Your login code for")
    assert "Your login code:" in english.body
    assert dutch.subject.startswith("Je inlogcode voor")
    assert "Je inlogcode:" in dutch.body
    for message in (english, dutch):
        html = message.alternatives[0][0]  # type: ignore[attr-defined,index]
        assert _last_code_of(message) in html
        assert "password" not in message.body.lower() and "wachtwoord" not in message.body


def _last_code_of(message) -> str:  # type: ignore[no-untyped-def]
    match = CODE.search(message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_account_emails_use_our_own_text_in_both_languages(client: Client, language: str) -> None:
    UserFactory(email="bestaat@example.org", language=language)
    client.cookies["django_language"] = language
    client.post("/accounts/signup/", {"email": "bestaat@example.org", "display_name": "X"})
    _request_login_code(Client(headers={"accept-language": language}), "niemand@example.org")
    bodies = " ".join(m.body for m in mail.outbox).lower()
    for poor in ("hallo van", "e-emailadres", "wachtwoord", "password", "thank you for using"):
        assert poor not in bodies
    assert all(m.alternatives for m in mail.outbox)


@pytest.mark.parametrize(
    ("language", "log_in", "sign_up"),
    [("nl", "Inloggen", "Aanmelden"), ("en", "Log in", "Sign up")],
)
def test_account_pages_say_log_in_and_sign_up_with_one_word_each(
    language: str, log_in: str, sign_up: str
) -> None:
    client = Client(headers={"accept-language": language})
    login = client.get("/accounts/login/").content.decode()
    signup = client.get("/accounts/signup/").content.decode()
    assert f"<h1>{log_in}</h1>" in " ".join(login.split()).replace("<h1> ", "<h1>").replace(
        " </h1>", "</h1>"
    )
    assert sign_up in signup
    for page in ("/accounts/login/", "/accounts/login/code/", "/accounts/signup/"):
        text = client.get(page).content.decode()
        assert "aanmeldcode" not in text and "Registreren" not in text
    reset = client.get("/accounts/password/reset/").content.decode()
    assert "/accounts/login/code/" in reset
