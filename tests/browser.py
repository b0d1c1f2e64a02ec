"""Helpers for real-browser tests: a live Streamlit server on a free loopback port and the system chromium."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("EAGER_LAB_CHROMIUM", "/usr/bin/chromium")
# no GPU here: software rasterising (SwiftShader) only costs CPU; no network beyond loopback: no background calls
FIRST_SCREEN = {"width": 1280, "height": 720}  # a projector's first screen, for presenter-mode views
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "artifacts"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning'][data-test-connection-state='CONNECTED']"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str] | None = None, port: int = 0, timeout_s: float = 60, **popen) -> tuple:
    """Start the app on 127.0.0.1 (with `env` added); (process, base URL) once /_stcore/health answers ok."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "dashboard.serve",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    environment = {**os.environ, **(env or {})}
    # EAGER_LAB_SERVER_LOGS=<folder>: each server logs to <folder>/server-<port>.log, to read a failure's traceback
    logs = os.environ.get("EAGER_LAB_SERVER_LOGS")
    stderr = open(Path(logs) / f"server-{port}.log", "wb") if logs else subprocess.PIPE  # noqa: SIM115 (the server's)
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=stderr, **popen)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {process.stderr.read().decode()[-2000:] if not logs else logs}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return process, base
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(process)
            raise TimeoutError("streamlit did not become healthy")
        time.sleep(0.2)


@contextlib.contextmanager
def streamlit_server(timeout_s: float = 60, env: dict[str, str] | None = None, port: int = 0) -> Iterator[str]:
    """Serve the app on 127.0.0.1 (with `env` added) and yield its base URL once /_stcore/health answers ok."""
    process, base = start_server(env, port, timeout_s)
    try:
        yield base
    finally:
        stop(process)


@contextlib.contextmanager
def shared_server(folder: Path) -> Iterator[str]:
    """One live app for every parallel test process of a run: the first to ask starts it (in its own process
    group) and notes it in `folder`; `stop_shared_server(folder)` ends it once every test process is done."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "server.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, before the tests run
        state = folder / "server.json"
        if not state.exists():
            process, base = start_server(start_new_session=True)
            state.write_text(json.dumps({"base": base, "pid": process.pid}))
        base = json.loads(state.read_text())["base"]
    yield base


def stop_shared_server(folder: Path) -> None:
    """End the run's shared app and its workers (its whole process group), if one was started."""
    state = folder / "server.json"
    if state.exists():
        pid = json.loads(state.read_text())["pid"]
        for signum in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, signum)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + 2  # a graceful exit first; a fixed 2 s wait ended every run 2 s later
            while time.monotonic() < deadline and _group_alive(pid):
                time.sleep(0.05)
        state.unlink()


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def server_pid(port: int) -> int:
    """The server listening on `port`: the process whose command line holds `--server.port <port>`."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"--server.port" in command and str(port).encode() in command:
                return int(entry.name)
    raise RuntimeError("server process not found")


def stop(process: subprocess.Popen, timeout_s: float = 10) -> None:
    """Terminate a helper process; kill it if it does not exit in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()


class HealthPoller(threading.Thread):
    """Polls /_stcore/health twice a second until stopped, counting checks and failures (no "ok" within
    `within_s` seconds)."""

    def __init__(self, base: str, within_s: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.base, self.checks, self.failures, self.within_s = base, 0, 0, within_s
        self.stop = threading.Event()

    @property
    def answered(self) -> float:
        """The share of polls answered in time."""
        return 1 - self.failures / self.checks if self.checks else 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=self.within_s) as response:
                    ok = response.status == 200 and response.read().strip() == b"ok"
            except OSError:
                ok = False
            self.checks += 1
            self.failures += not ok
            self.stop.wait(0.5)


def wait_until_idle(page, timeout_ms: float = 60_000) -> None:
    """Wait until the app is connected and its script has finished running (Streamlit's own e2e signal)."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    # element code loads lazily: placeholders stand in until it arrives
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stSkeleton'], [data-testid='stSkeletonElement']\")",
        timeout=timeout_ms,
    )
    # a rerun can start right after the first idle (query-string writes); settle on a second idle
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout_ms)


@contextlib.contextmanager
def chromium_browser():
    """The system chromium driven by Playwright; a clear failure (not a skip) when it is missing."""
    import shutil

    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        raise RuntimeError(f"chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
