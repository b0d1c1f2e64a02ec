"""The challenges' routines for notebooks: the inputs the grader draws, and each check the page's grader makes, as
plain-PyTorch functions that raise AssertionError (with what was checked) until the learner's code is right.

core.challenges.reproduce copies them into a challenge's notebook and script with core.script_source.
"""

from collections.abc import Callable, Iterable, Mapping

import torch

from core.script_parts.autograd import gradient_agrees
from core.script_parts.capture import AsModule
from core.script_parts.grad_modes import saved_extra_bytes
from core.script_parts.timer import median_seconds
from core.script_parts.training import ProgramParameters, batch_order

INPUT_NAMES = ("x", "w", "b")


def drawn_inputs(x: torch.Tensor, seed: int) -> dict[str, torch.Tensor]:
    """x, and w and b of x's shape, each standard-normal from its own generator (seed + its position): the inputs
    the page's grader draws for a program (core.tensors.program_inputs)."""
    inputs = {"x": x}
    for offset, name in enumerate(INPUT_NAMES[1:], 1):
        generator = torch.Generator().manual_seed((seed + offset) % 2**63)
        inputs[name] = torch.randn(x.shape, generator=generator, dtype=torch.float32).to(x.dtype)
    return inputs


def seeded_x(n: int, seed: int) -> torch.Tensor:
    """x of `n` standard-normal values from `seed` (core.tensors.random_input on the CPU, in float32)."""
    return torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float32)


def assert_close(value: torch.Tensor, expected: torch.Tensor, rtol: float, atol: float) -> None:
    """The learner's value against the expected one: the same shape, and equal within the dtype's tolerance."""
    assert value.shape == expected.shape, f"shape {tuple(value.shape)}, expected {tuple(expected.shape)}"
    value = value.to(expected.dtype)
    assert torch.allclose(value, expected, rtol=rtol, atol=atol), f"\n{value}\nexpected\n{expected}"


def assert_gradients(leaves: Mapping[str, torch.Tensor], analytic: Mapping[str, torch.Tensor]) -> None:
    """Each leaf's .grad against its analytic gradient (float64)."""
    for name, expected in analytic.items():
        gradient = leaves[name].grad
        assert gradient is not None, f"{name}.grad is None: {name} needs requires_grad=True"
        assert gradient_agrees(gradient, expected), f"{name}.grad\n{gradient}\nexpected\n{expected}"


def assert_vectorized(
    vectorized: Callable[[torch.Tensor], torch.Tensor],
    loop: Callable[[torch.Tensor], torch.Tensor],
    sizes: tuple[int, int],
    seeds: Iterable[int],
    tolerance: tuple[float, float],
    min_speedup: float,
    budget_s: float,
) -> float:
    """Equal to the loop on x of the loop's size from each seed, then at least `min_speedup` times faster at n: the
    loop timed at `loop_n` elements and scaled to n by its per-element cost, `vectorized` timed at n. The speedup."""
    n, loop_n = sizes
    seeds = tuple(seeds)
    for seed in seeds:
        x = seeded_x(loop_n, seed)
        assert_close(vectorized(x), loop(x), *tolerance)
    small, big = seeded_x(loop_n, seeds[0]), seeded_x(n, seeds[0])
    loop_s = median_seconds(lambda: loop(small), budget_s)
    vectorized_s = median_seconds(lambda: vectorized(big), budget_s)
    speedup = loop_s / loop_n * n / vectorized_s
    print(f"{speedup:,.0f}x faster than the loop at n = {n:,}")
    assert speedup >= min_speedup, f"{speedup:,.0f}x faster: at least {min_speedup:,.0f}x is needed"
    return speedup


def assert_saves_nothing(
    forward: Callable[[torch.Tensor], torch.Tensor],
    reference: Callable[[torch.Tensor], torch.Tensor],
    context: Callable,
    x: torch.Tensor,
    tolerance: tuple[float, float],
) -> None:
    """`forward(x)` under `context()` (x requires grad): autograd must save 0 bytes beyond what exists anyway (the
    grad-modes page's ledger), and the output equal `reference` on x."""
    output, extra = saved_extra_bytes(lambda: forward(x), context, (x,))
    print(f"autograd saved {extra:,} bytes for backward")
    assert extra == 0, f"autograd saved {extra:,} bytes for a backward that never comes"
    assert_close(output.detach().clone(), reference(x.detach()), *tolerance)


