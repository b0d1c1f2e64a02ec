"""The loops page's core: three implementations that agree, the sweep's measure-or-estimate logic, bandwidth."""

import dataclasses

import pytest
import torch

from core.closures import FLOATS, TORCH, compile_program
from core.limits import SizeLimitError
from core.loops.implementations import IMPLEMENTATIONS, TOLERANCE, build_implementations, check_agreement
from core.loops.sweep import MAX_SWEEP_N, SweepPoint, fit_per_element, plan_sizes, run_sweep
from core.loops.table import COLUMNS, sweep_rows
from core.loops.traffic import bytes_moved
from core.program import DEFAULT_PROGRAM, ProgramError, parse_program
from core.tensors import InputError
from core.timing import Measurement

PROGRAMS = [
    DEFAULT_PROGRAM,
    "y = torch.sin(x) * w + b",
    "m = x > 0\ny = torch.where(m, x.exp(), -x)\nz = y.clamp(min=-1, max=2).sigmoid()",
    "y = torch.max(x, w) - x.min(b)\nz = y.relu().sqrt() + x.abs().tanh()",
    "y = (x.abs() + 1).log() / (w * w + 1)",
]


@pytest.mark.parametrize("dtype", list(TOLERANCE))
@pytest.mark.parametrize("text", PROGRAMS)
def test_the_three_implementations_agree(text, dtype):
    program = parse_program(text)
    generator = torch.Generator().manual_seed(3)
    inputs = {n: torch.randn(40, generator=generator).to(dtype) for n in program.inputs}
    implementations = build_implementations(program)
    result = check_agreement(implementations, inputs)
    assert [a.name for a in result] == ["lesson_loop", "float_loop"]
    assert all(a.agrees and (a.rtol, a.atol) == TOLERANCE[dtype] for a in result), result
    direct = compile_program(program, TORCH)(inputs)[implementations.output]
    assert torch.equal(implementations.functions["vectorized"](inputs), direct)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("y = x.sum()", "sum()"),
        ("y = x * x.mean()", "mean()"),
        ("y = x @ x", "@"),
        ("y = torch.max(x)", "max()"),
        ("y = x.min()", "min()"),
    ],
)
def test_reductions_are_refused_with_their_location(text, what):
    with pytest.raises(ProgramError) as caught:
        build_implementations(parse_program(text))
    assert caught.value.code == "not_elementwise" and caught.value.params == {"name": what}
    assert caught.value.line == 1 and caught.value.column > 0


def test_float_arithmetic_follows_torch_at_the_edges():
    program = parse_program("a = x.log()\nb = x.sqrt()\nc = 1 / x\nd = x ** 0.5\ne = x.exp()")
    x = torch.tensor([-1.0, 0.0, 4.0, 1000.0], dtype=torch.float64)
    on_tensor = compile_program(program, TORCH)({"x": x})
    for name in "abcde":
        on_floats = [compile_program(program, FLOATS)({"x": v})[name] for v in x.tolist()]
        torch.testing.assert_close(torch.tensor(on_floats, dtype=torch.float64), on_tensor[name], equal_nan=True)


def test_the_lesson_loop_rebuilds_a_tensor_like_the_lesson():
    implementations = build_implementations(parse_program(DEFAULT_PROGRAM))
    x = torch.tensor([1.0, 2.0, 3.0])
    result = implementations.functions["lesson_loop"]({"x": x})
    assert torch.equal(result, torch.tensor([39.0, 71.0, 111.0])) and result.dtype == x.dtype


class FakeEngine:
    """A timing engine whose seconds per call are per_element[implementation] * n, recorded instead of measured.

    Spied implementations tell it which one is running; clone() is timed like the last one seen.
    """

    def __init__(self, per_element):
        self.per_element = per_element
        self.last = ("vectorized", 1)
        self.calls = []

    def spy(self, name, function):
        def run(inputs):
            self.last = (name, inputs["x"].numel())
            return function(inputs)

        return run

    def __call__(self, fn, *, device, threads, budget_s, deadline=None):
        fn()
        kind, n = self.last
        self.calls.append((kind, n, budget_s))
        seconds = self.per_element.get(kind, self.per_element["vectorized"]) * n
        self.last = ("clone", n)  # a call no spy announces is the clone() of the same size
        return Measurement(
            median=seconds, iqr=seconds * 0.01, runs=5, block_times=(seconds,) * 5, threads=threads, device=device
        )


def fake_sweep(per_element, sizes, budget_s=1.0, make_inputs=None):
    """run_sweep of `y = x * 2` with the fake engine; `make_inputs` may refuse sizes."""
    import core.loops.sweep

    engine = FakeEngine(per_element)
    program = parse_program("y = x * 2")
    real = build_implementations(program)
    spied = dataclasses.replace(
        real, functions={name: engine.spy(name, real.functions[name]) for name in IMPLEMENTATIONS}
    )

    def inputs_for(n):
        if make_inputs:
            make_inputs(n)
        return {"x": torch.ones(n)}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(core.loops.sweep, "build_implementations", lambda _: spied)
        result = run_sweep(program, sizes, inputs_for, device="cpu", threads=1, budget_s=budget_s, measure_fn=engine)
    return result, engine


