"""Embedded Postgres and Redis for a test run without DATABASE_URL / REDIS_URL.

A pytest plugin, loaded by `-p tests.embedded_servers` (pyproject.toml's addopts), so
that its hook runs before pytest-django's, which reads the settings. The settings module
starts nothing itself: mypy's Django plugin and manage.py read tests.settings without
starting a server.

Under pytest-xdist the controller starts the servers before it spawns its workers; the
workers inherit the URLs and only connect. The servers stop when the controller, their
last holder, exits (devtools/embedded.py).
"""

import pytest

from devtools import embedded


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    options = early_config.known_args_namespace
    if getattr(options, "help", False) or getattr(options, "version", 0):
        return
    embedded.ensure_services()
