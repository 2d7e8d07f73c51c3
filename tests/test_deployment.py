"""The deployment files (docker-compose.yml, Dockerfile, .dockerignore, .env.example)
against the code they start and the settings they feed.

No Docker engine runs in CI, so these check structure: services and volumes exist, every
command names a real module or management command, every variable is documented, and
the documented production configuration passes Django's deployment checks.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from collections.abc import Iterator
from itertools import takewhile
from pathlib import Path
from typing import Any

import environ
import pytest
from django.core.management import get_commands
from django.urls import resolve

BASE_DIR = Path(__file__).resolve().parent.parent
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
DOCKERIGNORE = BASE_DIR / ".dockerignore"
ENV_EXAMPLE = BASE_DIR / ".env.example"
SETTINGS_FILE = BASE_DIR / "cop_platform" / "settings.py"

APP_SERVICES = ("web", "worker", "beat")
# Matches `${VAR}`, `${VAR:-default}` and `${VAR:?error}`, but not the `$${VAR}` escape.
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")
# A documented variable: `KEY=value`, or `# KEY=value` when left at its default.
DOCUMENTED_ASSIGNMENT = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")
ENV_READERS = {
    "str",
    "bool",
    "int",
    "float",
    "list",
    "tuple",
    "dict",
    "json",
    "url",
    "path",
    "db_url",
    "db",
    "email_url",
    "email",
    "cache_url",
    "cache",
    "search_url",
    "get_value",
}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


class _EnvFile(environ.Env):
    # read_env writes into ENVIRON; a class of its own keeps os.environ untouched.
    ENVIRON: dict[str, str] = {}


def env_example_values() -> dict[str, str]:
    """The uncommented KEY=value lines of .env.example, parsed as settings parse .env."""
    _EnvFile.ENVIRON = {}
    _EnvFile.read_env(ENV_EXAMPLE, overwrite=True)
    return dict(_EnvFile.ENVIRON)


def documented_variables() -> set[str]:
    lines = ENV_EXAMPLE.read_text().splitlines()
    return {m.group(1) for line in lines if (m := DOCUMENTED_ASSIGNMENT.match(line))}


def _is_env_object(node: ast.expr) -> bool:
    """`env`, or an inline `environ.Env()` / `Env()`."""
    if isinstance(node, ast.Name):
        return node.id == "env"
    if isinstance(node, ast.Call):
        func = node.func
        return (isinstance(func, ast.Attribute) and func.attr == "Env") or (
            isinstance(func, ast.Name) and func.id == "Env"
        )
    return False


def _is_os_environ(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _first_string(args: list[ast.expr]) -> str | None:
    if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
        return args[0].value
    return None


def _reads_environment(func: ast.expr) -> bool:
    """`env("X")`, `env.<reader>("X")`, `environ.Env().<reader>("X")`, `os.environ.get("X")`,
    `os.getenv("X")`."""
    if _is_env_object(func):
        return True
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in ENV_READERS and _is_env_object(func.value):
        return True
    return (func.attr == "get" and _is_os_environ(func.value)) or func.attr == "getenv"


def settings_variables() -> set[str]:
    """Every environment variable the settings module reads, from its source."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(SETTINGS_FILE.read_text())):
        name = None
        if isinstance(node, ast.Call) and _reads_environment(node.func):
            name = _first_string(node.args)
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            name = _first_string([node.slice])  # os.environ["X"]
        if name:
            names.add(name)
    return names


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(a) for a in command]


def _volume_source(mount: str | dict[str, Any]) -> str:
    return mount["source"] if isinstance(mount, dict) else mount.split(":", 1)[0]


def _volume_target(mount: str | dict[str, Any]) -> str:
    return mount["target"] if isinstance(mount, dict) else mount.split(":")[1]


