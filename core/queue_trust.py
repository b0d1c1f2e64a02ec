"""Trust in what Redis holds: secrets (a variable or a mounted file), HMAC-signed pickles, results kept for all.

Everything read back from Redis is signed (HMAC-SHA256 under EAGERLAB_QUEUE_KEY) and checked before it is unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
from pathlib import Path

import redis

from core.jobs import JobResult

QUEUE_KEY_ENV = "EAGERLAB_QUEUE_KEY"  # the HMAC key shared by UI replicas and workers (or *_FILE)
MIN_KEY_CHARS = 16
KEPT_PREFIX = "eager-lab:kept:"
KEPT_TTL_S = 24 * 3600
log = logging.getLogger(__name__)


def secret(name: str) -> str | None:
    """An environment variable, or the contents of the file its NAME_FILE twin names (a mounted Secret)."""
    if value := os.environ.get(name):
        return value
    path = os.environ.get(f"{name}_FILE")
    return Path(path).read_text(encoding="utf-8").strip() if path else None


class UntrustedPayload(ValueError):
    """Bytes from Redis whose signature is missing or wrong: refused before anything unpickles them."""


def _queue_key() -> bytes:
    key = secret(QUEUE_KEY_ENV)
    if not key or len(key) < MIN_KEY_CHARS:
        raise RuntimeError(
            f"set {QUEUE_KEY_ENV} to a secret of at least {MIN_KEY_CHARS} characters, the same everywhere"
        )
    return key.encode()


class SignedPickle:
    """RQ's serializer here: a pickle behind its HMAC-SHA256 tag; a wrong tag raises before pickle.loads."""

    TAG = hashlib.sha256().digest_size

    @staticmethod
    def dumps(obj: object) -> bytes:
        payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        return hmac.digest(_queue_key(), payload, "sha256") + payload

    @staticmethod
    def loads(data: bytes) -> object:
        tag, payload = data[: SignedPickle.TAG], data[SignedPickle.TAG :]
        if not hmac.compare_digest(tag, hmac.digest(_queue_key(), payload, "sha256")):
            raise UntrustedPayload("a payload in Redis failed its signature check")
        return pickle.loads(payload)  # noqa: S301 - signed by a holder of the queue key, checked above


def kept(connection: redis.Redis, key: str) -> JobResult | None:
    """A result kept by any replica under `key` (a digest of its content), or None (also when its tag is wrong)."""
    raw = connection.get(KEPT_PREFIX + key)
    if raw is None:
        return None
    try:
        return SignedPickle.loads(raw)
    except UntrustedPayload:
        log.warning("refused a kept result with a wrong signature: %s", key)
        return None


def keep(connection: redis.Redis, key: str, result: JobResult) -> None:
    """Keep `result`, signed, for every replica for a day."""
    connection.set(KEPT_PREFIX + key, SignedPickle.dumps(result), ex=KEPT_TTL_S)
