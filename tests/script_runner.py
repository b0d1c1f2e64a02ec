"""Generated scripts run isolated (`python -I`: nothing from this repository can be imported, only torch) in one
interpreter per test process, each in a fresh namespace as `__main__`: importing torch once, not once per script,
saves about 2 s of CPU a script. Every script resets what it relies on (seed, threads, Dynamo's caches) and runs in
its own folder."""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

TIMEOUT_S = 180
RUNNER = """
import contextlib, io, json, os, runpy, sys, traceback
reply_to = sys.stdout
for line in sys.stdin:
    path, printed = line.strip(), io.StringIO()
    try:
        os.chdir(os.path.dirname(path))  # what it writes lands beside it, as when run from its own folder
        with contextlib.redirect_stdout(printed):
            runpy.run_path(path, run_name="__main__")
        reply = {"ok": True, "stdout": printed.getvalue()}
    except BaseException:
        reply = {"ok": False, "stdout": printed.getvalue(), "error": traceback.format_exc()}
    reply_to.write(json.dumps(reply) + "\\n")
    reply_to.flush()
"""
_lock = threading.Lock()
_runner: dict[str, subprocess.Popen] = {}


def _started() -> subprocess.Popen:
    if "process" not in _runner or _runner["process"].poll() is not None:
        folder = tempfile.mkdtemp(prefix="scripts-")  # its working folder: nothing of the repository on sys.path
        _runner["process"] = subprocess.Popen(
            [sys.executable, "-I", "-c", RUNNER], cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        atexit.register(_runner["process"].kill)
    return _runner["process"]


def run_isolated(path: Path) -> str:
    """What the script at `path` prints; its traceback fails the test."""
    with _lock:
        process = _started()
        process.stdin.write(f"{path.resolve()}\n")
        process.stdin.flush()
        reply: list[str] = []
        reader = threading.Thread(target=lambda: reply.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(TIMEOUT_S)
        if not reply or not reply[0]:
            process.kill()
            raise AssertionError(f"{path.name} printed no result within {TIMEOUT_S} s (or its interpreter died)")
    done = json.loads(reply[0])
    assert done["ok"], done["error"]
    return done["stdout"]
