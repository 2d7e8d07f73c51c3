"""Wherever an address is typed, a known and an unknown one get the same answer: the
pages never tell whether someone has an account. (The login code is covered in
tests/members/test_accounts.py; invitation landings belong to the invitations tests.)"""

import pytest
from django.core import mail
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _answer(response) -> tuple[int, str]:
    return response.status_code, response.get("Location", "")


def test_sign_up_with_a_taken_address_answers_as_a_new_one() -> None:
    UserFactory(email="bekend@example.org")
    taken = Client().post(
        "/accounts/signup/", {"email": "bekend@example.org", "display_name": "Iemand"}
    )
    new = Client().post("/accounts/signup/", {"email": "nieuw@example.org", "display_name": "Nina"})
    assert _answer(taken) == _answer(new)
    assert taken.status_code == 302
    # The owner of the taken address is told by email, not the person at the keyboard.
    assert {message.to[0] for message in mail.outbox} == {
        "bekend@example.org",
        "nieuw@example.org",
    }


def test_password_reset_answers_the_same_for_known_and_unknown_addresses() -> None:
    UserFactory(email="bekend@example.org")
    known = Client().post("/accounts/password/reset/", {"email": "bekend@example.org"})
    unknown = Client().post("/accounts/password/reset/", {"email": "niemand@example.org"})
    assert _answer(known) == _answer(unknown)
    assert known.status_code == 302


def test_changing_to_a_taken_address_answers_as_a_free_one() -> None:
    UserFactory(email="bezet@example.org")
    answers = []
    for address in ("bezet@example.org", "vrij@example.org"):
        client = Client()
        client.force_login(UserFactory())
        answers.append(
            _answer(client.post("/accounts/email/", {"action_add": "", "email": address}))
        )
    assert answers[0] == answers[1]
