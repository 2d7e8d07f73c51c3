"""Headers every response carries: CSP with a nonce, Permissions-Policy, frame denial,
COOP, and `private, no-store` for whatever a signed-in person is shown."""

import re

import pytest
from django.test import Client

from communities.models import Community
from members.models import User

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in response["Content-Security-Policy"].split(";")
    }


def test_pages_carry_a_nonce_based_policy_without_unsafe_inline(client: Client) -> None:
    response = client.get("/accounts/login/code/")
    policy = _policy(response)
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"])
    assert nonce
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["style-src"].startswith("'self'")
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    # Every script tag of the page carries this response's nonce.
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)


def test_each_response_gets_its_own_nonce(client: Client) -> None:
    first = _policy(client.get("/accounts/login/code/"))["script-src"]
    second = _policy(client.get("/accounts/login/code/"))["script-src"]
    assert first != second


def test_htmx_is_configured_without_eval_script_tags_or_inline_styles(client: Client) -> None:
    html = client.get("/accounts/login/code/").content.decode()
    assert (
        '<meta name="htmx-config" content=\'{"allowEval":false,"allowScriptTags":false,'
        '"includeIndicatorStyles":false,' in html
    )


def test_framing_powerful_features_and_openers_are_refused(client: Client) -> None:
    response = client.get("/accounts/login/code/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    assert features["camera"] == "()"
    assert features["microphone"] == "()"
    assert features["geolocation"] == "()"


def test_signed_in_pages_are_private_and_not_stored(
    client: Client, member: User, community: Community
) -> None:
    client.force_login(member)
    for path in ("/", f"/communities/{community.slug}/", f"/c/{community.slug}/threads/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "private, no-store", path


def test_signed_in_htmx_fragments_and_redirects_are_not_stored(
    client: Client, member: User, community: Community
) -> None:
    client.force_login(member)
    fragment = client.get(f"/c/{community.slug}/threads/", headers={"HX-Request": "true"})
    assert fragment["Cache-Control"] == "private, no-store"
    redirect = client.post("/account/language/", {"language": "en", "next": "/"})
    assert redirect.status_code == 302
    assert redirect["Cache-Control"] == "private, no-store"


def test_anonymous_pages_keep_their_own_caching(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_private_cache_policy_chosen_by_a_view_is_kept(client: Client) -> None:
    from tests.factories import UserFactory
    from tests.members.test_profile import _post_profile, image_bytes, upload

    person = UserFactory()
    client.force_login(person)
    _post_profile(client, avatar=upload(image_bytes()))
    response = client.get("/account/profile/photo/")
    assert response["Cache-Control"].startswith("private")
    assert "max-age" in response["Cache-Control"]