def assert_captured(
    function: Callable[[torch.Tensor], torch.Tensor],
    reference: Callable[[torch.Tensor], torch.Tensor],
    xs: Iterable[torch.Tensor],
    tolerance: tuple[float, float],
) -> None:
    """One graph under torch.compile(fullgraph=True) and torch.export, and the compiled function equal to
    `reference` run eagerly on every x; a graph break or an export refusal fails the check with PyTorch's reason."""
    xs = tuple(xs)
    torch._dynamo.reset()
    compiled = torch.compile(function, fullgraph=True, backend="eager")
    try:
        compiled(xs[0])
        torch.export.export(AsModule(function), (xs[0],))
    except Exception as exc:  # noqa: BLE001 - whatever Dynamo or export refuses is the check's failure
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise AssertionError(f"not one graph: {type(exc).__name__}: {reason}") from None
    for x in xs:
        assert_close(compiled(x), reference(x), *tolerance)


class ForwardModel(ProgramParameters):
    """The training page's parameters W1, b1, W2, b2 (from the seed) around the learner's `forward(x, W1, b1, W2,
    b2)`; one output per point, as the page's ProgramModel."""

    def __init__(self, forward: Callable[..., torch.Tensor], in_features: int, width: int, seed: int) -> None:
        super().__init__(in_features, width, seed)
        self.function = forward

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.function(x, self.W1, self.b1, self.W2, self.b2).reshape(x.shape[0], 1)


def train_until(
    model: torch.nn.Module,
    splits: tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor],
    goal: float,
    steps: tuple[int, int],
    batch: int,
    seed: int,
    lr: float,
) -> tuple[int | None, float]:
    """The page's trainer (Adam, BCEWithLogitsLoss, its batches) for at most `steps[0]` steps, the test accuracy
    measured every `steps[1]` steps in eval mode under no_grad: (the first step it reached `goal`, or None; the
    last accuracy)."""
    x_train, y_train, x_test, y_test = splits
    total, every = steps
    loss_fn = torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    accuracy = 0.0
    for step in range(1, total + 1):
        chosen = batch_order(step, len(x_train), batch, seed)
        optimizer.zero_grad()
        loss_fn(model(x_train[chosen]), y_train[chosen]).backward()
        optimizer.step()
        if step % every == 0:
            model.eval()
            with torch.no_grad():
                accuracy = ((model(x_test) > 0).to(y_test.dtype) == y_test).float().mean().item()
            model.train()
            if accuracy >= goal:
                return step, accuracy
    return None, accuracy


def assert_accuracy(reached: int | None, accuracy: float, goal: float, steps: int) -> None:
    """Passed when the test accuracy reached `goal` within `steps` steps."""
    if reached is not None:
        print(f"test accuracy {accuracy:.1%} at step {reached}")
    assert reached is not None, f"test accuracy {accuracy:.1%} after {steps:,} steps: {goal:.0%} is needed"


def assert_choice(
    answer: object,
    fixes: Mapping[str, Callable[[torch.Tensor], torch.Tensor]],
    x: torch.Tensor,
    analytic: Callable[[torch.Tensor], torch.Tensor],
) -> None:
    """The chosen fix, run live: it must run and give the analytic gradient."""
    choice = str(answer).strip().lower()
    assert choice in fixes, f"answer one of {', '.join(fixes)}"
    try:
        gradient = fixes[choice](x)
    except RuntimeError as exc:
        raise AssertionError(f"fix {choice} fails: {str(exc).splitlines()[0]}") from None
    assert gradient_agrees(gradient, analytic(x)), f"fix {choice} gives\n{gradient}\nexpected\n{analytic(x)}"


def assert_line(answer: object, line: int, lines: int) -> None:
    """The chosen line (1-based, the `def` line first) against the line where the loop goes wrong."""
    text = str(answer).strip()
    assert text.isdigit() and 1 <= int(text) <= lines, f"answer a line number from 1 to {lines}"
    assert int(text) == line, f"line {text} is not where it goes wrong"
