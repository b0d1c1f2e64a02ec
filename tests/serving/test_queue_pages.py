"""Pages in the distributed mode: with EAGERLAB_REDIS_URL set, measurements run in a queue worker and are
kept in Redis, so another session (on any replica) gets them without a second measurement."""

from __future__ import annotations

from collections import Counter

import pytest

from core import queue
from tests.queue_topology import QUEUE_KEY, finished_routines, queue_worker, redis_server, together


@pytest.fixture
def distributed(monkeypatch):
    with redis_server() as url, together(queue_worker(url), queue_worker(url, lane="slow")) as (worker, _):
        monkeypatch.setenv(queue.REDIS_URL_ENV, url)
        monkeypatch.setenv(queue.QUEUE_KEY_ENV, QUEUE_KEY)
        yield url, worker


def pitfalls_jobs(url: str) -> list[str]:
    """The routines of the finished jobs, but the home page's example (opened before every page, never kept)."""
    return sorted(r for r in finished_routines(url) if r != "run_lesson_example")


@pytest.mark.serial  # a measurement judged noisy under load is rightly not kept
def test_a_measurement_runs_in_the_queue_worker_and_a_second_session_gets_it_from_redis(make_app, distributed):
    url, _ = distributed
    for seed in range(4242, 4247):  # a measurement that judged itself noisy is rightly never kept: take another
        before = pitfalls_jobs(url)
        first = make_app({"case": "unnecessary_loop", "seed": str(seed)}, page="pitfalls")
        assert not first.error and first.metric
        ran = pitfalls_jobs(url)
        assert sorted((Counter(ran) - Counter(before)).elements()) == ["loop_speedup_for", "run_demos"]  # in the worker
        if not first.warning:
            break
    second = make_app({"case": "unnecessary_loop", "seed": str(seed)}, page="pitfalls")
    assert [m.value for m in second.metric] == [m.value for m in first.metric]
    assert pitfalls_jobs(url) == ran  # nothing ran again: both came from Redis


def test_pages_say_the_queue_is_unavailable_when_redis_is_down(make_app, monkeypatch):
    from dashboard.i18n import translate

    monkeypatch.setenv(queue.REDIS_URL_ENV, "redis://127.0.0.1:9/0")  # nothing listens on port 9
    at = make_app({"case": "unnecessary_loop"}, page="pitfalls")
    assert [e.value for e in at.error] == [translate("en", "job.error.unavailable")]
