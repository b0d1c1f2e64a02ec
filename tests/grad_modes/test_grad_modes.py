"""Grad modes: the saved-bytes ledger against arithmetic from shapes and dtype, flags per mode, consequences."""

import pytest
import torch

from core.cases import run_demo
from core.grad_modes.cases import GRAD_MODE_CASES
from core.grad_modes.modes import (
    MODES,
    build_mlp,
    compare_modes,
    mlp_workload,
    peak_extra_bytes,
    program_workload,
    saved_ledger,
    scaling,
)
from core.limits import SizeLimitError
from core.program import DEFAULT_PROGRAM, parse_program
from core.tensors import InputError
from core.timing import Measurement


def fake_measure(fn, *, device, threads, budget_s):
    fn()
    return Measurement(median=1e-3, iqr=1e-5, runs=10, block_times=(1e-3,) * 10, threads=threads, device=device)


def test_default_program_ledger_is_y_alone():
    # y = x * 2 + 5; z = y ** 2 - 10: mul by a Python number saves no tensor, add and sub save nothing,
    # pow saves its base y: n float32 values, an activation that exists only for backward.
    n = 1000
    ledger, output = saved_ledger(program_workload(parse_program(DEFAULT_PROGRAM), n, "float32", "cpu", 0), "grad")
    assert (ledger.anyway_bytes, ledger.extra_bytes) == (0, n * 4)
    assert output.grad_fn is not None


def test_program_ledger_counts_inputs_saved_as_existing_anyway():
    # y = x * w saves both x and w (each needs the other's value): n * 8 bytes in float64, both inputs
    n = 100
    ledger, _ = saved_ledger(program_workload(parse_program("y = x * w"), n, "float64", "cpu", 0), "grad")
    assert (ledger.anyway_bytes, ledger.extra_bytes) == (2 * n * 8, 0)


def test_two_layer_mlp_ledger_matches_the_arithmetic_of_its_shapes():
    width, batch = 16, 8
    ledger, _ = saved_ledger(mlp_workload(width, 2, batch, "float32", "cpu", 0), "grad")
    # Linear 1 saves its input batch (batch x width) for weight 1's gradient: an input, exists anyway.
    # ReLU saves its output, and Linear 2 saves the same tensor as its input: batch x width, extra.
    # Linear 2 saves weight 2 (width x width) for the gradient w.r.t. its input: a parameter, exists anyway.
    # Weight 1 is not saved: nothing before Linear 1 needs a gradient.
    assert ledger.anyway_bytes == 4 * (batch * width + width * width)
    assert ledger.extra_bytes == 4 * batch * width


@pytest.mark.parametrize("mode", ["no_grad", "inference_mode"])
def test_no_grad_modes_save_nothing(mode):
    for workload in (
        program_workload(parse_program(DEFAULT_PROGRAM), 100, "float32", "cpu", 0),
        mlp_workload(8, 3, 4, "float32", "cpu", 0),
    ):
        ledger, output = saved_ledger(workload, mode)
        assert ledger.total_bytes == 0 and ledger.saved_count == 0
        assert not output.requires_grad and output.grad_fn is None
        assert output.is_inference() == (mode == "inference_mode")


def test_compare_modes_reports_flags_per_mode():
    results = compare_modes(
        mlp_workload(8, 2, 4, "float32", "cpu", 0), device="cpu", threads=1, budget_s=0.01, measure_fn=fake_measure
    )
    assert [r.mode for r in results] == list(MODES)
    grad, no_grad, inference = results
    assert grad.flags.requires_grad and grad.flags.grad_fn == "AddmmBackward0" and not grad.flags.is_inference
    assert no_grad.flags.grad_fn is None and not no_grad.flags.is_inference
    assert inference.flags.is_inference and inference.ledger.total_bytes == 0
    assert all(r.peak_extra_bytes is None for r in results)  # CPU: no allocator peak
    assert grad.time.median == 1e-3


