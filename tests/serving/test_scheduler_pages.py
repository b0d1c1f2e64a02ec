"""The scheduler as pages use it: a stopped or abandoned session releases its job, and the worker is freed."""

from __future__ import annotations

import time

import pytest

from core.lanes import FAST
from dashboard import jobs
from tests import worker_routines


def test_a_session_that_stops_while_waiting_cancels_its_job(make_app, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import APP

    make_app()  # a warm pool
    worker_routines.HOLD_COUNTER.unlink(missing_ok=True)
    monkeypatch.setattr("core.home.lesson.run_lesson_example", worker_routines.hold)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.context["locale"] = "en-US"
    with pytest.raises(RuntimeError, match="timed out"):
        at.run(timeout=3)  # AppTest then asks the script to stop, as Streamlit does on a rerun or a closed tab
    scheduler = jobs.warm_up()
    deadline = time.monotonic() + 30
    while scheduler._running[FAST]:
        assert time.monotonic() < deadline, "the abandoned job still holds the worker"
        time.sleep(0.05)
    while True:  # pebble stops the worker a moment after the job is cancelled: then the count stands still
        counted = worker_routines.HOLD_COUNTER.read_text()
        time.sleep(0.3)
        if worker_routines.HOLD_COUNTER.read_text() == counted:
            break
        assert time.monotonic() < deadline, "the abandoned job's worker still runs"
    monkeypatch.undo()
    assert not make_app().exception  # and the next visitor is served


@pytest.mark.parametrize(
    ("lang", "ahead", "running"),
    [("en", "Jobs ahead of yours: 1,234", "Running: 3 s so far"), ("es", "por delante del tuyo: 1.234", "3 s hasta")],
)
def test_the_waiting_learner_reads_a_place_and_an_estimate_in_their_language(monkeypatch, lang, ahead, running):
    from core.lanes import Progress
    from dashboard.i18n import translate

    monkeypatch.setattr(jobs, "t", lambda key, **params: translate(lang, key, **params))
    monkeypatch.setattr("dashboard.number_format.current_lang", lambda: lang)
    queued = jobs.waiting_text(Progress(running=False, position=1234, estimate_s=12.4, elapsed_s=1.0))
    assert ahead in queued.replace("\\", "") and "12" in queued
    assert jobs.waiting_text(Progress(running=True, position=0, estimate_s=10.0, elapsed_s=0.5)) is None  # quiet
    assert running in jobs.waiting_text(Progress(running=True, position=0, estimate_s=10.0, elapsed_s=3.2))
