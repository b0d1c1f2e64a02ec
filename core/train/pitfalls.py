"""Training pitfalls, run for real: forgetting zero_grad, evaluating with grad tracking on, .item() every step,
and dropout left in training mode at evaluation."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import torch
from torch import nn

from core.grad_modes.modes import MODES, Workload, saved_ledger
from core.timing import DEFAULT_BUDGET_S, Measurement, measure
from core.train.loop import TrainConfig, Trainer

PITFALLS = ("zero_grad", "no_grad", "item", "dropout")
ZERO_GRAD_STEPS = 60
ITEM_STEPS = 20  # steps per timed call
DROPOUT, DROPOUT_STEPS = 0.5, 200


@dataclass(frozen=True, kw_only=True)
class ZeroGradRun:
    """The same run with and without zero_grad: per step, the batch loss and the norm of all gradients used."""

    losses: tuple[float, ...]
    grad_norms: tuple[float, ...]
    forgot_losses: tuple[float, ...]
    forgot_grad_norms: tuple[float, ...]


def total_grad_norm(model: nn.Module) -> float:
    """The norm of every parameter's gradient taken together (what clip_grad_norm_ reports)."""
    norms = [p.grad.norm() for p in model.parameters() if p.grad is not None]  # a skipped layer has none
    return float(torch.linalg.vector_norm(torch.stack(norms))) if norms else 0.0


def _series(config: TrainConfig, steps: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    trainer = Trainer(config)
    losses, norms = [], []
    for _ in range(steps):
        loss, _ = trainer.train_step()
        losses.append(float(loss))
        norms.append(total_grad_norm(trainer.model))
    return tuple(losses), tuple(norms)


def zero_grad_pitfall(config: TrainConfig, steps: int = ZERO_GRAD_STEPS) -> ZeroGradRun:
    """Without zero_grad, backward adds each batch's gradient to the last ones: SGD's updates grow every iteration,
    Adam's keep their size but follow the stale sum (tests/train/test_train.py checks both)."""
    fixed = _series(dataclasses.replace(config, zero_grad=True), steps)
    forgot = _series(dataclasses.replace(config, zero_grad=False), steps)
    return ZeroGradRun(losses=fixed[0], grad_norms=fixed[1], forgot_losses=forgot[0], forgot_grad_norms=forgot[1])


@dataclass(frozen=True, kw_only=True)
class EvalMemory:
    """Evaluating the model on the test split and the boundary grid under each grad mode: what autograd kept."""

    points: int
    modes: tuple[str, ...]
    extra_bytes: tuple[int, ...]  # saved for backward beyond the parameters, the inputs and the output
    total_bytes: tuple[int, ...]
    requires_grad: tuple[bool, ...]


def no_grad_pitfall(config: TrainConfig, state: bytes | None) -> EvalMemory:
    """Counted with torch.autograd.graph.saved_tensors_hooks (as the grad-modes page counts it)."""
    trainer = Trainer(config, state)
    grid = torch.rand(3600, trainer.data.in_features, generator=torch.Generator().manual_seed(config.seed)) * 3 - 1.5
    inputs = torch.cat([trainer.data.x_test, grid.to(trainer.data.x_test)])
    workload = Workload(
        name="eval",
        run=lambda: trainer.model(inputs),
        anyway=(*trainer.model.parameters(), inputs),
        work=len(inputs),
    )
    ledgers = [saved_ledger(workload, mode) for mode in MODES]
    return EvalMemory(
        points=len(inputs),
        modes=MODES,
        extra_bytes=tuple(ledger.extra_bytes for ledger, _ in ledgers),
        total_bytes=tuple(ledger.total_bytes for ledger, _ in ledgers),
        requires_grad=tuple(output.requires_grad for _, output in ledgers),
    )


@dataclass(frozen=True, kw_only=True)
class ItemCost:
    """`ITEM_STEPS` training steps timed two ways: .item() after every step, or the losses kept as tensors."""

    steps: int
    every_step: Measurement
    once: Measurement
    device: str


def item_pitfall(config: TrainConfig, budget_s: float = DEFAULT_BUDGET_S) -> ItemCost:
    """On a GPU .item() waits for the queued kernels (a synchronisation per step); on the CPU it only converts."""
    trainer = Trainer(config)

    def every_step() -> list[float]:
        return [trainer.train_step()[0].item() for _ in range(ITEM_STEPS)]

    def once() -> list[float]:
        return torch.stack([trainer.train_step()[0] for _ in range(ITEM_STEPS)]).tolist()

    timing = {"device": config.device, "budget_s": budget_s}
    return ItemCost(
        steps=ITEM_STEPS, every_step=measure(every_step, **timing), once=measure(once, **timing), device=config.device
    )


@dataclass(frozen=True, kw_only=True)
class DropoutEval:
    """A model with dropout evaluated twice on the test split in each mode: train mode draws new masks each time."""

    train_mode_losses: tuple[float, float]
    eval_mode_losses: tuple[float, float]
    train_mode_accuracy: float | None
    eval_mode_accuracy: float | None


def dropout_pitfall(config: TrainConfig) -> DropoutEval:
    """An MLP with dropout after each hidden layer, trained DROPOUT_STEPS steps, then evaluated in both modes."""
    trainer = Trainer(dataclasses.replace(config, model="mlp"))
    layers = []
    for layer in trainer.model:
        layers.append(layer)
        if not isinstance(layer, nn.Linear):
            layers.append(nn.Dropout(DROPOUT))
    trainer.model = nn.Sequential(*layers)
    with torch.random.fork_rng(devices=[]):  # dropout draws from the global generator: seed it, and put it back
        torch.manual_seed(config.seed)
        for _ in range(DROPOUT_STEPS):
            trainer.train_step()
        scores = {}
        for mode in ("train", "eval"):
            trainer.model.train(mode == "train")
            with torch.no_grad():
                scores[mode] = [trainer._scores(trainer.data.x_test, trainer.data.y_test) for _ in range(2)]
    return DropoutEval(
        train_mode_losses=tuple(loss for loss, _ in scores["train"]),
        eval_mode_losses=tuple(loss for loss, _ in scores["eval"]),
        train_mode_accuracy=scores["train"][0][1],
        eval_mode_accuracy=scores["eval"][0][1],
    )