def test_scaling_grows_linearly_with_the_batch():
    points = scaling(
        lambda b: mlp_workload(8, 2, b, "float32", "cpu", 0),
        (2, 4, 8),
        device="cpu",
        threads=1,
        budget_s=0.01,
        measure_fn=fake_measure,
    )
    extras = [p.ledger.extra_bytes for p in points]
    assert extras == [4 * 8 * b for b in (2, 4, 8)]
    assert [p.work for p in points] == [16, 32, 64]
    assert all(set(p.seconds) == set(MODES) for p in points)


def test_sizes_are_refused_before_allocating():
    # 8 x (4096^2 + 4096) parameters and 65536 x 4096 x 17 activations in float64, twice: about 75 GB
    with pytest.raises(SizeLimitError) as caught:
        mlp_workload(4096, 8, 65_536, "float64", "cpu", 0)
    assert caught.value.requested_bytes == 2 * 8 * (8 * (4096 * 4096 + 4096) + 65_536 * 4096 * 17)
    with pytest.raises(InputError):
        mlp_workload(5000, 1, 1, "float32", "cpu", 0)


def test_the_mlp_is_built_from_the_seed_without_touching_the_global_rng():
    state = torch.random.get_rng_state()
    a, b = build_mlp(4, 2, "float32", "cpu", 3), build_mlp(4, 2, "float32", "cpu", 3)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert torch.equal(torch.random.get_rng_state(), state)


def test_each_consequence_raises_pytorchs_error_and_its_fix_works():
    x = torch.tensor([1.0, 2.0, 3.0])
    outcomes = {case.key: (run_demo(case.broken, x), run_demo(case.fixed, x)) for case in GRAD_MODE_CASES}
    broken, fixed = outcomes["backward_after_no_grad"]
    assert broken.error_type == "RuntimeError" and "does not require grad" in broken.error
    assert fixed.printed == str(x)
    broken, fixed = outcomes["inference_tensor"]
    with torch.inference_mode():
        features = x * 2
    w = torch.ones_like(x, requires_grad=True)
    with pytest.raises(RuntimeError) as direct:
        (features * w).sum().backward()
    assert broken.error == str(direct.value)
    assert fixed.printed == str(x * 2)
    broken, fixed = outcomes["dropout_no_grad"]
    assert broken.printed.startswith("model.training: True") and "0." in broken.printed
    assert fixed.printed == "model.training: False\n" + str(torch.ones(8))


def test_the_output_itself_is_not_counted_as_extra():
    # exp saves its result, which is the output: it exists under every mode, so nothing extra is kept
    n = 50
    ledger, _ = saved_ledger(program_workload(parse_program("y = x.exp()"), n, "float32", "cpu", 0), "grad")
    assert (ledger.anyway_bytes, ledger.extra_bytes) == (n * 4, 0)


def test_an_mlp_with_too_much_work_per_forward_is_refused():
    with pytest.raises(InputError) as caught:
        mlp_workload(4096, 8, 4096, "float32", "cpu", 0)
    assert caught.value.code == "mlp_too_much_work"


def test_a_program_that_yields_no_tensor_is_refused_before_measuring():
    from core.program import ProgramError

    with pytest.raises(ProgramError) as caught:
        program_workload(parse_program("y = 2 * 3"), 10, "float32", "cpu", 0)
    assert caught.value.code == "not_a_tensor"


@pytest.mark.cuda
def test_cuda_peak_shows_what_grad_mode_keeps_alive():
    workload = mlp_workload(1024, 4, 256, "float32", "cuda", 0)
    peaks = {mode: peak_extra_bytes(workload, mode) for mode in MODES}
    ledger, _ = saved_ledger(workload, "grad")
    # no_grad frees each activation as soon as the next layer has read it; grad mode keeps them for backward
    assert peaks["grad"] > peaks["no_grad"] >= 0, (peaks, ledger)
    assert peaks["grad"] - peaks["no_grad"] >= ledger.extra_bytes // 2, (peaks, ledger)
