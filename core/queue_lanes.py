"""The lanes' RQ queues: their names, the order within a lane (presenters, then by class rank), signed job reads."""

from __future__ import annotations

import redis
import rq

from core.lanes import FAST, SLOW, Submission
from core.queue_trust import SignedPickle

QUEUE = "eager-lab"
LANES = (FAST, SLOW)

# Within a lane: presenters (0), then by class rank (1 + rank); FIFO within one priority. The priority is the job
# id's first characters, so RQ's own re-queues keep it and the insertion is one atomic script.
_RANKED_PUSH = """
local function prio(id) local p = string.match(id, '^p(%d)%-') if p then return tonumber(p) end return 9 end
local mine = prio(ARGV[1])
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
for i = #ids, 1, -1 do
  if prio(ids[i]) <= mine then
    if i == #ids then return redis.call('RPUSH', KEYS[1], ARGV[1]) end
    return redis.call('LINSERT', KEYS[1], 'AFTER', ids[i], ARGV[1])
  end
end
return redis.call('LPUSH', KEYS[1], ARGV[1])
"""


class LaneQueue(rq.Queue):
    """An RQ queue that inserts a job after every queued job of its priority or a higher one."""

    def push_job_id(self, job_id: str, pipeline=None, at_front: bool = False) -> None:
        if at_front:
            super().push_job_id(job_id, pipeline=pipeline, at_front=True)
        else:
            self.connection.register_script(_RANKED_PUSH)(keys=[self.key], args=[job_id], client=pipeline)


def queue_name(lane: str) -> str:
    """The RQ queue of `lane`."""
    return f"{QUEUE}:{lane}"


def lane_queue(connection: redis.Redis, lane: str) -> LaneQueue:
    """The signed RQ queue of `lane`, as the UI enqueues and a worker listens."""
    return LaneQueue(queue_name(lane), connection=connection, serializer=SignedPickle)


def fetch(connection: redis.Redis, job_id: str) -> rq.job.Job:
    """An RQ job read with the signed serializer (NoSuchJobError when gone)."""
    return rq.job.Job.fetch(job_id, connection=connection, serializer=SignedPickle)


def priority(submission: Submission) -> int:
    """0 for a presenter, else 1 + the class's rank (program runs before measurements)."""
    return 0 if submission.presenter else 1 + submission.job_class.rank
