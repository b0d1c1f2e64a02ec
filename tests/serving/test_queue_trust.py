"""Nothing read from Redis is trusted unless signed: forged kept figures are refused and recomputed, and a crafted
pickle (one that creates a file when unpickled) is never executed, whether kept, queued or given as a result."""

from __future__ import annotations

import pickle
import time

import pytest
import rq

from core import queue
from core.jobs import JobLimitError, JobResult
from core.lanes import FAST
from core.queue_lanes import fetch, lane_queue, queue_name
from core.queue_trust import KEPT_PREFIX, SignedPickle, UntrustedPayload
from tests import worker_routines
from tests.queue_topology import (
    queue_key,  # noqa: F401  (autouse: the topology's key here too)
    queue_worker,
    redis_server,
    submission,
)


class Planted:
    """A pickle that, when loaded, opens (so creates) the file at `path`: code execution by unpickling."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.fixture(scope="module")
def working():
    with redis_server() as url, queue_worker(url):
        yield queue.connect(url)


def test_the_planted_pickle_would_create_its_file_if_loaded(tmp_path):
    pickle.loads(pickle.dumps(Planted(str(tmp_path / "proof"))))  # noqa: S301 - the attack, shown to work
    assert (tmp_path / "proof").exists()


def test_a_payload_with_a_wrong_signature_is_refused_before_unpickling(tmp_path, monkeypatch):
    signed = SignedPickle.dumps(Planted(str(tmp_path / "never")))
    monkeypatch.setenv(queue.QUEUE_KEY_ENV, "another-key-of-enough-characters")
    with pytest.raises(UntrustedPayload):
        SignedPickle.loads(signed)
    with pytest.raises(UntrustedPayload):
        SignedPickle.loads(pickle.dumps(Planted(str(tmp_path / "never"))))
    assert not (tmp_path / "never").exists()
    monkeypatch.setenv(queue.QUEUE_KEY_ENV, "short")
    with pytest.raises(RuntimeError, match=queue.QUEUE_KEY_ENV):
        SignedPickle.dumps(1)  # no weak key


def test_forged_kept_figures_are_refused_and_measured_again(working):
    from dashboard.measurement_store import _kept_in_redis

    honest = JobResult(value={"speedup": 41.5}, worker_pid=1, finished_at=1.0)
    assert _kept_in_redis(working, "pitfalls", ("case",), lambda: honest, fresh=False) == honest
    (kept_key,) = working.keys(KEPT_PREFIX + "*")
    forged = JobResult(value={"speedup": 1000.0}, worker_pid=1, finished_at=1.0)
    working.set(kept_key, pickle.dumps(forged))  # an attacker with write access to Redis, but not the key
    again = JobResult(value={"speedup": 40.9}, worker_pid=2, finished_at=2.0)
    assert _kept_in_redis(working, "pitfalls", ("case",), lambda: again, fresh=False) == again  # recomputed
    assert queue.kept(working, kept_key.decode().removeprefix(KEPT_PREFIX)) == again  # and kept, signed


def test_a_crafted_kept_pickle_is_never_executed(working, tmp_path):
    working.set(KEPT_PREFIX + "digest", pickle.dumps(Planted(str(tmp_path / "kept"))))
    assert queue.kept(working, "digest") is None
    assert not (tmp_path / "kept").exists()


def test_a_crafted_job_in_the_queue_is_never_executed_and_the_worker_runs_on(working, tmp_path):
    plain = rq.Queue(queue_name(FAST), connection=working)  # RQ's own unsigned pickle
    crafted = plain.enqueue(print, Planted(str(tmp_path / "queued")))
    registry = lane_queue(working, FAST).failed_job_registry
    for _ in range(200):
        if crafted.id in registry.get_job_ids():
            break
        time.sleep(0.05)
    assert crafted.id in registry.get_job_ids()
    assert "UntrustedPayload" in fetch(working, crafted.id).latest_result().exc_string
    assert not (tmp_path / "queued").exists()
    ticket = queue.submit(working, submission(worker_routines.sleep, 0.01))
    assert ticket.result(30).value == 0.01


def test_a_crafted_result_is_refused_unread(working, tmp_path):
    request = submission(worker_routines.pid)
    ticket = queue.submit(working, request)
    ticket.result(30)
    unsigned = rq.job.Job.fetch(ticket.job_id, connection=working)
    rq.results.Result.create(unsigned, rq.results.Result.Type.SUCCESSFUL, 600, Planted(str(tmp_path / "result")))
    reader = queue.RedisTicket(connection=working, submission=request, job_id=ticket.job_id, token="t", marker="m")
    with pytest.raises(JobLimitError) as caught:
        reader.result(5)
    assert caught.value.kind == "untrusted"
    assert not (tmp_path / "result").exists()
