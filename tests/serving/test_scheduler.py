"""The local scheduler on real worker pools: lanes, turns, one queued job per session, shared runs, cancelling,
enforced limits and paused background work. Jobs are tests/worker_routines.py, run in real worker processes."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

from core.jobs import Job, JobLimitError
from core.lanes import FAST, SLOW, JobPending, Submission, job_class
from core.scheduler import LocalScheduler
from core.workers import plan_pool, start_pool
from tests import worker_routines

WAIT_S = 60.0


@pytest.fixture(scope="module")
def scheduler():
    ui_before = os.sched_getaffinity(0)
    plan = plan_pool(workers=1)
    pools = {FAST: start_pool(plan), SLOW: start_pool(plan, background=True)}
    scheduler = LocalScheduler(pools, {FAST: 1, SLOW: 1})
    yield scheduler
    scheduler.close()
    os.sched_setaffinity(0, ui_before)


def submission(routine, *args, name="program", session="s", key=None, presenter=False, limit=None):
    job = Job(routine=routine, args=args)
    return Submission(
        job=job,
        job_class=job_class(name),
        limit_s=limit or job_class(name).limit_s,
        session=session,
        key=key or f"{routine.__name__}{args}{session}{time.monotonic_ns()}",
        presenter=presenter,
    )


def finished(ticket, timeout=WAIT_S):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return ticket.result(timeout=0.05)
        except JobPending:
            assert time.monotonic() < deadline, "the job never finished"


def lines(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def wait_until(condition, timeout=WAIT_S):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        time.sleep(0.02)


def test_a_program_run_starts_after_at_most_the_running_short_job_whatever_the_class_has_queued(scheduler, tmp_path):
    log = tmp_path / "order"
    heavy = [
        scheduler.submit(submission(worker_routines.sleep, 30.0, name=name, session=f"heavy{i}"))
        for i, name in enumerate(["train", "compile_cost", "sweep", "compile"])
    ]
    measuring = scheduler.submit(submission(worker_routines.record, str(log), "measure", 0.5, name="measure"))
    queued_measures = [
        scheduler.submit(submission(worker_routines.record, str(log), f"m{i}", 0.2, name="measure", session=f"m{i}"))
        for i in range(3)
    ]
    trivial = scheduler.submit(submission(worker_routines.record, str(log), "program", session="learner"))
    assert trivial.progress().position == 0  # only the running measurement is before it
    assert finished(trivial).value == "program"
    assert lines(log)[:2] == ["measure", "program"]  # one short job, then the program run: no long job in between
    for ticket in (measuring, *queued_measures):
        finished(ticket)
    assert scheduler.queued(SLOW) == 3  # the long work still waits its turn in its own lane
    for ticket in heavy:
        ticket.release()
    wait_until(lambda: scheduler.queued(SLOW) == 0)


def test_presenters_are_served_first(scheduler, tmp_path):
    log = tmp_path / "order"
    busy = scheduler.submit(submission(worker_routines.sleep, 0.5, session="busy"))
    class_jobs = [
        scheduler.submit(submission(worker_routines.record, str(log), f"learner{i}", session=f"l{i}")) for i in range(3)
    ]
    teacher = scheduler.submit(submission(worker_routines.record, str(log), "teacher", session="t", presenter=True))
    assert teacher.progress().position == 0 and class_jobs[2].progress().position == 3
    for ticket in (busy, teacher, *class_jobs):
        finished(ticket)
    assert lines(log) == ["teacher", "learner0", "learner1", "learner2"]


def test_five_identical_requests_run_one_job_and_all_five_get_its_result(scheduler, tmp_path):
    log = tmp_path / "runs"
    same = [
        scheduler.submit(submission(worker_routines.record, str(log), "once", 0.3, session=f"v{i}", key="same"))
        for i in range(5)
    ]
    assert [finished(ticket).value for ticket in same] == ["once"] * 5
    assert lines(log) == ["once"]
    for ticket in same:
        ticket.release()


def test_a_session_holds_at_most_one_queued_job(scheduler, tmp_path):
    log = tmp_path / "runs"
    busy = scheduler.submit(submission(worker_routines.sleep, 0.5, session="other"))
    first = scheduler.submit(submission(worker_routines.record, str(log), "first", session="me"))
    second = scheduler.submit(submission(worker_routines.record, str(log), "second", session="me"))
    with pytest.raises(JobLimitError) as replaced:
        finished(first)
    assert replaced.value.kind == "replaced"
    assert finished(second).value == "second" and finished(busy).value == 0.5
    assert lines(log) == ["second"]


def test_replacing_a_shared_queued_job_keeps_it_for_the_other_session(scheduler, tmp_path):
    log = tmp_path / "runs"
    busy = scheduler.submit(submission(worker_routines.sleep, 0.5, session="other"))
    mine = scheduler.submit(submission(worker_routines.record, str(log), "shared", session="me", key="shared"))
    theirs = scheduler.submit(submission(worker_routines.record, str(log), "shared", session="you", key="shared"))
    newer = scheduler.submit(submission(worker_routines.record, str(log), "newer", session="me"))
    assert finished(theirs).value == "shared" and finished(newer).value == "newer" and finished(busy).value == 0.5
    assert finished(mine).value == "shared"  # the run went on for the other session; this waiter was stale anyway
    assert sorted(lines(log)) == ["newer", "shared"]


def test_a_job_nobody_waits_for_is_stopped_and_the_next_starts_at_once(scheduler, tmp_path):
    counter = tmp_path / "counter"
    abandoned = scheduler.submit(submission(worker_routines.count_forever, str(counter), session="gone"))
    wait_until(counter.exists)
    shared_key = scheduler.submit(submission(worker_routines.sleep, 0.1, session="x"))
    abandoned.release()  # the session reran, stopped or closed its tab
    with pytest.raises(JobLimitError) as cancelled:
        finished(abandoned)
    assert cancelled.value.kind == "cancelled"
    assert finished(shared_key).value == 0.1  # the next job ran, so the abandoned one no longer holds the worker
    stopped_at = counter.read_text()
    time.sleep(0.3)
    assert counter.read_text() == stopped_at  # its worker was stopped, not left running


def test_a_shared_run_goes_on_while_one_of_its_waiters_remains(scheduler, tmp_path):
    log = tmp_path / "runs"
    one = scheduler.submit(submission(worker_routines.record, str(log), "kept", 0.5, session="a", key="k"))
    two = scheduler.submit(submission(worker_routines.record, str(log), "kept", 0.5, session="b", key="k"))
    one.release()
    assert finished(two).value == "kept"


def test_every_class_limit_is_enforced_by_stopping_the_job(scheduler):
    ticket = scheduler.submit(submission(worker_routines.spin, 30.0, limit=0.5))
    started = time.monotonic()
    with pytest.raises(JobLimitError) as caught:
        finished(ticket)
    assert caught.value.kind == "time" and caught.value.params == {"seconds": 0.5}
    assert time.monotonic() - started < 10  # stopped near its limit, not after the 30 s it asked for
    assert finished(scheduler.submit(submission(worker_routines.pid))).value > 0  # a fresh worker took over


def test_a_fast_lane_measurement_pauses_background_work_and_the_pause_does_not_count(scheduler, tmp_path):
    counter = tmp_path / "counter"
    background = scheduler.submit(submission(worker_routines.count_forever, str(counter), name="train", limit=2.0))
    wait_until(counter.exists)
    measuring = scheduler.submit(submission(worker_routines.sleep, 1.5, name="measure"))
    wait_until(lambda: measuring.progress().running)  # on a loaded machine the start takes more than a moment
    wait_until(lambda: {_state(pid) for pid in scheduler.worker_pids(SLOW)} == {"T"})  # stopped while it runs
    assert measuring.progress().running
    assert background.progress().paused  # and its learner is told why it does not move
    frozen = counter.read_text()
    time.sleep(0.3)
    assert counter.read_text() == frozen
    finished(measuring)
    wait_until(lambda: counter.read_text() != frozen)  # resumed
    with pytest.raises(JobLimitError) as caught:  # 2 s of running, not counting the ~1.5 s paused
        finished(background)
    assert caught.value.kind == "time"
    assert background.progress().elapsed_s >= 2.0


def test_after_a_pause_slow_work_has_its_turn_before_the_next_measurement(scheduler, tmp_path):
    counter = tmp_path / "counter"
    background = scheduler.submit(submission(worker_routines.count_forever, str(counter), name="train"))
    wait_until(counter.exists)
    finished(scheduler.submit(submission(worker_routines.sleep, 0.3, name="measure", session="m1")))
    resumed_at = int(counter.read_text())
    second = scheduler.submit(submission(worker_routines.sleep, 0.3, name="measure", session="m2"))
    assert not second.progress().running  # held while the training has its turn
    wait_until(lambda: second.progress().running)
    assert int(counter.read_text()) > resumed_at  # the training moved between the two measurements
    finished(second)
    background.release()


def test_slow_work_that_measures_itself_is_never_paused(scheduler, tmp_path):
    counter = tmp_path / "counter"
    sweep = scheduler.submit(submission(worker_routines.count_forever, str(counter), name="sweep"))
    wait_until(counter.exists)
    measuring = scheduler.submit(submission(worker_routines.sleep, 1.0, name="measure"))
    wait_until(lambda: measuring.progress().running)
    at = counter.read_text()
    wait_until(lambda: counter.read_text() != at)  # its own deadline runs on its clock: it must keep running
    assert {_state(pid) for pid in scheduler.worker_pids(SLOW)} != {"T"}
    finished(measuring)
    sweep.release()


def test_closing_the_scheduler_tells_every_waiter_the_workers_are_gone():
    ui_before = os.sched_getaffinity(0)
    plan = plan_pool(workers=1)
    closing = LocalScheduler({FAST: start_pool(plan), SLOW: start_pool(plan, background=True)}, {FAST: 1, SLOW: 1})
    try:
        running = closing.submit(submission(worker_routines.sleep, 30.0, session="a"))
        queued = closing.submit(submission(worker_routines.sleep, 30.0, session="b"))
        closing.close()
        for ticket in (running, queued):
            with pytest.raises(JobLimitError) as caught:
                finished(ticket, timeout=5)
            assert caught.value.kind == "unavailable"
    finally:
        os.sched_setaffinity(0, ui_before)


def test_the_waiting_learner_sees_a_place_and_an_estimate(scheduler):
    busy = scheduler.submit(submission(worker_routines.sleep, 0.6, session="busy"))
    waiting = [scheduler.submit(submission(worker_routines.sleep, 0.1, session=f"w{i}")) for i in range(2)]
    first, second = (ticket.progress() for ticket in waiting)
    assert not first.running and (first.position, second.position) == (0, 1)
    assert 0 < first.estimate_s < second.estimate_s
    running = busy.progress()
    assert running.running and running.estimate_s <= job_class("program").limit_s
    for ticket in (busy, *waiting):
        finished(ticket)


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_the_limits_table_is_what_the_lanes_declare():
    from core.lanes import JOB_CLASSES

    assert {c.name: (c.lane, c.limit_s) for c in JOB_CLASSES.values()} == {
        "program": (FAST, 15.0),
        "measure": (FAST, 30.0),
        "train": (SLOW, 30.0),
        "profile": (SLOW, 30.0),
        "sweep": (SLOW, 45.0),
        "compile": (SLOW, 45.0),
        "compile_cost": (SLOW, 45.0),
    }
    assert dataclasses.fields(Submission)  # frozen, keyword-only records


def test_the_docs_show_exactly_the_declared_limits():
    from core.lanes import limits_table

    docs = Path(__file__).resolve().parent.parent.parent / "docs" / "security-and-limits.md"
    assert limits_table() in docs.read_text(encoding="utf-8")
