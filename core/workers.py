"""The local worker pool: processes that run one job at a time, each pinned to its own core, under OS limits.

pebble's ProcessPool does the process management (a job past its timeout kills its worker, a dead worker is
replaced). Workers fork from a forkserver that imported torch once, so a replacement is ready in a fraction of
a second. Each worker claims a measuring core with a lock file (the kernel frees it when the worker dies, so
the replacement takes the same core) and sets RLIMIT_DATA, so a memory bomb fails inside it with MemoryError.
RLIMIT_DATA counts the heap and every private writable mapping (every tensor), not code or the address space
CUDA reserves without committing it, which RLIMIT_AS would (and CUDA would then fail to start).
"""

from __future__ import annotations

import concurrent.futures
import fcntl
import functools
import itertools
import multiprocessing
import multiprocessing.spawn
import os
import resource
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pebble

from core.limits import WORKER_MEMORY_ENV

GIB = 1024**3
WORKER_MEMORY_CAP = 4 * GIB
# never less: torch and the interpreter take ~0.2 GiB of data in a worker before any job
MIN_WORKER_MEMORY = 2 * GIB
CLAIM_WAIT_S = 2.0
LOCK_DIR = Path(tempfile.gettempdir()) / "eager-lab-cores"
PRELOAD = ["torch", "torch.fx", "torch.utils.benchmark", "core.jobs"]
POLL_S = 0.05
_pool_numbers = itertools.count()
PIN_UI_ENV = "EAGER_LAB_PIN_UI"  # "0" leaves the UI process on every core (parallel tests share the machine)
BACKGROUND_NICE = 19  # the lowest priority: the scheduler gives a nice-0 process about 98 % of a shared core

# the cores this process may use, read before any pool moves it to the UI's core: later plans split these
ALLOWED_CORES = tuple(sorted(os.sched_getaffinity(0)))
_claimed: list[int] = []  # the open lock file of this worker's core, kept for the worker's life


@dataclass(frozen=True, kw_only=True)
class PoolPlan:
    """How the machine's cores are split: the UI's core, each worker's cores, and each worker's memory."""

    ui_cores: tuple[int, ...]
    worker_cores: tuple[tuple[int, ...], ...]
    memory_bytes: int

    @property
    def workers(self) -> int:
        return len(self.worker_cores)