def dockerfile_instructions(keyword: str) -> list[str]:
    """Arguments of each `keyword` instruction, with continuation lines joined."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    prefix = keyword.upper() + " "
    return [
        line[len(prefix) :].strip() for line in text.splitlines() if line.upper().startswith(prefix)
    ]


def assert_command_targets_exist(argv: list[str]) -> None:
    """The program's target exists: a WSGI callable, a Celery app, a management command."""
    program = Path(argv[0]).name
    if program == "gunicorn":
        target = next(arg for arg in argv[1:] if ":" in arg and not arg.startswith("-"))
        module_name, attribute = target.split(":")
        assert callable(getattr(importlib.import_module(module_name), attribute)), target
    elif program == "celery":
        from celery import Celery
        from celery.app.utils import find_app

        # The lookup `celery -A` itself does.
        app = find_app(argv[argv.index("-A") + 1])
        assert isinstance(app, Celery)
        assert app is importlib.import_module("cop_platform.celery").app
    elif "manage.py" in argv:
        command = argv[argv.index("manage.py") + 1]
        assert command in get_commands(), f"no management command {command!r}"
    else:
        pytest.fail(f"unexpected program in {argv}")


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Fixed argv, no shell: the S603 concern (untrusted input) does not apply.
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _subprocess_env(configuration: dict[str, str]) -> dict[str, str]:
    """os.environ without anything the settings read, so only `configuration` sets them."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest for their own
    # process; a deployment never has it, and `check --deploy` rightly refuses it.
    excluded = settings_variables() | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in excluded}
    return {**env, **configuration}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load(COMPOSE_FILE.read_text())


# ---------------------------------------------------------------------------
# docker-compose.yml: services, dependencies, volumes
# ---------------------------------------------------------------------------


def test_compose_defines_the_production_services(compose: dict[str, Any]) -> None:
    expected = {"web", "worker", "beat", "postgres", "redis", "mailpit"}
    assert expected <= set(compose["services"])


def test_app_services_wait_for_healthy_postgres_and_redis(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        depends_on = compose["services"][name].get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for backing in ("postgres", "redis"):
            condition = depends_on.get(backing, {}).get("condition")
            assert condition == "service_healthy", f"{name} -> {backing}: {condition}"


def test_app_services_start_after_migrations(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert _argv(services["migrate"]["command"])[-2:] == ["migrate", "--noinput"]
    for name in APP_SERVICES:
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_postgres_and_redis_persist_and_report_health(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "pg_isready" in _argv(services["postgres"]["healthcheck"]["test"])
    assert _argv(services["redis"]["healthcheck"]["test"])[-2:] == ["redis-cli", "ping"]
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert _argv(services["redis"]["command"])[-2:] == ["--appendonly", "yes"]


def test_web_healthcheck_calls_the_health_view(compose: dict[str, Any]) -> None:
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    code = test[3]
    compile(code, "web-healthcheck", "exec")  # a syntax error would mark web unhealthy
    url = re.search(r"http://127\.0\.0\.1:8000(/[^'\"]*)", code)
    assert url, code
    assert resolve(url.group(1)).url_name == "health"


def test_stateful_paths_are_on_declared_named_volumes(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    services = compose["services"]
    for name, service in services.items():
        for mount in service.get("volumes", []):
            source = _volume_source(mount)
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name}: volume {source!r} is not declared"

    def target_is_named_volume(service: str, target: str) -> bool:
        return any(
            _volume_target(m) == target and _volume_source(m) in declared
            for m in services[service].get("volumes", [])
        )

    assert target_is_named_volume("postgres", "/var/lib/postgresql/data")
    assert target_is_named_volume("redis", "/data")
    assert target_is_named_volume("web", "/app/media")
    assert target_is_named_volume("worker", "/app/media")
    assert target_is_named_volume("beat", "/app/var")
    schedule = _argv(services["beat"]["command"])
    assert schedule[schedule.index("--schedule") + 1].startswith("/app/var/")


# ---------------------------------------------------------------------------
# Commands point at real code
# ---------------------------------------------------------------------------


def test_compose_commands_point_at_real_code(compose: dict[str, Any]) -> None:
    app_services = [s for s in compose["services"].values() if "build" in s]
    app_commands = [_argv(s["command"]) for s in app_services]
    programs = {Path(argv[0]).name for argv in app_commands}
    assert {"gunicorn", "celery"} <= programs
    for argv in app_commands:
        assert_command_targets_exist(argv)


def test_compose_gunicorn_binds_port_8000_with_configurable_workers(
    compose: dict[str, Any],
) -> None:
    argv = _argv(compose["services"]["web"]["command"])
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8000"
    assert re.fullmatch(r"\$\{\w+:-\d+\}", argv[argv.index("--workers") + 1])


def test_celery_commands_start_a_worker_and_beat(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "worker" in _argv(services["worker"]["command"])
    assert "beat" in _argv(services["beat"]["command"])


def test_dockerfile_default_command_serves_the_wsgi_app() -> None:
    (cmd,) = dockerfile_instructions("CMD")
    argv = json.loads(cmd)  # exec form: gunicorn gets SIGTERM directly, not via a shell
    assert argv[0] == "gunicorn"
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:8000"
    assert_command_targets_exist(argv)


def test_dockerfile_management_commands_exist() -> None:
    commands = re.findall(r"manage\.py\s+([\w-]+)", DOCKERFILE.read_text())
    assert "collectstatic" in commands
    for command in commands:
        assert command in get_commands(), command


def test_dockerfile_builds_a_non_root_image_from_the_lock() -> None:
    assert dockerfile_instructions("FROM") == ["python:3.11-slim"]
    runs = " ".join(dockerfile_instructions("RUN"))
    assert "pip install --no-cache-dir -r requirements.lock" in runs
    assert "collectstatic --noinput" in runs
    assert "8000" in dockerfile_instructions("EXPOSE")[0].split()
    users = dockerfile_instructions("USER")
    assert users, "the image must not run as root"
    assert users[-1] not in {"root", "0"}


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image() -> None:
    patterns = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text().splitlines()}
    assert {".env", ".venv", "var", ".git", "**/__pycache__", ".pytest_cache"} <= patterns


# ---------------------------------------------------------------------------
# .env.example documents every variable
# ---------------------------------------------------------------------------


def test_settings_variables_are_found_in_the_settings_source() -> None:
    # Guards the next test against passing because the parser found nothing.
    found = settings_variables()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "COP_VAR_DIR", "EMAIL_URL"} <= found
    assert len(found) >= 30


def test_every_settings_variable_is_documented_in_env_example() -> None:
    missing = settings_variables() - documented_variables()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_compose_variable_is_documented_in_env_example(compose: dict[str, Any]) -> None:
    used = {m for s in _strings(compose) for m in COMPOSE_VARIABLE.findall(s)}
    assert used, "expected ${...} variables in docker-compose.yml"
    missing = used - documented_variables()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_documented_variable_has_an_explanation() -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    seen: set[str] = set()
    unexplained = []
    for index, line in enumerate(lines):
        match = DOCUMENTED_ASSIGNMENT.match(line)
        if not match or match.group(1) in seen:
            continue
        seen.add(match.group(1))
        # The comment block right above; it may hold sibling variables (KEY_A, KEY_B).
        block = list(takewhile(lambda above: above.startswith("#"), reversed(lines[:index])))
        prose = [c for c in block if not DOCUMENTED_ASSIGNMENT.match(c) and c.strip("#-= ")]
        if not prose:
            unexplained.append(match.group(1))
    assert not unexplained, f"explain in .env.example: {unexplained}"


def test_env_example_points_at_the_compose_services(compose: dict[str, Any]) -> None:
    values = env_example_values()
    postgres = compose["services"]["postgres"]["environment"]
    database = environ.Env.db_url_config(values["DATABASE_URL"])
    assert database["HOST"] == "postgres"
    assert database["NAME"] == postgres["POSTGRES_DB"]
    assert database["USER"] == postgres["POSTGRES_USER"]
    assert "${POSTGRES_PASSWORD" in postgres["POSTGRES_PASSWORD"]
    assert database["PASSWORD"] == values["POSTGRES_PASSWORD"]
    assert values["REDIS_URL"].startswith("redis://redis:6379/")
    assert environ.Env.email_url_config(values["EMAIL_URL"])["EMAIL_HOST"] == "mailpit"


def test_env_example_secret_key_is_a_long_marked_placeholder() -> None:
    key = env_example_values()["DJANGO_SECRET_KEY"]
    assert len(key) >= 50
    assert len(set(key)) >= 5
    assert key.lower().startswith("change-me")
    assert "$" not in key  # docker compose would interpolate it


# ---------------------------------------------------------------------------
# Settings with the documented production configuration
# ---------------------------------------------------------------------------


def test_env_example_production_configuration_passes_deploy_checks() -> None:
    env = _subprocess_env(
        {
            **env_example_values(),
            # What the operator does first: replace the placeholder by a fresh key.
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
            "DJANGO_READ_DOT_ENV_FILE": "0",
            # The embedded servers started for the test run, in place of the compose ones.
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": os.environ["REDIS_URL"],
        }
    )
    result = _run(
        [str(BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"], env
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off() -> None:
    env = _subprocess_env(
        {
            "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
            # A developer's .env could otherwise supply the key.
            "DJANGO_READ_DOT_ENV_FILE": "0",
            "DJANGO_DEBUG": "0",
        }
    )
    result = _run(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_settings_refuse_to_start_with_the_env_example_key_when_debug_is_off() -> None:
    env = _subprocess_env(
        {
            **env_example_values(),
            "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
            "DJANGO_READ_DOT_ENV_FILE": "0",
            "DJANGO_DEBUG": "0",
        }
    )
    result = _run(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "key from the repository" in result.stderr


def test_deploy_check_reports_a_key_from_the_repository() -> None:
    # With DEBUG on the settings load, so the check itself must catch the key.
    env = _subprocess_env(
        {
            **env_example_values(),
            "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
            "DJANGO_READ_DOT_ENV_FILE": "0",
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": os.environ["REDIS_URL"],
        }
    )
    result = _run([str(BASE_DIR / "manage.py"), "check", "--deploy", "--fail-level", "ERROR"], env)
    assert result.returncode != 0
    assert "cop.E001" in result.stderr + result.stdout


# `DJANGO_SECRET_KEY=value`, `"DJANGO_SECRET_KEY": "value"`, `("DJANGO_SECRET_KEY", "value")`
# and settings' own `default=... "value"`; not another variable's NAME.
COMMITTED_KEY = re.compile(
    r"""DJANGO_SECRET_KEY["']?\s*[=:,]\s*["']?(?![A-Z_]+(?![A-Za-z0-9_\-]))([A-Za-z0-9_\-]{8,})"""
    r"""|SECRET_KEY = env\.str\([^)]*"([A-Za-z0-9_\-]{8,})"\)"""
)


def test_every_secret_key_committed_to_the_repository_is_refused() -> None:
    from cop_platform.secret_keys import is_repository_key

    tracked = subprocess.run(
        ["git", "ls-files"],  # noqa: S607 - git from PATH, fixed arguments
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = {}
    for name in tracked:
        path = BASE_DIR / name
        if path.suffix in {".lock", ".po", ".mo", ".png", ".svg", ".js"} or not path.is_file():
            continue
        for match in COMMITTED_KEY.finditer(path.read_text(errors="ignore")):
            found[match.group(1) or match.group(2)] = name
    # Guards against a pattern that finds nothing.
    assert {"dev-only-insecure-key", env_example_values()["DJANGO_SECRET_KEY"]} <= set(found)
    accepted = {key: name for key, name in found.items() if not is_repository_key(key)}
    assert not accepted, f"add to cop_platform/secret_keys.py: {accepted}"


def test_production_session_and_csrf_cookies_carry_the_host_prefix() -> None:
    env = _subprocess_env(
        {
            **env_example_values(),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
            "DJANGO_READ_DOT_ENV_FILE": "0",
        }
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN)"
    )
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "/",
        "None",
    ]