def test_loops_are_measured_while_their_prediction_fits_the_budget_then_estimated():
    per_element = {"lesson_loop": 1e-4, "float_loop": 1e-6, "vectorized": 1e-9}
    result, _ = fake_sweep(per_element, [10, 100, 1000, 10_000, 100_000], budget_s=0.5)
    lesson = {p.n: p for p in result.points if p.implementation == "lesson_loop"}
    # 1e-4 s per element: 1000 elements predicted 0.1 s (run), 10^4 predicted 1 s > 0.5 s (estimated)
    assert [lesson[n].measured for n in (10, 100, 1000, 10_000, 100_000)] == [True, True, True, False, False]
    assert lesson[10_000].median == pytest.approx(1.0) and lesson[100_000].median == pytest.approx(10.0)
    floats = [p for p in result.points if p.implementation == "float_loop"]
    assert all(p.measured for p in floats)
    assert all(p.measured for p in result.points if p.implementation == "vectorized")
    assert result.per_element_fit["lesson_loop"] == pytest.approx(1e-4)
    assert result.speedup("lesson_loop", 10_000) == pytest.approx(1e5)


def test_once_a_loop_is_estimated_every_larger_size_is_too():
    per_element = {"lesson_loop": 1e-3, "float_loop": 1e-6, "vectorized": 1e-9}
    result, engine = fake_sweep(per_element, [10, 1000, 100, 10_000], budget_s=0.5)
    lesson = [(p.n, p.measured) for p in result.points if p.implementation == "lesson_loop"]
    assert lesson == [(10, True), (100, True), (1000, False), (10_000, False)]  # ascending order
    assert ("lesson_loop", 1000, 0.5) not in engine.calls


def test_fast_calls_get_a_quarter_of_the_budget():
    result, engine = fake_sweep({"lesson_loop": 1e-6, "float_loop": 1e-6, "vectorized": 1e-9}, [10], budget_s=0.4)
    budgets = {kind: budget for kind, _, budget in engine.calls}
    assert budgets["lesson_loop"] == 0.4 and budgets["vectorized"] == pytest.approx(0.1)


def test_the_fit_is_least_squares_through_the_origin():
    points = [_point("lesson_loop", n, t, measured=True) for n, t in [(10, 1.0), (20, 3.0)]]
    # c = (1*10 + 3*20) / (10^2 + 20^2) = 70 / 500
    assert fit_per_element(points) == pytest.approx(0.14)
    assert fit_per_element([_point("x", 10, 1.0, measured=False)]) is None


def _point(implementation: str, n: int, median: float, *, measured: bool) -> SweepPoint:
    runs = 1 if measured else 0
    return SweepPoint(
        implementation=implementation, n=n, measured=measured, median=median, iqr=0, runs=runs, noisy=False
    )


def test_a_size_that_does_not_fit_is_refused_and_the_rest_run():
    def make_inputs(n):
        if n > 100:
            raise SizeLimitError(n * 4, 400, "cpu")

    result, _ = fake_sweep(
        {"lesson_loop": 1e-6, "float_loop": 1e-6, "vectorized": 1e-9}, [10, 100, 1000], make_inputs=make_inputs
    )
    assert [n for n, _ in result.refused] == [1000]
    assert sorted({p.n for p in result.points}) == [10, 100]


def test_plan_sizes_refuses_memory_first_then_the_range():
    runnable, refused = plan_sizes([10, 10**6, 10**12], torch.float32, "cpu", copies=8, available=10**9)
    assert runnable == (10, 10**6)
    assert isinstance(refused[0], SizeLimitError) and refused[0].requested_bytes == 10**12 * 4 * 8
    runnable, refused = plan_sizes([10, MAX_SWEEP_N["cpu"] * 3], torch.float32, "cpu", copies=1, available=10**12)
    assert runnable == (10,) and isinstance(refused[0], InputError) and refused[0].params == {"limit": 10**7}


def test_bytes_moved_counts_every_operations_reads_and_writes():
    x = torch.ones(1000)
    vectorized = build_implementations(parse_program(DEFAULT_PROGRAM)).functions["vectorized"]
    # mul, add, pow, sub: each reads one float32 tensor of 1000 and writes one (the scalars are Python numbers)
    assert bytes_moved(lambda: vectorized({"x": x})) == 4 * 2 * 4000
    assert bytes_moved(lambda: x + x) == 3 * 4000
    assert bytes_moved(lambda: x.clone()) == 2 * 4000


