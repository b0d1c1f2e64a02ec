"""Helpers for tests of the distributed mode: a throwaway redis-server and queue workers as local processes."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from core import queue
from core.jobs import Job
from core.lanes import Submission, job_class
from core.queue_fleet import silent_for
from core.queue_lanes import LANES, fetch, lane_queue
from tests.browser import free_port, stop, streamlit_server

ROOT = Path(__file__).resolve().parent.parent
QUEUE_KEY = "a-test-only-queue-key-of-32-chars"  # the HMAC key every process of a test topology shares


@pytest.fixture(scope="module", autouse=True)
def queue_key():
    """The topology's HMAC key in the test process too, which reads signed jobs and results (autouse where
    a test module imports it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(queue.QUEUE_KEY_ENV, QUEUE_KEY)
        yield


WORKER_START_S = 60  # importing torch on a busy shared machine


def _need(program: str) -> str:
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin")
    if path is None:
        raise RuntimeError(f"{program} not found: install Debian's package (apt-get install -y {program})")
    return path


def submission(routine, *args, cls="program", limit=None, key=None, session=None, presenter=False, measures=False):
    """A submission of `routine(*args)`; a fresh content key and session unless given."""
    return Submission(
        job=Job(routine=routine, args=args, measures=measures),
        job_class=job_class(cls),
        limit_s=limit or job_class(cls).limit_s,
        session=session or uuid.uuid4().hex,
        key=key or uuid.uuid4().hex,
        presenter=presenter,
    )


def finished_routines(url: str) -> list[str]:
    """The routines of the jobs finished in either lane (read with the signed serializer)."""
    connection = queue.connect(url)
    ids = [i for lane in LANES for i in lane_queue(connection, lane).finished_job_registry.get_job_ids()]
    return [fetch(connection, i).args[0].routine.__name__ for i in ids]


@contextlib.contextmanager
def redis_server(port: int | None = None) -> Iterator[str]:
    """A redis-server on 127.0.0.1 with no persistence; yields its URL."""
    port = port or free_port()
    with tempfile.TemporaryDirectory() as folder:
        command = [_need("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    redis.Redis.from_url(url).ping()
                    break
                except redis.exceptions.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextlib.contextmanager
def queue_worker(url: str, memory_mb: int | None = None, lane: str = "fast") -> Iterator[subprocess.Popen]:
    """`python -m core.queue_worker --lane LANE` against `url`, yielded once it beats in Redis, stopped afterwards."""
    env = {**os.environ, queue.REDIS_URL_ENV: url, queue.QUEUE_KEY_ENV: QUEUE_KEY, "PYTHONPATH": str(ROOT)}
    if memory_mb:
        env["EAGER_LAB_WORKER_MEMORY_MB"] = str(memory_mb)
    log = tempfile.TemporaryFile()  # not a pipe: a chatty worker must never block on a full one
    process = subprocess.Popen(
        [sys.executable, "-m", "core.queue_worker", "--lane", lane],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        _wait_beating(url, lane, process, log)
        yield process
    finally:
        stop(process, 15)
        log.close()


def _wait_beating(url: str, lane: str, process: subprocess.Popen, log) -> None:
    """Until the worker's first heartbeat names it among its lane's live workers."""
    name = f"{socket.gethostname()}.{process.pid}.{lane}"
    deadline = time.monotonic() + WORKER_START_S
    while silent_for(redis.Redis.from_url(url), lane, name) > queue.STALE_S:
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"queue worker did not start: {log.read().decode()[-2000:]}")
        time.sleep(0.1)


HAPROXY_CONFIG = """global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    timeout tunnel 1h
frontend web
    bind 127.0.0.1:{port}
    default_backend ui
backend ui
    balance roundrobin
    cookie EAGERLAB_UI insert indirect nocache httponly
    option httpchk GET /_stcore/health
{servers}
"""


@contextlib.contextmanager
def haproxy(ui_bases: list[str]) -> Iterator[str]:
    """HAProxy on loopback in front of `ui_bases`, affinity by an inserted cookie; yields its base URL."""
    port = free_port()
    servers = "\n".join(
        f"    server ui{i} {base.removeprefix('http://')} check cookie ui{i}" for i, base in enumerate(ui_bases, 1)
    )
    with tempfile.NamedTemporaryFile("w", suffix=".cfg") as config:
        config.write(HAPROXY_CONFIG.format(port=port, servers=servers))
        config.flush()
        process = subprocess.Popen([_need("haproxy"), "-f", config.name, "-db"], stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_healthy(base: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{base} did not become healthy")
        time.sleep(0.1)


@contextlib.contextmanager
def together(*managers: contextlib.AbstractContextManager) -> Iterator[list]:
    """Enter `managers` at once, then exit them at once: each starts or stops a process and waits for it, so the
    processes start and stop in the time of the slowest instead of the sum. What a failed start raises is raised
    once the others have been stopped again."""
    with concurrent.futures.ThreadPoolExecutor(len(managers)) as pool:
        entering = [pool.submit(manager.__enter__) for manager in managers]
        concurrent.futures.wait(entering)
        entered = [manager for manager, future in zip(managers, entering, strict=True) if future.exception() is None]
        try:
            for future in entering:
                if future.exception() is not None:
                    raise future.exception()
            yield [future.result() for future in entering]
        finally:
            list(pool.map(lambda manager: manager.__exit__(None, None, None), entered))


@contextlib.contextmanager
def local_topology(uis: int = 2) -> Iterator[tuple[str, str, list[str]]]:
    """Redis, a queue worker per lane, `uis` UI processes using them, and HAProxy in front: (proxy, redis url, UIs)."""
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(redis_server())
        env = {queue.REDIS_URL_ENV: url, queue.QUEUE_KEY_ENV: QUEUE_KEY}
        ui_servers = [streamlit_server(env=env) for _ in range(uis)]
        _, _, *bases = stack.enter_context(together(queue_worker(url), queue_worker(url, lane="slow"), *ui_servers))
        yield stack.enter_context(haproxy(bases)), url, bases
