"""Helpers for tests of the distributed mode: a throwaway redis-server and queue workers as local processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import redis

from tests.browser import free_port, stop, streamlit_server

ROOT = Path(__file__).resolve().parent.parent


def _need(program: str) -> str:
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin")
    if path is None:
        raise RuntimeError(f"{program} not found: install Debian's package (apt-get install -y {program})")
    return path


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
def queue_worker(url: str, memory_mb: int | None = None) -> Iterator[subprocess.Popen]:
    """`python -m core.queue_worker` against `url`, stopped afterwards."""
    env = {**os.environ, "EAGERLAB_REDIS_URL": url, "PYTHONPATH": str(ROOT)}
    if memory_mb:
        env["EAGER_LAB_WORKER_MEMORY_MB"] = str(memory_mb)
    process = subprocess.Popen(
        [sys.executable, "-m", "core.queue_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        stop(process, 15)


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
def local_topology(uis: int = 2) -> Iterator[tuple[str, str, list[str]]]:
    """Redis, one queue worker, `uis` UI processes using them, and HAProxy in front: (proxy, redis url, UIs)."""
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(redis_server())
        stack.enter_context(queue_worker(url))
        bases = [stack.enter_context(streamlit_server(env={"EAGERLAB_REDIS_URL": url})) for _ in range(uis)]
        yield stack.enter_context(haproxy(bases)), url, bases
