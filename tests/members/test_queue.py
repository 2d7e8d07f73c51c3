"""Enqueueing by name: a broker that is down never fails a committed change, and a
task's own errors are not hidden."""

from typing import Any

import pytest
from celery import shared_task
from celery.app.task import Task
from kombu.exceptions import OperationalError

from members.queue import enqueue_on_commit

pytestmark = pytest.mark.django_db


@shared_task(name="tests.queue_probe")
def queue_probe(*, fail: bool) -> None:
    if fail:
        raise ValueError("the task's own error")


def test_a_broker_that_is_down_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("tests.queue_probe", fail=False)
    assert "could not enqueue tests.queue_probe" in caplog.text


def test_a_tasks_own_error_surfaces(django_capture_on_commit_callbacks: Any) -> None:
    with (
        pytest.raises(ValueError, match="the task's own error"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_on_commit("tests.queue_probe", fail=True)
