"""The worker pool for real: each job under its own threads and core, and every limit ends one job only."""

from __future__ import annotations

import dataclasses
import os
import subprocess

import pytest
import torch

from core.jobs import Job, JobLimitError, execute
from core.workers import GIB, PIN_UI_ENV, plan_pool, start_pool, wait_for
from tests import worker_routines

WORKER_MEMORY = 2 * GIB


@pytest.fixture(scope="module")
def pool():
    pin_before = os.environ.pop(PIN_UI_ENV, None)  # these tests check the pin itself
    ui_before = os.sched_getaffinity(0)
    plan = dataclasses.replace(plan_pool(workers=1), memory_bytes=WORKER_MEMORY)
    pool = start_pool(plan)
    yield pool, plan
    pool.stop()
    pool.join(timeout=10)
    os.sched_setaffinity(0, ui_before)
    if pin_before is not None:
        os.environ[PIN_UI_ENV] = pin_before


def run(pool, routine, *args, limit=30.0, **job):
    future = pool[0].schedule(execute, args=(Job(routine=routine, args=args, **job),), timeout=limit)
    return wait_for(future, limit)


def test_plans_keep_the_first_core_for_the_ui_and_one_worker_per_other_core():
    four = plan_pool(cores=(0, 1, 2, 3), total_memory=64 * GIB)
    assert four.ui_cores == (0,) and four.worker_cores == ((1,), (2,), (3,))
    assert four.memory_bytes == 4 * GIB  # capped
    one = plan_pool(cores=(5,), total_memory=4 * GIB)
    assert one.ui_cores == (5,) and one.worker_cores == ((5,),)  # nothing to keep apart on one core
    assert one.memory_bytes == 2 * GIB  # never below what torch itself needs
    two_workers = plan_pool(cores=(0, 1, 2, 3, 4), total_memory=64 * GIB, workers=2)
    assert two_workers.worker_cores == ((1, 3), (2, 4))


def test_each_job_sets_its_own_threads_and_grad_mode_inside_the_worker(pool):
    ui_threads = torch.get_num_threads()
    assert run(pool, worker_routines.threads, threads=3).value == 3
    assert run(pool, worker_routines.threads, threads=1).value == 1
    assert run(pool, worker_routines.grad_enabled_after_disabling).value is False
    assert run(pool, worker_routines.grad_enabled).value is True
    assert torch.get_num_threads() == ui_threads  # the UI process never changed


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: nothing to keep apart")
def test_workers_measure_on_cores_the_ui_process_does_not_use(pool):
    _, plan = pool
    result = run(pool, worker_routines.pid)
    assert result.cores == plan.worker_cores[0]
    assert set(os.sched_getaffinity(0)) == set(plan.ui_cores)
    assert not set(result.cores) & set(plan.ui_cores)
    assert result.worker_pid != os.getpid()


def test_a_memory_bomb_fails_inside_its_worker_with_the_limit_named(pool):
    worker = run(pool, worker_routines.pid).value
    with pytest.raises(JobLimitError) as caught:
        run(pool, worker_routines.allocate, 3)
    assert caught.value.kind == "memory" and caught.value.params == {"limit_mib": WORKER_MEMORY // 1024**2}
    assert run(pool, worker_routines.pid).value == worker  # the worker survived its job's MemoryError


def test_a_job_past_its_time_limit_is_stopped_and_its_worker_replaced(pool):
    worker = run(pool, worker_routines.pid).value
    with pytest.raises(JobLimitError) as caught:
        run(pool, worker_routines.sleep, 60, limit=1.0)
    assert caught.value.kind == "time" and caught.value.params == {"seconds": 1.0}
    assert run(pool, worker_routines.pid).value != worker
    assert run(pool, worker_routines.sleep, 0.01).value == 0.01


@pytest.mark.parametrize(
    ("routine", "signal_name"), [(worker_routines.die, "SIGKILL"), (worker_routines.abort, "SIGABRT")]
)
def test_a_worker_that_dies_costs_only_its_job(pool, routine, signal_name):
    worker = run(pool, worker_routines.pid).value
    with pytest.raises(JobLimitError) as caught:
        run(pool, routine)
    assert caught.value.kind == "crash" and caught.value.params == {"signal": signal_name}
    after = run(pool, worker_routines.pid)
    assert after.value != worker and after.cores == pool[1].worker_cores[0]  # the replacement took the same core


def test_workers_do_not_run_the_servers_main_script(tmp_path, monkeypatch):
    """Under Streamlit the main module is the app script; multiprocessing would re-run it in every worker."""
    import sys
    import types

    marker = tmp_path / "ran"
    script = tmp_path / "app_like.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    pool = start_pool(plan_pool(workers=1))
    try:
        assert wait_for(pool.schedule(execute, args=(Job(routine=worker_routines.pid),)), 30).value > 0
    finally:
        pool.stop()
        pool.join(timeout=10)
    assert not marker.exists()


def test_lock_files_of_dead_servers_are_removed_and_live_ones_kept(tmp_path):
    from core.workers import remove_stale_locks

    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / f"{dead.pid}-0-0.lock").touch()
    (tmp_path / f"{os.getpid()}-0-0.lock").touch()
    (tmp_path / "queue-host-0.lock").touch()  # a queue worker's: named by host, kept
    assert remove_stale_locks(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{os.getpid()}-0-0.lock", "queue-host-0.lock"])
