"""The loops page's routines for scripts: the lesson's loop, and both implementations timed size by size."""

import functools
from collections.abc import Callable, Sequence

import torch

from core.script_parts.timer import median_seconds

AGREEMENT_N = 1000  # elements the loop and the vectorized call are compared on
CALIBRATION_N = 100  # elements the loop is timed on when a first size is past the limit


def lesson_loop(function: Callable[..., torch.Tensor], *inputs: torch.Tensor) -> torch.Tensor:
    """`function` on element i of every input, one i at a time as the lesson's loop does, rebuilt into one tensor."""
    x = inputs[0]
    results = []
    for i in range(len(x)):
        results.append(function(*(tensor[i] for tensor in inputs)))
    return torch.tensor(results, dtype=x.dtype, device=x.device)


def time_sizes(
    vectorized: Callable[..., torch.Tensor],
    make_inputs: Callable[[int], Sequence[torch.Tensor]],
    sizes: Sequence[int],
    budget_s: float,
    loop_limit: int,
) -> None:
    """Per size: how far the loop is from the vectorized call on (up to) the first 1000 elements, the vectorized
    call's time, and the loop's: measured up to `loop_limit` elements, estimated past it from its cost per element
    (the last measured size's, or 100 elements timed when none was)."""
    per_element = None
    for n in sizes:
        inputs = make_inputs(n)
        sample = [tensor[:AGREEMENT_N] for tensor in inputs]
        difference = (lesson_loop(vectorized, *sample).double() - vectorized(*sample).double()).abs().max().item()
        vectorized_s = median_seconds(functools.partial(vectorized, *inputs), budget_s)
        if n <= loop_limit:
            loop_s, how = median_seconds(functools.partial(lesson_loop, vectorized, *inputs), budget_s), "measured"
            per_element = loop_s / n
        else:
            if per_element is None:
                calibration = [tensor[:CALIBRATION_N] for tensor in inputs]
                loop = functools.partial(lesson_loop, vectorized, *calibration)
                per_element = median_seconds(loop, budget_s) / len(calibration[0])
            loop_s, how = per_element * n, "estimated"
        print(
            f"n={n}: lesson loop {loop_s:.3e} s ({how}), vectorized {vectorized_s:.3e} s, "
            f"speedup {loop_s / vectorized_s:,.0f}x, max abs difference {difference:g}"
        )
