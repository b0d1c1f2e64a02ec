"""Fairness on the Redis queue: order within a lane, one queued job per session, shared identical requests,
release cancels, progress and its estimate, and a lane without workers said at once. Real Redis throughout."""

from __future__ import annotations

import time

import pytest
import rq

from core import queue
from core.jobs import JobLimitError
from core.lanes import FAST, SLOW, JobPending
from core.queue_fleet import record_duration
from core.queue_lanes import fetch, lane_queue
from core.queue_ticket import NO_WORKER_GRACE_S
from tests import worker_routines
from tests.queue_topology import (
    queue_key,  # noqa: F401  (autouse: the topology's key here too)
    queue_worker,
    redis_server,
    submission,
)


@pytest.fixture
def idle():
    """Redis with no worker: what is submitted stays queued, so its order can be read."""
    with redis_server() as url:
        yield queue.connect(url)


def queued(connection, lane=FAST) -> list[str]:
    return lane_queue(connection, lane).get_job_ids()


def test_presenters_then_program_runs_then_measurements_first_come_first_served_within_each(idle):
    a = queue.submit(idle, submission(worker_routines.pid, cls="measure"))
    b = queue.submit(idle, submission(worker_routines.pid, cls="measure"))
    c = queue.submit(idle, submission(worker_routines.pid))
    d = queue.submit(idle, submission(worker_routines.pid, cls="measure", presenter=True))
    e = queue.submit(idle, submission(worker_routines.pid))
    f = queue.submit(idle, submission(worker_routines.pid, presenter=True))
    assert queued(idle) == [t.job_id for t in (d, f, c, e, a, b)]
    assert [t.progress().position for t in (a, b, c, d, e, f)] == [4, 5, 2, 0, 3, 1]
    slow = queue.submit(idle, submission(worker_routines.pid, cls="train"))
    assert queued(idle, SLOW) == [slow.job_id] and len(queued(idle)) == 6  # its own lane's queue


def test_a_sessions_new_submission_replaces_its_earlier_queued_job(idle):
    first = queue.submit(idle, submission(worker_routines.pid, session="s1"))
    other = queue.submit(idle, submission(worker_routines.pid, session="s2"))
    second = queue.submit(idle, submission(worker_routines.sleep, 1, session="s1"))
    assert queued(idle) == [other.job_id, second.job_id]
    assert fetch(idle, first.job_id).get_status() == rq.job.JobStatus.CANCELED
    with pytest.raises(JobLimitError) as caught:
        first.result(0)
    assert caught.value.kind == "replaced"


def test_identical_requests_in_flight_share_one_job_and_only_the_last_release_cancels_it(idle):
    tickets = [queue.submit(idle, submission(worker_routines.pid, key="same")) for _ in range(5)]
    assert len({t.job_id for t in tickets}) == 1 and queued(idle) == [tickets[0].job_id]
    for ticket in tickets[:4]:
        ticket.release()
        ticket.release()  # leaving twice counts once
    assert queued(idle) == [tickets[0].job_id]
    tickets[4].release()
    assert queued(idle) == [] and fetch(idle, tickets[0].job_id).get_status() == rq.job.JobStatus.CANCELED
    again = queue.submit(idle, submission(worker_routines.pid, key="same"))
    assert again.job_id != tickets[0].job_id and queued(idle) == [again.job_id]  # a cancelled job is not joined


def test_a_queued_jobs_estimate_is_its_place_times_its_classs_running_mean(idle):
    ahead = [queue.submit(idle, submission(worker_routines.pid, cls="measure")) for _ in range(2)]
    mine = queue.submit(idle, submission(worker_routines.pid, cls="measure"))
    unknown = mine.progress()
    assert not unknown.running and unknown.position == 2 and unknown.estimate_s == 2 * 30.0  # the class ceiling
    record_duration(idle, "measure", 2.0)
    record_duration(idle, "measure", 4.0)  # a running mean: 2 * 0.8 + 4 * 0.2
    assert mine.progress().estimate_s == pytest.approx(2 * 2.4)
    assert all(t.progress().position < 2 for t in ahead)


def test_a_lane_without_a_live_worker_is_said_at_once_and_its_job_cancelled(idle):
    ticket = queue.submit(idle, submission(worker_routines.pid))
    with pytest.raises(JobPending):
        ticket.result(0.2)  # within the grace a starting worker gets
    started = time.monotonic()
    with pytest.raises(JobLimitError) as caught:
        ticket.result(60)
    assert caught.value.kind == "no_worker" and time.monotonic() - started < NO_WORKER_GRACE_S + 2
    assert queued(idle) == []


@pytest.fixture(scope="module")
def working():
    with redis_server() as url, queue_worker(url):
        yield queue.connect(url)


def test_five_identical_requests_cause_one_job_and_a_noisy_result_answers_all_five(working):
    request = submission(worker_routines.sleep, 1.0, cls="measure", measures=True)  # asleep: a starved CPU share
    tickets = [queue.submit(working, request) for _ in range(5)]
    try:
        results = [t.result(60) for t in tickets]
    finally:
        for ticket in tickets:
            ticket.release()
    assert all(r == results[0] for r in results) and results[0].noisy
    assert "cpu_share" in results[0].honesty.reasons
    assert len(lane_queue(working, FAST).finished_job_registry.get_job_ids()) == 1


def test_the_last_waiter_leaving_stops_a_running_job_and_the_next_one_runs(working):
    ticket = queue.submit(working, submission(worker_routines.sleep, 30))
    deadline = time.monotonic() + 30
    while not ticket.progress().running:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    progress = ticket.progress()
    assert progress.position == 0 and progress.estimate_s <= 15.0 and progress.elapsed_s >= 0
    ticket.release()
    started = time.monotonic()
    follow = queue.submit(working, submission(worker_routines.sleep, 0.01))
    try:
        assert follow.result(10).value == 0.01 and time.monotonic() - started < 5
    finally:
        follow.release()
    assert fetch(working, ticket.job_id).get_status() == rq.job.JobStatus.STOPPED
