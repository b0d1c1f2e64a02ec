"""The fleet of queue workers: heartbeats by Redis's clock, who is alive per lane, CPU models, class duration means."""

from __future__ import annotations

import math

import redis

from core.lanes import JOB_CLASSES
from core.queue_lanes import QUEUE

CPU_MODELS = "eager-lab:cpu-models"  # every queue worker adds its CPU model here at each heartbeat
HEARTBEAT_S = 5  # a worker beats this often, idle or busy (core.queue_worker)
STALE_S = 3 * HEARTBEAT_S  # a worker silent this long is gone (killed, its machine lost)

# Each worker's last beat by Redis's own clock (no skew between machines), per lane.
_BEAT = """
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], tonumber(t[1]) + tonumber(t[2]) / 1e6, ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return 1
"""
_LIVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
if ARGV[2] ~= '' then
  local beat = redis.call('ZSCORE', KEYS[1], ARGV[2])
  if not beat then return -1 end
  return tostring(now - tonumber(beat))
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 86400)
return redis.call('ZCOUNT', KEYS[1], now - tonumber(ARGV[1]), '+inf')
"""


def _fleet(lane: str) -> str:
    return f"{QUEUE}:workers:{lane}"


def beat(connection, lane: str, worker: str, cpu: str) -> None:
    """A worker is alive now, on `lane`, with CPU model `cpu` (re-announced at each beat: survives a Redis restart)."""
    connection.register_script(_BEAT)(keys=[_fleet(lane), CPU_MODELS], args=[worker, cpu])


def retire(connection: redis.Redis, lane: str, worker: str) -> None:
    """A worker that stops cleanly leaves its lane at once."""
    connection.zrem(_fleet(lane), worker)


def live_workers(connection: redis.Redis, lane: str) -> int:
    """How many workers of `lane` beat within STALE_S."""
    return int(connection.register_script(_LIVE)(keys=[_fleet(lane)], args=[STALE_S, ""]))


def silent_for(connection: redis.Redis, lane: str, worker: str) -> float:
    """Seconds since `worker` last beat (infinity when it never did or left)."""
    age = float(connection.register_script(_LIVE)(keys=[_fleet(lane)], args=[STALE_S, worker]))
    return math.inf if age < 0 else age


def fleet_cpu_models(connection: redis.Redis) -> str:
    """The CPU models of the queue's workers, sorted: part of every kept result's key."""
    return " | ".join(sorted(m.decode() for m in connection.smembers(CPU_MODELS)))


# Per class, a running mean of how long its jobs take (exponential, so it follows the class's current load).
DURATIONS = f"{QUEUE}:durations"
_MEAN = """
local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
local new = tonumber(ARGV[2])
if old then new = old * 0.8 + new * 0.2 end
redis.call('HSET', KEYS[1], ARGV[1], tostring(new))
return tostring(new)
"""


def record_duration(connection, class_name: str, seconds: float) -> None:
    """Fold one finished job's seconds into its class's running mean."""
    connection.register_script(_MEAN)(keys=[DURATIONS], args=[class_name, repr(seconds)])


def mean_duration(connection: redis.Redis, class_name: str) -> float:
    """The class's running mean in seconds, or its ceiling while none finished."""
    raw = connection.hget(DURATIONS, class_name)
    return float(raw) if raw is not None else JOB_CLASSES[class_name].limit_s
