"""The embedded Postgres and Redis stop with their last holder, even when an earlier
holder was killed without cleaning up (no orphan servers after `make run` or tests)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
HOLD = (
    "import os, sys; from devtools import embedded; embedded.ensure_services(); "
    "print('ready', flush=True); sys.stdin.readline()"
)


def _servers_for(var: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline", "cwd"]):
        try:
            cmdline = " ".join(process.info["cmdline"] or [])
            cwd = process.info["cwd"] or ""
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        here = str(var) in cmdline or cwd.startswith(str(var))
        if here and ("postgres" in cmdline or "redis-server" in cmdline):
            found.append(process)
    return found


def _holder(var: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["COP_VAR_DIR"] = str(var)
    holder = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", HOLD],
        cwd=BASE_DIR,
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "ready"
    return holder


def _wait_until_gone(var: Path, seconds: float = 20) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while (left := _servers_for(var)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


@pytest.mark.skipif(sys.platform != "linux", reason="uses /proc through psutil")
def test_servers_stop_with_the_last_holder_even_after_a_crash(tmp_path: Path) -> None:
    var = tmp_path / "var"
    crashed = _holder(var)
    assert len(_servers_for(var)) >= 2  # postgres (with its helpers) and redis
    crashed.send_signal(signal.SIGKILL)
    crashed.wait()
    assert _servers_for(var), "a killed holder cannot stop the servers itself"

    survivor = _holder(var)
    assert survivor.stdin is not None
    survivor.stdin.write("\n")
    survivor.stdin.close()
    survivor.wait(timeout=30)
    assert _wait_until_gone(var) == []
