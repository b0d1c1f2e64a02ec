"""Making x and summarising large tensors, against PyTorch computed directly."""

import pytest
import torch

from core.limits import SizeLimitError
from core.tensors import (
    MAX_RANDOM_N,
    InputError,
    parse_values,
    program_inputs,
    random_input,
    sample_indices,
    summarize,
    typed_input,
)


def test_parse_values_accepts_numbers_in_any_float_notation():
    assert parse_values(" 1, 2.5 ,-3e2,  .5") == (1.0, 2.5, -300.0, 0.5)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "values_empty"),
        (" , ", "values_empty"),
        ("1, two", "value_not_number"),
        ("1, nan", "value_not_number"),
        ("inf", "value_not_number"),
        ("1,,2", "value_not_number"),
        (",".join(["1"] * 1001), "values_too_many"),
    ],
)
def test_parse_values_refuses_what_is_not_a_list_of_finite_numbers(text, code):
    with pytest.raises(InputError) as caught:
        parse_values(text)
    assert caught.value.code == code


def test_typed_input_uses_dtype_and_device():
    x = typed_input((1.0, 2.0), "float64", "cpu")
    assert torch.equal(x, torch.tensor([1.0, 2.0], dtype=torch.float64))


def test_random_input_is_reproducible_from_the_seed():
    a = random_input(100, "float32", "cpu", seed=7)
    b = random_input(100, "float32", "cpu", seed=7)
    expected = torch.randn(100, generator=torch.Generator().manual_seed(7))
    assert torch.equal(a, b) and torch.equal(a, expected)
    assert not torch.equal(a, random_input(100, "float32", "cpu", seed=8))
    assert random_input(10, "bfloat16", "cpu", seed=7).dtype == torch.bfloat16


def test_random_input_refuses_bad_sizes_before_allocating():
    with pytest.raises(InputError):
        random_input(0, "float32", "cpu", seed=0)
    with pytest.raises(InputError):
        random_input(MAX_RANDOM_N + 1, "float32", "cpu", seed=0)
    with pytest.raises(SizeLimitError):
        random_input(MAX_RANDOM_N, "float64", "cpu", seed=0, copies=10**6)


def test_summary_figures_match_torch():
    x = torch.randn(10_000, generator=torch.Generator().manual_seed(1))
    summary = summarize(x, bins=20)
    as64 = x.double()
    assert summary.numel == 10_000
    assert summary.minimum == as64.min().item() and summary.maximum == as64.max().item()
    assert summary.mean == pytest.approx(as64.mean().item()) and summary.std == pytest.approx(as64.std().item())
    assert summary.first == tuple(as64[:8].tolist())
    assert sum(summary.counts) == 10_000 and len(summary.bin_edges) == 21
    assert summary.counts == tuple(int(c) for c in torch.histc(as64, 20, as64.min().item(), as64.max().item()))


def test_summary_of_a_constant_tensor_has_one_filled_bin():
    summary = summarize(torch.full((50,), 3.0), bins=5)
    assert sum(summary.counts) == 50 and summary.minimum == summary.maximum == 3.0


def test_sample_indices_are_evenly_spaced_with_both_ends():
    assert sample_indices(5, 30) == (0, 1, 2, 3, 4)
    indices = sample_indices(1000, 11)
    assert indices == (0, 100, 200, 300, 400, 500, 599, 699, 799, 899, 999)


def test_extra_inputs_come_from_the_seed_with_xs_shape_and_dtype():
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    inputs = program_inputs(("x", "b"), x, seed=5)
    assert set(inputs) == {"x", "b"}
    expected_b = torch.randn(3, generator=torch.Generator().manual_seed(7)).double()
    assert torch.equal(inputs["b"], expected_b)
    both = program_inputs(("x", "w", "b"), x, seed=5)
    assert torch.equal(both["b"], inputs["b"])  # b does not depend on whether w is used
    assert both["w"].shape == x.shape and both["w"].dtype == torch.float64
