"""A task enqueued on commit runs in a real Celery worker against the real Redis."""

import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from cop_platform.celery import app as celery_app
from members.models import User
from members.tasks import purge_unverified_accounts
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    socket_dir = db.get("OPTIONS", {}).get("host")
    if socket_dir:
        return f"postgres://{auth}@/{db['NAME']}?host={socket_dir}"
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_sends_to_broker() -> Iterator[str]:
    """Send tasks to Redis instead of running them inline, on a queue of this test's own
    (so that a `make run` worker on the same Redis cannot take them)."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = saved


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_enqueued_on_commit_runs_in_a_real_worker(celery_sends_to_broker: str) -> None:
    queue = celery_sends_to_broker
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        stale = UserFactory(verified=False)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cop_platform.settings",
        "DJANGO_READ_DOT_ENV_FILE": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": _test_database_url(),
    }
    worker = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cop_platform",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with transaction.atomic():
            purge_unverified_accounts.delay_on_commit()
            # Nothing is sent before the transaction commits.
            time.sleep(0.5)
            assert User.objects.filter(pk=stale.pk).exists()
        deadline = time.monotonic() + 60
        while User.objects.filter(pk=stale.pk).exists():
            assert worker.poll() is None, worker.stdout.read() if worker.stdout else ""
            assert time.monotonic() < deadline, "the worker did not run the task in 60 s"
            time.sleep(0.25)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
