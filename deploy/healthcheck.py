"""The container's health: a UI answers /_stcore/health; a worker reaches its Redis queue."""

import os
import sys
import urllib.request

if os.environ.get("EAGERLAB_ROLE") == "worker":
    import redis

    redis.Redis.from_url(os.environ["EAGERLAB_REDIS_URL"], socket_connect_timeout=3).ping()
    sys.exit(0)
port = os.environ.get("PORT", "8501")
with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=4) as response:
    sys.exit(0 if response.read().strip() == b"ok" else 1)
