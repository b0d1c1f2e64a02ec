"""The distributed mode for real: a redis-server and a queue worker as local processes, jobs through RQ."""

from __future__ import annotations

import os

import pytest

from core import queue
from core.jobs import Job, JobLimitError
from core.program import ProgramError, parse_program
from tests import worker_routines
from tests.browser import free_port
from tests.queue_topology import queue_worker, redis_server


@pytest.fixture(scope="module")
def topology():
    with redis_server() as url, queue_worker(url, memory_mb=2048) as worker:
        yield url, worker


def submit(url, routine, *args, limit=30.0):
    return queue.submit(queue.connect(url), Job(routine, args), limit)


def test_a_job_runs_in_a_queue_worker_and_comes_back_plain(topology):
    url, worker = topology
    result = submit(url, worker_routines.pid)
    assert result.value not in (os.getpid(), worker.pid)  # RQ's work horse, forked from the worker
    assert result.worker_pid == result.value


def test_a_routines_own_error_reaches_the_caller_whole(topology):
    with pytest.raises(ProgramError) as caught:
        submit(topology[0], parse_program, "y = x.max(dim=0)")
    assert caught.value.code == "call_result" and caught.value.params == {"name": "max"}


def test_a_job_past_its_limit_is_stopped_and_the_next_one_runs(topology):
    with pytest.raises(JobLimitError) as caught:
        submit(topology[0], worker_routines.sleep, 60, limit=1.0)
    assert caught.value.kind == "time" and caught.value.params == {"seconds": 1.0}
    assert submit(topology[0], worker_routines.sleep, 0.01).value == 0.01


def test_a_work_horse_that_dies_costs_only_its_job(topology):
    with pytest.raises(JobLimitError) as caught:
        submit(topology[0], worker_routines.die)
    assert caught.value.kind == "crash" and caught.value.params == {"signal": "SIGKILL"}
    assert submit(topology[0], worker_routines.sleep, 0.01).value == 0.01


def test_a_memory_bomb_fails_in_the_work_horse(topology):
    with pytest.raises(JobLimitError) as caught:
        submit(topology[0], worker_routines.allocate, 3)
    assert caught.value.kind == "memory" and caught.value.params == {"limit_mib": 2048}


def test_results_are_kept_for_every_replica_under_the_fleets_cpu_models(topology):
    connection = queue.connect(topology[0])
    result = submit(topology[0], worker_routines.pid)
    queue.keep(connection, "some-digest", result)
    assert queue.kept(queue.connect(topology[0]), "some-digest") == result  # another connection, same Redis
    assert queue.kept(connection, "another-digest") is None
    from core.jobs import cpu_model

    assert queue.fleet_cpu_models(connection) == cpu_model()


def test_redis_down_then_back_the_caller_is_told_then_recovers_without_a_restart():
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    connection = queue.connect(url)  # one connection for the whole test, as a UI process keeps it
    with redis_server(port), queue_worker(url) as worker:
        assert queue.submit(connection, Job(worker_routines.sleep, (0.01,)), 30).value == 0.01
    with pytest.raises(JobLimitError) as caught:
        queue.submit(connection, Job(worker_routines.sleep, (0.01,)), 30)
    assert caught.value.kind == "unavailable"
    with redis_server(port), queue_worker(url):
        assert queue.submit(connection, Job(worker_routines.sleep, (0.01,)), 30).value == 0.01
    assert worker.returncode is not None
