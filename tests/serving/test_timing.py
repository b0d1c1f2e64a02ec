"""The measurement engine with a swapped clock, so every figure is deterministic."""

import itertools
import time

import pytest
import torch

from core.timing import BUDGET_SCALE_ENV, MAX_BUDGET_S, NOISY_IQR_SHARE, Measurement, measure, naive_time


@pytest.fixture(autouse=True)
def full_budgets(monkeypatch):
    """These tests judge the timer itself against a scripted clock: at the budgets they ask for, not at the parallel
    suite's shortened ones (EAGER_LAB_TIMING_SCALE)."""
    monkeypatch.delenv(BUDGET_SCALE_ENV, raising=False)


class SimulatedWork:
    """A callable whose every call advances a simulated clock by the next duration in a cycle."""

    def __init__(self, durations):
        self.now = 0.0
        self.calls = 0
        self._durations = itertools.cycle(durations)

    def __call__(self):
        self.now += next(self._durations)
        self.calls += 1

    def clock(self):
        return self.now


def test_constant_work_gives_its_exact_duration_and_no_spread():
    work = SimulatedWork([1e-3])
    result = measure(work, clock=work.clock, budget_s=0.02)
    assert result.median == pytest.approx(1e-3)
    assert result.iqr == pytest.approx(0.0, abs=1e-15)
    assert not result.noisy
    assert result.runs == len(result.block_times) >= 4
    # the warm-up and block-size estimate also call fn, so it ran more often than was timed
    assert work.calls > result.runs


def test_spread_out_work_is_flagged_noisy():
    work = SimulatedWork([1e-3, 2e-3, 3e-3, 4e-3])
    result = measure(work, clock=work.clock, budget_s=0.05)
    assert result.iqr / result.median > NOISY_IQR_SHARE
    assert result.noisy


def test_the_time_budget_bounds_the_timed_work():
    work = SimulatedWork([0.1])
    result = measure(work, clock=work.clock, budget_s=0.3)
    assert sum(result.block_times) <= 0.3 + 0.1


def test_thread_count_is_set_during_and_restored_after():
    before = torch.get_num_threads()
    seen = []
    work = SimulatedWork([1e-3])

    def fn():
        seen.append(torch.get_num_threads())
        work()

    result = measure(fn, clock=work.clock, threads=1, budget_s=0.01)
    assert set(seen) == {1} and result.threads == 1
    assert torch.get_num_threads() == before


def test_thread_count_is_restored_when_the_measured_call_fails():
    before = torch.get_num_threads()

    def broken():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        measure(broken, threads=1)
    assert torch.get_num_threads() == before


def test_a_non_positive_budget_is_refused():
    with pytest.raises(ValueError):
        measure(lambda: None, budget_s=0)


def test_real_measurement_of_a_tensor_op_is_positive():
    x = torch.randn(1000)
    result = measure(lambda: x * 2 + 5, budget_s=0.05)
    assert isinstance(result, Measurement) and result.median > 0 and result.device == "cpu"


def test_naive_timer_reads_the_clock_once_around_one_call():
    work = SimulatedWork([0.25])
    assert naive_time(work, clock=work.clock) == pytest.approx(0.25)
    assert work.calls == 1


def test_measurements_sharing_a_device_lock_never_overlap_and_the_waiter_is_told():
    import threading

    lock = threading.Lock()
    results, waits = [], []

    def session(name):
        x = torch.randn(20_000)
        results.append(
            measure(lambda: x * 2 + 5, threads=1, budget_s=0.1, lock=lock, on_wait=lambda: waits.append(name))
        )

    lock.acquire()  # another session is measuring: all three must wait, and say so
    threads = [threading.Thread(target=session, args=(f"s{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for _ in range(500):
        if len(waits) == 3:
            break
        threading.Event().wait(0.01)
    lock.release()
    for thread in threads:
        thread.join()
    assert sorted(waits) == ["s0", "s1", "s2"]
    spans = sorted((r.started_at, r.ended_at) for r in results)
    assert len(spans) == 3 and all(start < end for start, end in spans)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False))
    assert not lock.locked()


def test_grad_mode_and_lock_are_restored_when_the_measured_call_fails():
    import threading

    lock = threading.Lock()

    def broken():
        torch.set_grad_enabled(False)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        measure(broken, lock=lock)
    assert torch.is_grad_enabled() and not lock.locked()


def test_a_budget_over_the_hard_cap_is_refused():
    with pytest.raises(ValueError):
        measure(lambda: None, budget_s=60)


def test_a_deadline_stops_the_repetitions_with_the_blocks_timed_so_far():
    def call():
        time.sleep(0.02)

    cap = 0.2
    started = time.monotonic()
    result = measure(call, budget_s=MAX_BUDGET_S, deadline=started + cap)
    elapsed = time.monotonic() - started
    assert elapsed < cap * 2 + 0.5  # the budget alone would have run 5 s
    assert result.cut_short and result.runs >= 1 and result.median >= 0.02
    assert len(result.block_times) >= 1 and result.q1 <= result.median <= result.q3


def test_a_deadline_not_reached_changes_nothing():
    work = SimulatedWork([1e-3])
    result = measure(work, clock=work.clock, budget_s=0.02, deadline=time.monotonic() + 3600)
    assert not result.cut_short and result.median == pytest.approx(1e-3) and result.runs >= 4


def test_a_deadline_already_passed_still_times_one_block():
    work = SimulatedWork([1e-3])
    result = measure(work, clock=work.clock, budget_s=0.02, deadline=time.monotonic() - 1)
    assert result.cut_short and len(result.block_times) == 1 and result.median == pytest.approx(1e-3)


@pytest.mark.parametrize(
    ("value", "scale"), [(None, 1.0), ("0.25", 0.25), ("1", 1.0), ("3", 1.0), ("0", 1.0), ("-1", 1.0), ("x", 1.0)]
)
def test_the_budget_scale_only_ever_shortens_a_measurement(monkeypatch, value, scale):
    from core.timing import BUDGET_SCALE_ENV, budget_scale

    if value is None:
        monkeypatch.delenv(BUDGET_SCALE_ENV, raising=False)
    else:
        monkeypatch.setenv(BUDGET_SCALE_ENV, value)
    assert budget_scale() == scale


def test_a_scaled_budget_times_that_share_of_the_work(monkeypatch):
    from core.timing import BUDGET_SCALE_ENV

    spent = {}
    for scale in ("1", "0.25"):
        monkeypatch.setenv(BUDGET_SCALE_ENV, scale)
        work = SimulatedWork([1e-3, 2e-3, 3e-3, 4e-3])  # spread out: runs until its budget is spent
        measure(work, clock=work.clock, budget_s=0.4)
        spent[scale] = work.now
    assert spent["0.25"] <= 0.1 + 0.02 < 0.3 <= spent["1"]
