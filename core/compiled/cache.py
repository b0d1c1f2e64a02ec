"""A bounded Inductor cache: each worker compiles into its own folder under one root, pruned before each compile.

Inductor keeps what it generates on disk (C++ or Triton sources, built libraries, graph pickles: about 0.3 MB per
small program here) under TORCHINDUCTOR_CACHE_DIR and never deletes any of it; in compose /tmp is a tmpfs, so that
is RAM. Before a compile job a worker points Inductor at `<root>/<host>-<pid>`, removes the folders of workers of
this host that have died (a replaced worker leaves its folder behind), and deletes its own oldest files until the
folder is within the cap. It prunes only its own folder and those of dead workers: never files another live worker
may be compiling into. The root therefore holds at most the cap per live worker.

EAGER_LAB_INDUCTOR_CACHE sets the root, EAGER_LAB_INDUCTOR_CACHE_MB the cap per worker.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV, CAP_ENV = "EAGER_LAB_INDUCTOR_CACHE", "EAGER_LAB_INDUCTOR_CACHE_MB"
DEFAULT_CAP_MB = 64  # about 200 small programs' worth; a repeat within them compiles from the cache
MIB = 1024**2


@dataclass(frozen=True, kw_only=True)
class Pruned:
    """What pruning one folder did: the bytes it keeps, the files and bytes it removed."""

    kept_bytes: int
    removed_files: int
    removed_bytes: int


def cache_root() -> Path:
    return Path(os.environ.get(ROOT_ENV) or Path(tempfile.gettempdir()) / "eager-lab-inductor")


def cap_bytes() -> int:
    return int(float(os.environ.get(CAP_ENV) or DEFAULT_CAP_MB) * MIB)


def _prefix() -> str:
    return socket.gethostname().replace(os.sep, "_") + "-"


def worker_dir(root: Path, pid: int | None = None) -> Path:
    """The folder of the worker `pid` (this process by default) of this host."""
    return root / f"{_prefix()}{os.getpid() if pid is None else pid}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_dead(root: Path) -> int:
    """Remove the folders of this host's workers that no longer run; returns how many."""
    removed = 0
    for folder in root.glob(_prefix() + "*") if root.is_dir() else ():
        pid = folder.name.removeprefix(_prefix())
        if folder.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def prune(folder: Path, cap: int) -> Pruned:
    """Delete `folder`'s files oldest first (by modification time) until they total at most `cap` bytes; then its
    empty subfolders. Only for a folder nothing is writing into (a worker's own, between its jobs)."""
    files = []
    for path in folder.rglob("*") if folder.is_dir() else ():
        try:
            if path.is_file() and not path.is_symlink():
                stat = path.stat()
                files.append((stat.st_mtime, stat.st_size, path))
        except OSError:
            continue
    total = sum(size for _, size, _ in files)
    removed_files = removed_bytes = 0
    for _, size, path in sorted(files, key=lambda entry: entry[0]):
        if total <= cap:
            break
        path.unlink(missing_ok=True)
        total, removed_files, removed_bytes = total - size, removed_files + 1, removed_bytes + size
    for path in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(path.iterdir()):
            path.rmdir()
    return Pruned(kept_bytes=total, removed_files=removed_files, removed_bytes=removed_bytes)


def use_bounded_cache() -> Path:
    """In a worker, before compiling: Inductor writes into this worker's folder, pruned to the cap first."""
    root = cache_root()
    folder = worker_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    remove_dead(root)
    prune(folder, cap_bytes())
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(folder)  # read by Inductor at each compile (cache_dir())
    return folder
