"""The local scale-out topology as processes on loopback: Redis, one queue worker, two UI replicas and
HAProxy with cookie affinity; sessions driven over Streamlit's websocket protocol (no browser)."""

from __future__ import annotations

import concurrent.futures

import pytest

from core import queue
from dashboard.i18n import translate
from tests.queue_topology import (
    QUEUE_KEY,
    finished_routines,
    local_topology,
    queue_key,  # noqa: F401  (autouse: the topology's key here too)
    queue_worker,
    redis_server,
)
from tests.streamlit_client import affinity_cookie, fetch_status, open_page

pytestmark = pytest.mark.browser  # a live-server test, like the browser tests
LOOP_CASE = "case=unnecessary_loop&seed={seed}"


@pytest.fixture(scope="module")
def topology():
    with local_topology(uis=2) as running:
        yield running


def measured_jobs(url: str) -> int:
    return finished_routines(url).count("loop_speedup_for")


def replica_cookies(proxy: str) -> dict[str, str]:
    """One affinity cookie per replica (round robin hands them out in turn)."""
    cookies = {}
    while len(cookies) < 2:
        cookie = affinity_cookie(proxy)
        cookies[cookie.split("=", 1)[1]] = cookie
    return cookies


@pytest.mark.serial  # a measurement judged noisy under load is rightly not kept
def test_a_measurement_on_one_replica_is_served_from_the_cache_on_the_other(topology):
    proxy, url, _ = topology
    cookies = replica_cookies(proxy)
    for seed in range(101, 106):  # a measurement that judged itself noisy is rightly never kept: take another
        before = measured_jobs(url)
        first = open_page(proxy, "pitfalls", LOOP_CASE.format(seed=seed), cookies["ui1"])
        assert first.finished and not first.errors and measured_jobs(url) == before + 1  # ran in the worker
        if not [body for kind, body in first.alerts if kind == "WARNING"]:
            break
    second = open_page(proxy, "pitfalls", LOOP_CASE.format(seed=seed), cookies["ui2"])
    assert second.finished and not second.errors
    assert second.metrics == first.metrics and measured_jobs(url) == before + 1  # from Redis, not measured again


def test_twenty_sessions_downloads_all_answer_through_the_proxy(topology):
    proxy = topology[0]

    def session(index: int) -> list[int]:
        cookie = affinity_cookie(proxy)
        run = open_page(proxy, "pitfalls", LOOP_CASE.format(seed=7), cookie)
        assert run.finished and not run.errors and run.downloads
        return [fetch_status(proxy, path, cookie) for path in run.downloads]

    with concurrent.futures.ThreadPoolExecutor(20) as sessions:
        statuses = [s for result in sessions.map(session, range(20)) for s in result]
    assert len(statuses) >= 20 and set(statuses) == {200}


def test_the_ui_says_the_queue_is_unavailable_while_redis_is_down_then_recovers():
    from tests.browser import free_port, streamlit_server

    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    with streamlit_server(env={queue.REDIS_URL_ENV: url, queue.QUEUE_KEY_ENV: QUEUE_KEY}) as ui:
        with redis_server(port), queue_worker(url):
            assert not open_page(ui, "pitfalls", LOOP_CASE.format(seed=5)).errors
        down = open_page(ui, "pitfalls", LOOP_CASE.format(seed=6))
        assert translate("en", "job.error.unavailable") in down.errors
        with redis_server(port), queue_worker(url):
            back = open_page(ui, "pitfalls", LOOP_CASE.format(seed=6))
            assert back.finished and not back.errors and back.metrics
