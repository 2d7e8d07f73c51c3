"""Browser tests: Debian's Chromium driven through Playwright against pytest-django's
live_server, at phone size, with axe-core for accessibility.

Every test in this folder is marked `browser`; deselect them with `-m "not browser"`.
Without /usr/bin/chromium they are skipped, except under CI, where that is a failure.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.cache import cache

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


# Playwright's sync API runs an asyncio event loop in this thread; Django's ORM (used by
# the tests themselves, e.g. to reload a user) would otherwise refuse to run beside it.
# Tests that start Django in a subprocess must not pass this on (see test_deployment).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "var" / "test-artifacts"
BROWSER_TESTS_DIR = Path(__file__).resolve().parent
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items: mark only the ones in this folder.
    for item in items:
        if BROWSER_TESTS_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} not found; install Debian's Chromium "
            "(apt-get install chromium) to run the browser tests"
        )
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: "Browser", live_server: Any) -> Iterator["Page"]:
    """A fresh, phone-sized browser context per test; relative URLs go to live_server."""
    # allauth's rate limits count in the (locmem, process-wide) cache: start each test
    # with empty counters so tests do not depend on each other's order.
    cache.clear()
    # A Dutch phone: the platform's default audience (Accept-Language: nl-NL).
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or item.get_closest_marker("browser") is None:
        return
    page = getattr(item, "funcargs", {}).get("page")
    if page is None or page.is_closed():
        return
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', item.name)}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # a screenshot must never hide the real failure
        message = f"screenshot failed: {exc!r}"
    else:
        message = f"screenshot saved to {path.relative_to(REPO_ROOT)}"
    report.sections.append(("browser screenshot", message))
    terminal = item.config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None:
        terminal.write_line(f"\n{item.nodeid}: {message}")
    else:
        print(message)


def assert_accessible(page: "Page") -> None:
    """Fail when axe-core finds a serious or critical violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"{len(blocking)} serious/critical axe violation(s) on {page.url}:"]
        for violation in blocking:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.extend(
                f"    {', '.join(map(str, node['target']))}" for node in violation["nodes"]
            )
        pytest.fail("\n".join(lines), pytrace=False)
