"""The site can be added to a phone's home screen: a web app manifest with icons, a
favicon and a theme colour on every page."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def test_the_manifest_is_served_as_a_manifest_in_the_visitor_s_language(client: Client) -> None:
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == settings.COP_SITE_NAME
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["lang"] == "nl"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("icon-192.png", 192),
        ("icon-512.png", 512),
        ("icon-maskable-512.png", 512),
        ("apple-touch-icon.png", 180),
    ],
)
def test_the_icons_are_small_png_files_of_their_size(name: str, size: int) -> None:
    path = STATIC / "img" / name
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (size, size)
    assert path.stat().st_size < 16_000


def test_every_page_links_the_manifest_icons_and_theme_colour(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'rel="icon"' in html and 'rel="apple-touch-icon"' in html
    assert '<meta name="theme-color"' in html
