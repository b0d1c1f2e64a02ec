"""Job classes: which lane each kind of work waits in, its enforced wall-clock limit, and what a waiter is told.

A class of learners shares a few worker cores, so work is split in two lanes. The fast lane runs what a page
needs to show anything (a program run, a short measurement); the slow lane runs long work (training chunks,
compile capture and cost, sweeps, profiles) at the lowest CPU priority on the same cores. A short job therefore
never waits behind long work, and starts within one short job's time (presenters first, then program runs, then
measurements). This table is the one place the limits are declared: the README's limits table and the tests
read it.
"""

from __future__ import annotations

from concurrent.futures import TimeoutError as JobPending
from dataclasses import dataclass
from typing import Protocol

from core.jobs import Job, JobResult

FAST, SLOW = "fast", "slow"


@dataclass(frozen=True, kw_only=True)
class JobClass:
    """One kind of work: its lane, its wall-clock ceiling, its order in the lane, whether it measures."""

    name: str
    lane: str
    limit_s: float
    rank: int  # lower starts first within a lane (after presenters)
    measures: bool = False  # a fast-lane measurement pauses slow-lane work on its cores while it runs


JOB_CLASSES = {
    c.name: c
    for c in (
        JobClass(name="program", lane=FAST, limit_s=15.0, rank=0),
        JobClass(name="measure", lane=FAST, limit_s=30.0, rank=1, measures=True),
        JobClass(name="train", lane=SLOW, limit_s=30.0, rank=0),
        JobClass(name="profile", lane=SLOW, limit_s=30.0, rank=1, measures=True),
        JobClass(name="sweep", lane=SLOW, limit_s=45.0, rank=1, measures=True),
        JobClass(name="compile", lane=SLOW, limit_s=45.0, rank=2),
        JobClass(name="compile_cost", lane=SLOW, limit_s=45.0, rank=2, measures=True),
    )
}


def job_class(name: str) -> JobClass:
    """The class called `name` (KeyError for an unknown one: a typo must fail in the tests, not in a class)."""
    return JOB_CLASSES[name]


def limit_for(name: str, wanted_s: float | None = None) -> float:
    """The wall-clock limit of one job of class `name`: what it asks for, never above its class's ceiling."""
    ceiling = JOB_CLASSES[name].limit_s
    return ceiling if wanted_s is None else min(wanted_s, ceiling)


def limits_table() -> str:
    """The job classes as the README's markdown table (a test holds the README to it)."""
    rows = ["| job class | lane | wall-clock limit | measures |", "|---|---|---|---|"]
    for c in sorted(JOB_CLASSES.values(), key=lambda c: (c.lane != FAST, c.rank, c.name)):
        rows.append(f"| `{c.name}` | {c.lane} | {c.limit_s:g} s | {'yes' if c.measures else 'no'} |")
    return "\n".join(rows)


@dataclass(frozen=True, kw_only=True)
class Submission:
    """One request for a worker: the job, its class and limit, who asked, and its content key.

    `session` holds at most one queued job (a new submission replaces that session's earlier one); `key` is the
    request's content, so identical submissions in flight share one run; `presenter` jobs are served first.
    """

    job: Job
    job_class: JobClass
    limit_s: float
    session: str
    key: str
    presenter: bool = False


@dataclass(frozen=True, kw_only=True)
class Progress:
    """What a waiting page tells its learner: queued at `position` (jobs ahead in its lane) or running."""

    running: bool
    position: int
    estimate_s: float  # queued: seconds until it starts; running: seconds it may still take at most
    elapsed_s: float
    paused: bool = False  # slow work held while another learner's measurement runs


class Ticket(Protocol):
    """A submitted job as its waiter holds it, in the local pool and on the Redis queue alike."""

    def result(self, timeout: float) -> JobResult:
        """The result; raises JobPending while not done, JobLimitError for a hit limit, the routine's error."""

    def progress(self) -> Progress:
        """Where the job stands now."""

    def release(self) -> None:
        """This waiter leaves (rerun, stop, disconnect, or done); a job nobody waits for is cancelled."""


__all__ = ["FAST", "JOB_CLASSES", "SLOW", "JobClass", "JobPending", "Progress", "Submission", "Ticket", "job_class"]
