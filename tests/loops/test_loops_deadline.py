"""The sweep's cap is a deadline checked inside every measurement; the page's per-size jobs sweep as run_sweep does;
the float loop gives nan and inf as PyTorch does; the profiler out of memory says so."""

import dataclasses
import time

import pytest
import torch

from core.jobs import JobLimitError
from core.loops import run as loops_run
from core.loops.implementations import build_implementations
from core.loops.profile import ProfileRequest
from core.loops.run import SizeRequest, measure_sweep_size, profile_loops
from core.loops.size import Timing, measure_size
from core.loops.sweep import MAX_SWEEP_S, assemble, input_maker, run_sweep
from core.program import parse_program
from core.settings import Settings
from dashboard.i18n import catalog
from tests.loops.test_loops import fake_sweep


@pytest.mark.serial  # whether a size still fits before the cap depends on how fast this machine runs now
# cut in the calibration (budget over the cap), or in the sizes: four sizes of 0.2 s of timing each need 0.8 s at least,
# so a 0.6 s cap cuts the last on any machine (at 1 s a fast, idle machine fitted them all and the test failed)
@pytest.mark.parametrize(("budget", "cap"), [(2.0, 0.5), (0.2, 0.6)])
def test_a_sweep_of_big_sizes_ends_at_its_cap(budget, cap):
    # loops timed at 100 elements, then tanh and sin over millions: without the cap, many seconds
    program = parse_program("y = torch.tanh(x) * 2 + 1\nz = torch.sin(y) * y")
    sizes = [1_000_000, 2_000_000, 4_000_000, 8_000_000]
    started = time.monotonic()
    result = run_sweep(
        program,
        sizes,
        input_maker(program, "float32", "cpu", 0),
        device="cpu",
        threads=1,
        budget_s=budget,
        max_total_s=cap,
    )
    elapsed = time.monotonic() - started
    assert elapsed < cap * 2 + 1.0
    capped = [n for n, exc in result.refused if exc.code == "sweep_time_cap"]
    assert capped and capped[-1] == sizes[-1]  # the largest size was not measured, and the sweep says so
    assert not {p.n for p in result.points} & set(capped)  # a size cut short keeps no partial figures
    assert sorted({p.n for p in result.points} | set(capped)) == sizes


def test_a_size_job_gets_what_is_left_of_the_cap():
    settings = Settings()
    request = SizeRequest(program="y = x * 2", settings=settings, budget_s=0.05, n=1000, spent_s=MAX_SWEEP_S)
    started = time.monotonic()
    spent = measure_sweep_size(request)
    assert spent.timed_out and not spent.points and time.monotonic() - started < 1.0
    fresh = measure_sweep_size(SizeRequest(program="y = x * 2", settings=settings, budget_s=0.05, n=1000))
    assert not fresh.timed_out and {p.implementation for p in fresh.points} == {
        "lesson_loop",
        "float_loop",
        "vectorized",
    }
    assert fresh.bandwidth is not None and fresh.bandwidth.n == 1000 and fresh.wall_s > 0


def test_sizes_measured_one_job_each_give_the_sweep_run_sweep_gives():
    per_element = {"lesson_loop": 1e-4, "float_loop": 1e-6, "vectorized": 1e-9}
    sizes = [1000, 10_000, 100_000]
    whole, _ = fake_sweep(per_element, sizes, budget_s=0.5)

    stepped, history = [], ()
    for n in sizes:  # what the page does: one job per size, each predicting from the ones before
        _, engine = fake_sweep(per_element, [n], budget_s=0.5)  # a fresh engine (a fresh worker) per size
        size = measure_size(
            _spied(engine),
            n,
            lambda m: {"x": torch.ones(m)},
            history,
            Timing(device="cpu", threads=1, budget_s=0.5, deadline=time.monotonic() + 60, measure_fn=engine),
        )
        stepped.append(size)
        history += size.history
    result = assemble(stepped, device="cpu", threads=1, budget_s=0.5)
    assert result.points == whole.points and result.bandwidth == whole.bandwidth
    assert result.per_element_fit == whole.per_element_fit and result.refused == ()


def _spied(engine):
    real = build_implementations(parse_program("y = x * 2"))
    functions = {name: engine.spy(name, function) for name, function in real.functions.items()}
    return dataclasses.replace(real, functions=functions)


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("y = torch.sin(x / 0)", lambda x: torch.sin(x / 0)),
        ("y = torch.cos(x / 0) * 2", lambda x: torch.cos(x / 0) * 2),
        ("y = torch.tanh(x / 0) + torch.sin(x)", lambda x: torch.tanh(x / 0) + torch.sin(x)),
    ],
)
def test_the_float_loop_gives_nan_where_pytorch_does_never_an_error(text, reference):
    x = torch.tensor([-2.0, 0.0, 1.5, float("inf"), float("nan")], dtype=torch.float64)
    functions = build_implementations(parse_program(text)).functions
    torch.testing.assert_close(functions["float_loop"]({"x": x}), reference(x), equal_nan=True)
    torch.testing.assert_close(functions["lesson_loop"]({"x": x}), reference(x), equal_nan=True)


def test_the_profiler_out_of_memory_says_its_own_records_filled_the_memory(monkeypatch):
    def out_of_memory(request):
        raise MemoryError

    monkeypatch.setattr(loops_run, "profile_loop_and_vectorized", out_of_memory)
    with pytest.raises(JobLimitError) as caught:
        profile_loops(ProfileRequest(program="y = x * 2", n=1000, settings=Settings()))
    assert caught.value.kind == "profile_memory"
    for lang in ("en", "es"):
        message = catalog(lang)["job.error.profile_memory"]
        assert "profiler" in message and "backward" not in message and "{limit_mib}" in message
