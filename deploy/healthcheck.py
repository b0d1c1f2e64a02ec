"""The container's health: a UI answers /_stcore/health; a queue worker beat in Redis within the last 15 s.

The role is read from PID 1's command line: a probe is a new process and does not see what entrypoint.sh exports.
Nothing from core is imported, so a probe never loads torch on a worker's core.
"""

import os
import socket
import sys
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

STALE_S = 15  # core.queue.STALE_S: three missed heartbeats


def _secret(name: str) -> str | None:
    if value := os.environ.get(name):
        return value
    path = os.environ.get(f"{name}_FILE")
    return Path(path).read_text(encoding="utf-8").strip() if path else None


def redis_url() -> str:
    """EAGERLAB_REDIS_URL with EAGERLAB_REDIS_PASSWORD in it when it carries none (as core.queue.redis_url)."""
    url, password = os.environ["EAGERLAB_REDIS_URL"], _secret("EAGERLAB_REDIS_PASSWORD")
    parts = urlsplit(url)
    if not password or parts.password:
        return url
    return urlunsplit(parts._replace(netloc=f":{quote(password, safe='')}@{parts.netloc}"))


def worker_beating(url: str, lane: str, host: str) -> bool:
    """Whether a queue worker of `lane` on `host` beat within STALE_S, by Redis's clock."""
    import redis

    connection = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    seconds, micros = connection.time()
    beats = connection.zrange(f"eager-lab:workers:{lane}", 0, -1, withscores=True)
    mine = [at for name, at in beats if name.decode().startswith(f"{host}.")]
    return bool(mine) and seconds + micros / 1e6 - max(mine) <= STALE_S


def main() -> int:
    try:
        command = Path("/proc/1/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        command = []
    if "core.queue_worker" in command or os.environ.get("EAGERLAB_ROLE") == "worker":
        lane = command[command.index("--lane") + 1] if "--lane" in command else "fast"
        return 0 if worker_beating(redis_url(), lane, socket.gethostname()) else 1
    port = os.environ.get("PORT", "8501")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=4) as response:
        return 0 if response.read().strip() == b"ok" else 1


if __name__ == "__main__":
    sys.exit(main())
