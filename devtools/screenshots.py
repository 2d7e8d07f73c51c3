"""`make screenshots`: the main pages at 360 px (a phone) with the demo data, in
Debian's Chromium through Playwright, into docs/screenshots/ (small PNGs the README
shows).

Starts what `make run` starts, minus the worker: the embedded Postgres and Redis where
DATABASE_URL / REDIS_URL are unset (a database of its own, "cop_screenshots", so the
demo database is left as it is), migrations, the demo data and the development server
on a spare port. Members are signed in by a session made here, as the browser tests do;
the anonymous shot opens a thread of the community everyone may read along in.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from devtools import embedded

HOST, PORT = "127.0.0.1", 8765
OUT = embedded.BASE_DIR / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: Any = {"width": 360, "height": 740}


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def _session_cookie(email: str) -> str:
    from django.test import Client

    from members.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies["sessionid"].value


def _shots() -> list[tuple[str, str | None, str]]:
    """(file name, persona's address or None for a visitor, path) of each screenshot."""
    from discussions.models import Thread

    def busiest(slug: str) -> Thread:
        return Thread.objects.filter(community__slug=slug).order_by("-reply_count", "pk")[0]

    mira = "mira@example.org"
    ehealth = "e-health-projectleiders"
    return [
        ("home", mira, "/"),
        ("thread-list", mira, f"/c/{ehealth}/threads/"),
        ("thread", mira, busiest(ehealth).get_absolute_url()),
        ("search", mira, "/search/?q=ambassadeurs"),
        ("public-thread", None, busiest("aanjagers-lokale-gezondheid").get_absolute_url()),
    ]


def _shrink(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64)
    small.save(path, optimize=True)


def main() -> int:
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_DEV_TOOLS", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_platform.settings")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("SITE_URL", f"http://{HOST}:{PORT}")
    embedded.DB_NAME = "cop_screenshots"
    if os.environ.get("DATABASE_URL"):
        embedded._create_database(os.environ["DATABASE_URL"])
    embedded.ensure_services()
    embedded._manage("migrate", "--noinput", "-v0")
    embedded._manage("load_demo_data")
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            str(embedded.BASE_DIR / "manage.py"),
            "runserver",
            "--noreload",
            f"{HOST}:{PORT}",
        ],
        cwd=embedded.BASE_DIR,
    )
    try:
        _wait_for(f"http://{HOST}:{PORT}/health/")
        import django

        django.setup()
        from playwright.sync_api import sync_playwright

        OUT.mkdir(parents=True, exist_ok=True)
        shots = _shots()
        # Sessions made before Playwright starts: its event loop forbids the ORM after.
        cookies = {email: _session_cookie(email) for _name, email, _path in shots if email}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for name, email, path in shots:
                context = browser.new_context(
                    viewport=VIEWPORT, locale="nl-NL", base_url=f"http://{HOST}:{PORT}"
                )
                if email:
                    url = f"http://{HOST}:{PORT}"
                    context.add_cookies(
                        [{"name": "sessionid", "value": cookies[email], "url": url}]
                    )
                page = context.new_page()
                page.goto(path)
                target = OUT / f"{name}-360.png"
                page.screenshot(path=str(target))
                _shrink(target)
                print(f"{target.relative_to(embedded.BASE_DIR)}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
