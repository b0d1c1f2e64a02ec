"""The distributed mode for real: a redis-server and a queue worker per lane as local processes, jobs through RQ."""

from __future__ import annotations

import os

import pytest

from core import queue
from core.jobs import JobLimitError, cpu_model
from core.lanes import SLOW
from core.program import ProgramError, parse_program
from core.queue_lanes import fetch, lane_queue
from tests import worker_routines
from tests.browser import free_port
from tests.queue_topology import (
    queue_key,  # noqa: F401  (autouse: the topology's key here too)
    queue_worker,
    redis_server,
    submission,
    together,
)


@pytest.fixture(scope="module")
def topology():
    with redis_server() as url:
        with together(queue_worker(url, memory_mb=2048), queue_worker(url, lane=SLOW)) as (worker, slow):
            yield url, worker, slow


def run(connection_or_url, routine, *args, wait=60.0, **options):
    """Submit, wait for the result, release: as a page does."""
    connection = queue.connect(connection_or_url) if isinstance(connection_or_url, str) else connection_or_url
    ticket = queue.submit(connection, submission(routine, *args, **options))
    try:
        return ticket.result(wait)
    finally:
        ticket.release()


def test_a_job_runs_in_a_queue_worker_and_comes_back_plain(topology):
    url, worker, _ = topology
    result = run(url, worker_routines.pid)
    assert result.value not in (os.getpid(), worker.pid)  # RQ's work horse, forked from the worker
    assert result.worker_pid == result.value


def test_a_slow_lane_job_runs_in_the_slow_lanes_worker_at_the_lowest_priority(topology):
    url = topology[0]
    assert run(url, os.nice, 0, cls="train").value == 19
    assert run(url, os.nice, 0).value == 0
    finished = lane_queue(queue.connect(url), SLOW).finished_job_registry.get_job_ids()
    assert finished and all(fetch(queue.connect(url), i).description == "train" for i in finished)


def test_a_routines_own_error_reaches_the_caller_whole(topology):
    with pytest.raises(ProgramError) as caught:
        run(topology[0], parse_program, "y = x.max(dim=0)")
    assert caught.value.code == "call_result" and caught.value.params == {"name": "max"}


def test_a_job_past_its_limit_is_stopped_and_the_next_one_runs(topology):
    with pytest.raises(JobLimitError) as caught:
        run(topology[0], worker_routines.sleep, 60, limit=1.0)
    assert caught.value.kind == "time" and caught.value.params == {"seconds": 1.0}
    assert run(topology[0], worker_routines.sleep, 0.01).value == 0.01


def test_a_work_horse_that_dies_costs_only_its_job(topology):
    with pytest.raises(JobLimitError) as caught:
        run(topology[0], worker_routines.die)
    assert caught.value.kind == "crash" and caught.value.params == {"signal": "SIGKILL"}
    assert run(topology[0], worker_routines.sleep, 0.01).value == 0.01


def test_a_memory_bomb_fails_in_the_work_horse(topology):
    with pytest.raises(JobLimitError) as caught:
        run(topology[0], worker_routines.allocate, 3)
    assert caught.value.kind == "memory" and caught.value.params == {"limit_mib": 2048}


def test_results_are_kept_for_every_replica_under_the_fleets_cpu_models(topology):
    connection = queue.connect(topology[0])
    result = run(connection, worker_routines.pid)
    queue.keep(connection, "some-digest", result)
    assert queue.kept(queue.connect(topology[0]), "some-digest") == result  # another connection, same Redis
    assert queue.kept(connection, "another-digest") is None
    assert queue.fleet_cpu_models(connection) == cpu_model()


def test_the_redis_password_goes_into_the_url_from_a_secrets_file(tmp_path, monkeypatch):
    (tmp_path / "password").write_text("s3cret/with:odd@chars\n")
    monkeypatch.setenv(queue.REDIS_URL_ENV, "redis://redis:6379/0")
    monkeypatch.setenv(f"{queue.REDIS_PASSWORD_ENV}_FILE", str(tmp_path / "password"))
    assert queue.redis_url() == "redis://:s3cret%2Fwith%3Aodd%40chars@redis:6379/0"
    monkeypatch.setenv(queue.REDIS_URL_ENV, "redis://:given@redis:6379/0")
    assert queue.redis_url() == "redis://:given@redis:6379/0"  # a URL that carries one keeps it


def test_redis_down_then_back_the_caller_is_told_then_recovers_without_a_restart():
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    connection = queue.connect(url)  # one connection for the whole test, as a UI process keeps it
    with redis_server(port), queue_worker(url) as worker:
        assert run(connection, worker_routines.sleep, 0.01).value == 0.01
    with pytest.raises(JobLimitError) as caught:
        run(connection, worker_routines.sleep, 0.01)
    assert caught.value.kind == "unavailable"
    with redis_server(port), queue_worker(url):
        assert run(connection, worker_routines.sleep, 0.01).value == 0.01
    assert worker.returncode is not None
