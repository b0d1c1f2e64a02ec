"""Queue workers that go away, and a Redis that restarts: the page is told the truth (its job was lost, no worker
serves its lane) instead of waiting forever, and after a restart the workers' beats bring back their CPU models."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

from core import queue
from core.jobs import JobLimitError, cpu_model
from core.lanes import FAST
from core.queue_fleet import live_workers
from core.queue_ticket import NO_WORKER_GRACE_S
from tests import worker_routines
from tests.browser import free_port
from tests.queue_topology import (
    queue_key,  # noqa: F401  (autouse: the topology's key here too)
    queue_worker,
    redis_server,
    submission,
)


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wait_running(ticket, within_s: float = 30) -> None:
    deadline = time.monotonic() + within_s
    while not ticket.progress().running:
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)


def test_a_worker_killed_mid_job_is_said_lost_then_its_lane_has_no_worker():
    with redis_server() as url, queue_worker(url) as worker:
        connection = queue.connect(url)
        ticket = queue.submit(connection, submission(worker_routines.sleep, 40, limit=50))
        wait_running(ticket)
        horses = children(worker.pid)
        worker.send_signal(signal.SIGKILL)  # the worker's main process, not its work horse
        killed = time.monotonic()
        try:
            with pytest.raises(JobLimitError) as caught:
                ticket.result(60)
            assert caught.value.kind == "lost"
            assert time.monotonic() - killed < queue.STALE_S + 3  # not the job's 50 s limit
            late = queue.submit(connection, submission(worker_routines.pid))
            with pytest.raises(JobLimitError) as caught:
                late.result(60)
            assert caught.value.kind == "no_worker"
        finally:
            for horse in horses:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(horse, signal.SIGKILL)


@pytest.mark.serial  # a clean stop must finish within the helper's grace before SIGKILL: not under load
def test_a_worker_stopped_cleanly_leaves_its_lane_at_once():
    with redis_server() as url:
        with queue_worker(url):
            assert live_workers(queue.connect(url), FAST) == 1
        assert live_workers(queue.connect(url), FAST) == 0
        started = time.monotonic()
        with pytest.raises(JobLimitError) as caught:
            queue.submit(queue.connect(url), submission(worker_routines.pid)).result(60)
        assert caught.value.kind == "no_worker" and time.monotonic() - started < NO_WORKER_GRACE_S + 2


@pytest.mark.serial  # the worker must outlast Redis's restart window, which stretches under load
def test_after_a_redis_restart_the_workers_come_back_with_their_cpu_models():
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    with contextlib.ExitStack() as stack:
        with redis_server(port):
            running = stack.enter_context(queue_worker(url))
        with redis_server(port):  # an empty Redis: nothing was persisted
            connection = queue.connect(url)
            deadline = time.monotonic() + 40
            while queue.fleet_cpu_models(connection) != cpu_model() or not live_workers(connection, FAST):
                assert time.monotonic() < deadline and running.poll() is None
                time.sleep(0.2)
            ticket = queue.submit(connection, submission(worker_routines.sleep, 0.01))
            assert ticket.result(30).value == 0.01
