"""Run a snippet under the production settings in a fresh interpreter, so what the
environment decides at import (apps, URLs, cache and broker) is read as production
would read it."""

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def production_probe(probe: str, *, unset: Iterable[str] = (), **extra: str) -> dict:
    """The JSON the snippet prints. DJANGO_* variables and the names in `unset` are
    dropped from this process's environment first; `extra` is set on top."""
    dropped = set(unset)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in dropped
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_READ_DOT_ENV_FILE": "0",
        **extra,
    }
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", probe],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))
