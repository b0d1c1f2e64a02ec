"""Helpers for tests of the distributed mode: a throwaway redis-server and queue workers as local processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from tests.browser import free_port

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
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
