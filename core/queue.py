"""Distributed jobs: the same `Job`s on two Redis queues (RQ), one per lane, for workers on any number of machines.

Used when EAGERLAB_REDIS_URL is set (else the local scheduler runs every job): the URL, the connection, and what
the rest of the code imports, from core.queue_lanes, _trust, _fleet, _waiters, _ticket and _submit.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit, urlunsplit

import redis

from core.queue_fleet import HEARTBEAT_S, STALE_S, beat, fleet_cpu_models
from core.queue_submit import submit
from core.queue_ticket import RedisTicket, RefusedTicket
from core.queue_trust import QUEUE_KEY_ENV, keep, kept, secret

__all__ = [
    "HEARTBEAT_S",
    "QUEUE_KEY_ENV",
    "REDIS_PASSWORD_ENV",
    "REDIS_URL_ENV",
    "STALE_S",
    "RedisTicket",
    "RefusedTicket",
    "beat",
    "connect",
    "fleet_cpu_models",
    "keep",
    "kept",
    "redis_url",
    "submit",
]

REDIS_URL_ENV = "EAGERLAB_REDIS_URL"
REDIS_PASSWORD_ENV = "EAGERLAB_REDIS_PASSWORD"  # added to the URL when it carries none (or *_FILE: a Secret's file)


def redis_url() -> str | None:
    """The queue's Redis URL (with EAGERLAB_REDIS_PASSWORD put in when it carries no password), or None."""
    url = os.environ.get(REDIS_URL_ENV) or None
    password = secret(REDIS_PASSWORD_ENV)
    if url is None or not password or urlsplit(url).password:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f":{quote(password, safe='')}@{parts.netloc}"))


def connect(url: str) -> redis.Redis:
    """A Redis connection that fails fast when Redis is down (the page says so instead of hanging)."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
