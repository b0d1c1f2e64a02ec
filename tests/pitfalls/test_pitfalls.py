"""Every pitfall's broken version does what the catalog says, its fix succeeds, and the shown code is what runs."""

import pytest
import torch

from core.cases import run_demo, source_of
from core.grad_modes.cases import GRAD_MODE_CASES
from core.pitfalls.mistakes import CASE_KEYS, PITFALLS, SYNC_TIMING, count_saved_bytes, loop_speedup, sync_timing

X = torch.tensor([1.0, 2.0, 3.0])
BY_KEY = {p.key: p for p in PITFALLS}


def outcomes(key):
    case = BY_KEY[key].case
    return run_demo(case.broken, X), run_demo(case.fixed, X)


def test_the_lessons_three_come_first_and_every_case_has_a_page():
    assert [p.lesson for p in PITFALLS[:3]] == [True, True, True]
    assert not any(p.lesson for p in PITFALLS[3:])
    assert CASE_KEYS[-1] == SYNC_TIMING and len(set(CASE_KEYS)) == len(CASE_KEYS) == 11
    assert all(p.page in {"loops", "autograd", "grad_modes"} for p in PITFALLS)


def test_unnecessary_loop_returns_the_same_tensor_as_its_fix():
    broken, fixed = outcomes("unnecessary_loop")
    assert broken.returned == fixed.returned == str(X * 2 + 5)
    assert not broken.failed and not fixed.failed


def test_forgetting_requires_grad_raises_pytorchs_error():
    broken, fixed = outcomes("forgot_requires_grad")
    with pytest.raises(RuntimeError) as direct:
        ((X * 2 + 5) - 10).mean().backward()
    assert (broken.error_type, broken.error) == ("RuntimeError", str(direct.value))
    assert fixed.printed == str(torch.full((3,), 2 / 3))


def test_inference_without_no_grad_keeps_real_bytes_that_no_grad_avoids():
    broken, fixed = outcomes("inference_without_no_grad")
    lines = broken.printed.splitlines()
    assert lines[0].startswith("y.grad_fn: <") and "Backward" in lines[0]
    saved = int(lines[1].rsplit(" ", 1)[1])
    # Linear(3, 64) saves its input x for W1's gradient; ReLU saves its 64 outputs, and Linear(64, 1) saves
    # that same tensor and its weight. x and the weight exist anyway: only the 64 ReLU outputs (float32)
    # exist for backward alone.
    assert saved == 64 * 4
    assert fixed.printed == "y.grad_fn: None\nbytes kept only for a backward that never comes: 0"


def test_forgetting_requires_grad_on_one_parameter_is_silently_wrong():
    pitfall = next(p for p in PITFALLS if p.key == "forgot_requires_grad")
    x = torch.tensor([1.0, 2.0, 3.0])
    outcome = run_demo(pitfall.also, x)
    assert not outcome.failed  # nothing raises...
    assert outcome.printed == f"w.grad: {x}\nb.grad: None"  # ...and b silently gets no gradient


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("non_scalar", "grad can be implicitly created only for scalar outputs"),
        ("backward_twice", "Trying to backward through the graph a second time"),
        ("inplace", "modified by an inplace operation"),
        ("inference_tensor", "Inference tensors cannot be saved for backward"),
    ],
)
def test_errors_raise_their_pytorch_message_and_fixes_succeed(key, message):
    broken, fixed = outcomes(key)
    assert broken.error_type == "RuntimeError" and message in broken.error
    assert not fixed.failed and fixed.printed


def test_non_leaf_grad_is_none_with_a_warning_and_retain_grad_fixes_it():
    broken, fixed = outcomes("non_leaf_grad")
    assert broken.printed == "None" and any("not a leaf Tensor" in w for w in broken.warnings)
    assert fixed.printed == str(2 * (X * 2 + 5))


def test_gradients_accumulate_unless_zeroed():
    broken, fixed = outcomes("accumulate")
    three = torch.full((3,), 3.0)
    assert broken.printed.splitlines() == [f"step 0: x.grad = {three}", f"step 1: x.grad = {2 * three}"]
    assert fixed.printed.splitlines() == [f"step 0: x.grad = {three}", f"step 1: x.grad = {three}"]


def test_the_bad_fix_silences_the_error_but_the_parameter_gets_no_gradient():
    broken, fixed = outcomes("bad_fix")
    assert not broken.failed and broken.printed == "w.grad: None"
    assert fixed.printed == f"w.grad: {X}"


def test_the_shown_source_is_the_source_that_runs():
    """The shown text is the function's lines in its module file, found by the code object that runs."""
    cases = [p.case for p in PITFALLS] + list(GRAD_MODE_CASES)
    for case in cases:
        for function in (case.broken, case.fixed):
            code = function.__code__
            with open(code.co_filename, encoding="utf-8") as fh:
                file_lines = fh.read().splitlines()
            shown = source_of(function).splitlines()
            assert shown == file_lines[code.co_firstlineno - 1 : code.co_firstlineno - 1 + len(shown)]
            assert shown[0] == f"def {function.__name__}(x):"
            body_lines = {line for _, _, line in code.co_lines() if line is not None}
            assert max(body_lines) == code.co_firstlineno + len(shown) - 1  # the shown text ends where the code does


def test_count_saved_bytes_counts_each_storage_once():
    w = torch.ones(5, requires_grad=True)
    with count_saved_bytes() as saved:
        (w * w).sum()  # mul saves both operands: the same storage, counted once
    assert saved.bytes == 5 * 4


def test_loop_speedup_times_the_shown_functions():
    result = loop_speedup(torch.randn(200), budget_s=0.05)
    assert result.n == 200 and result.loop_s > result.vectorized_s > 0 and result.speedup > 1


def test_sync_timing_reports_both_figures_and_their_ratio():
    # A single naive call on a shared CPU is noisy (a thread-pool wake-up can cost a millisecond), so the test
    # checks what is computed, not how close two timings land.
    result = sync_timing("cpu", torch.float32, size=64, threads=1)
    assert result.device == "cpu" and result.size == 64
    assert result.naive_s > 0 and result.synced_s > 0
    assert result.under_report == result.synced_s / result.naive_s


@pytest.mark.cuda
def test_sync_timing_on_cuda_shows_the_naive_timer_under_reporting():
    result = sync_timing("cuda", torch.float32)
    assert result.under_report > 2


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float64])
def test_every_fix_works_in_every_dtype(dtype):
    x = X.to(dtype)
    for pitfall in PITFALLS:
        fixed = run_demo(pitfall.case.fixed, x)
        assert not fixed.failed, (pitfall.key, dtype, fixed.error)


def test_demo_output_is_captured_per_call_without_touching_sys_stdout(monkeypatch):
    """Many sessions run demos at once: each call's print() goes to its own buffer, sys.stdout is never swapped."""
    import io
    import sys
    import threading

    from core.cases import run_demo

    swaps = []
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    original = sys.stdout

    def demo(x):
        print("value", x.sum().item())
        swaps.append(sys.stdout is not original)

    outcomes = {}

    def run(k: int) -> None:
        outcomes[k] = run_demo(demo, torch.full((3,), float(k)))

    threads = [threading.Thread(target=run, args=(k,)) for k in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {k: o.printed for k, o in outcomes.items()} == {k: f"value {3.0 * k}" for k in range(16)}
    assert not any(swaps) and original.getvalue() == ""