def plan_pool(
    cores: tuple[int, ...] | None = None, total_memory: int | None = None, workers: int | None = None
) -> PoolPlan:
    """Keep the first core for the UI where there are two or more; one worker per remaining core by default.

    EAGER_LAB_WORKERS and EAGER_LAB_WORKER_MEMORY_MB override the worker count and each worker's memory.
    """
    cores = tuple(sorted(cores if cores is not None else ALLOWED_CORES))
    ui, measuring = (cores[:1], cores[1:]) if len(cores) >= 2 else (cores, cores)
    count = workers or int(os.environ.get("EAGER_LAB_WORKERS", 0)) or len(measuring)
    groups = tuple(tuple(measuring[i::count]) or measuring for i in range(count))
    total_memory = total_memory or os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    memory = int(os.environ.get("EAGER_LAB_WORKER_MEMORY_MB", 0)) * 1024**2 or max(
        MIN_WORKER_MEMORY, min(WORKER_MEMORY_CAP, total_memory // (count + 1))
    )
    return PoolPlan(ui_cores=ui, worker_cores=groups, memory_bytes=memory)


def _without_main_module(get_preparation_data):
    """multiprocessing re-imports the parent's __main__ in every child; under Streamlit that is the app script
    (dashboard/app.py), which a worker must not run. Job routines are found by module name instead."""

    @functools.wraps(get_preparation_data)
    def prepared(name):
        data = get_preparation_data(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    prepared.without_main = True
    return prepared


def start_pool(plan: PoolPlan, background: bool = False) -> pebble.ProcessPool:
    """The pool of `plan.workers` workers; the calling process moves to the UI's cores.

    A background pool's workers share the same cores at the lowest CPU priority (nice 19): what they run (a
    training that plays on) takes only the CPU time the foreground workers leave, so another learner's job, and
    its measurement, barely notice it.
    """
    if not getattr(multiprocessing.spawn.get_preparation_data, "without_main", False):
        multiprocessing.spawn.get_preparation_data = _without_main_module(multiprocessing.spawn.get_preparation_data)
    remove_stale_locks()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    group = f"{os.getpid()}-{next(_pool_numbers)}"
    pool = pebble.ProcessPool(
        max_workers=plan.workers,
        initializer=init_background_worker if background else init_worker,
        initargs=(group, plan.worker_cores, plan.memory_bytes),
        context=context,
    )
    apart = set(plan.ui_cores) != {c for cores in plan.worker_cores for c in cores}
    if plan.ui_cores and apart and os.environ.get(PIN_UI_ENV, "1") != "0":
        os.sched_setaffinity(0, plan.ui_cores)
    return pool


def remove_stale_locks(directory: Path = LOCK_DIR) -> int:
    """Delete the core lock files of pools whose server process has died (their names start with its pid), so
    restarts do not pile them up; returns how many were removed."""
    removed = 0
    for path in directory.glob("*-*.lock"):
        owner = path.name.split("-", 1)[0]
        if owner.isdigit() and not _alive(int(owner)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def worker_ready() -> int:
    """A job that only proves a worker is up (its pid): pebble starts a pool's workers at its first job."""
    return os.getpid()


def worker_pids(pool: pebble.ProcessPool) -> tuple[int, ...]:
    """The process ids of `pool`'s live workers (pebble 5.2 keeps them by pid in its worker manager)."""
    return tuple(pool._pool_manager.worker_manager.workers)


def wait_for(future: pebble.ProcessFuture, time_limit_s: float, on_wait: Callable[[], object] | None = None):
    """The job's result; `on_wait()` once if it is still queued after a moment; a hit limit as JobLimitError.

    The pool itself enforces `time_limit_s` (given to `schedule`): past it, the worker is killed and replaced.
    """
    from core.jobs import JobLimitError  # core.jobs imports this module

    waited = False
    while True:
        try:
            return future.result(timeout=POLL_S)
        except concurrent.futures.TimeoutError:
            if future.done():  # the job itself ran past its limit
                raise JobLimitError("time", seconds=time_limit_s) from None
            if not waited and not future.running() and on_wait is not None:
                on_wait()
            waited = True
        except pebble.ProcessExpired as exc:
            raise JobLimitError("crash", signal=exit_name(exc.exitcode)) from None


def exit_name(exitcode: int | None) -> str:
    """SIGKILL for -9 and so on; the plain exit code otherwise."""
    if exitcode is not None and exitcode < 0:
        try:
            return signal.Signals(-exitcode).name
        except ValueError:
            pass
    return f"exit code {exitcode}"


def init_worker(group: str, worker_cores: tuple[tuple[int, ...], ...], memory_bytes: int) -> None:
    cores = _claim_cores(group, worker_cores)
    os.sched_setaffinity(0, cores)
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    os.environ[WORKER_MEMORY_ENV] = str(memory_bytes)


def init_background_worker(group: str, worker_cores: tuple[tuple[int, ...], ...], memory_bytes: int) -> None:
    init_worker(group, worker_cores, memory_bytes)
    os.nice(BACKGROUND_NICE - os.nice(0))


def _claim_cores(group: str, worker_cores: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
    """The first core group no live sibling holds; a replaced worker's lock is free once it has died."""
    LOCK_DIR.mkdir(exist_ok=True)
    deadline = time.monotonic() + CLAIM_WAIT_S
    while True:
        for index, cores in enumerate(worker_cores):
            fd = os.open(LOCK_DIR / f"{group}-{index}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            _claimed.append(fd)
            return cores
        if time.monotonic() > deadline:  # a sibling is still dying: share its cores rather than none
            return worker_cores[0]
        time.sleep(0.05)