def test_bandwidth_and_table_arithmetic():
    costs = {"lesson_loop": 1e-5, "float_loop": 1e-6, "vectorized": 2e-9, "clone": 1e-9}
    result, _ = fake_sweep(costs, [1000, 10_000])
    band = result.bandwidth[1]
    assert band.bytes_per_call == 2 * 4 * 10_000  # y = x * 2: read x, write y
    assert band.vectorized == pytest.approx(2 * 4 * 10_000 / (2e-9 * 10_000))  # 4 GB/s
    assert band.copy == pytest.approx(2 * 4 * 10_000 / (1e-9 * 10_000))  # clone reads and writes x: 8 GB/s
    assert band.share_of_copy == pytest.approx(0.5)
    rows = sweep_rows(result)
    assert [row["n"] for row in rows] == [1000, 10_000] and list(rows[0]) == list(COLUMNS)
    assert rows[1]["speedup_lesson_loop"] == pytest.approx(5e3)
    assert rows[1]["vectorized_ns_per_element"] == pytest.approx(2.0)
    assert rows[1]["vectorized_runs"] == 5 and rows[1]["lesson_loop_noisy"] is False


def test_sizes_past_the_sweeps_time_cap_are_refused():
    result, _ = fake_sweep({"lesson_loop": 1e-6, "float_loop": 1e-6, "vectorized": 1e-9}, [10, 100])
    assert result.refused == ()
    import core.loops.sweep

    program = parse_program("y = x * 2")
    capped = core.loops.sweep.run_sweep(
        program, [10, 100], lambda n: {"x": torch.ones(n)}, device="cpu", threads=1, budget_s=0.01, max_total_s=0.0
    )
    assert [n for n, _ in capped.refused] == [10, 100]
    assert all(exc.code == "sweep_time_cap" for _, exc in capped.refused)


def test_a_large_first_size_is_predicted_from_a_calibration_run_not_run_blind():
    per_element = {"lesson_loop": 1e-4, "float_loop": 1e-6, "vectorized": 1e-9}
    result, engine = fake_sweep(per_element, [1_000_000], budget_s=0.5)
    lesson = result.point("lesson_loop", 1_000_000)
    assert not lesson.measured and lesson.median == pytest.approx(100.0)  # 1e-4 s x 10^6, estimated
    assert ("lesson_loop", 100, 0.5) in engine.calls  # the calibration, at 100 elements
    assert ("lesson_loop", 1_000_000, 0.5) not in engine.calls
    assert not result.point("float_loop", 1_000_000).measured  # 1e-6 s x 10^6 = 1 s > 0.5 s: estimated too
    assert result.point("vectorized", 1_000_000).measured


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("y = x > 0", "loops_output"),
        ("y = torch.where(x > 0, 1, 0)", "loops_output"),
        ("y = 2 * 3", "not_a_tensor"),
        ("y = x.sqrt()\nz = 5", "not_a_tensor"),
        ("y = x.clamp()", "runtime"),
        ("y = x.sin(1)", "runtime"),
    ],
)
def test_programs_the_loops_cannot_rebuild_are_refused_with_a_reason(text, code):
    implementations = build_implementations(parse_program(text))
    with pytest.raises(ProgramError) as caught:
        check_agreement(implementations, {"x": torch.tensor([1.0, -2.0, 3.0])})
    assert caught.value.code == code


@pytest.mark.parametrize(
    "text", ["y = torch.max(x, 1)", "y = x.max(0)", "y = x.min(-1)", "y = x.max(0 + 0)", "y = torch.min(x, 2 * 0)"]
)
def test_max_and_min_along_a_dimension_are_reductions(text):
    with pytest.raises(ProgramError) as caught:
        build_implementations(parse_program(text))
    assert caught.value.code == "not_elementwise"


TWO_TENSOR_CALLS = {
    "y = torch.max(x, x * 0)": lambda x, w: torch.maximum(x, x * 0),
    "y = x.min(x - 1)": lambda x, w: torch.minimum(x, x - 1),
    "y = x.max(w)": lambda x, w: torch.maximum(x, w),
}


@pytest.mark.parametrize("text", TWO_TENSOR_CALLS)
def test_max_and_min_of_two_tensors_stay_elementwise(text):
    implementations = build_implementations(parse_program(text))
    inputs = {"x": torch.tensor([1.0, -2.0, 3.0]), "w": torch.tensor([0.5, 0.5, 0.5])}
    assert all(a.agrees for a in check_agreement(implementations, inputs))
    assert torch.equal(implementations.functions["lesson_loop"](inputs), TWO_TENSOR_CALLS[text](**inputs))


def test_a_for_loop_runs_element_by_element_but_an_if_is_refused_at_its_line():
    from core.loops.implementations import build_implementations, check_agreement
    from core.program import ProgramError, parse_program

    program = parse_program("y = x\nfor i in range(3):\n    y = y * 2 + i")
    x = torch.tensor([0.5, -1.0, 2.0])
    agreements = check_agreement(build_implementations(program), {"x": x})
    assert all(a.agrees for a in agreements)
    with pytest.raises(ProgramError) as caught:
        build_implementations(parse_program("y = x\nif y.sum() > 0:\n    y = y * 2"))
    assert (caught.value.code, caught.value.line) == ("branch_not_elementwise", 2)
