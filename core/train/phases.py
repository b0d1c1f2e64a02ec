"""One iteration of the loop, one phase at a time, with what each phase changed.

The five phases are the five lines the page shows: zero_grad clears the gradients (to None), forward records the
graph, the loss adds its node, backward fills the .grad of every parameter the loss depends on (a layer the dynamic
model skipped keeps None), step moves the parameters that have a .grad. After each phase this records every
parameter's gradient norm (None when .grad is None) and how far the phase moved it.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from core.train.loop import TrainConfig, Trainer, count_nodes

PHASES = ("zero_grad", "forward", "loss", "backward", "step")
LOOP_CODE = (
    "for x, y in batches:",
    "    optimizer.zero_grad()",
    "    output = model(x)",
    "    loss = loss_fn(output, y)",
    "    loss.backward()",
    "    optimizer.step()",
)


@dataclass(frozen=True, kw_only=True)
class PhaseChange:
    """The state right after `phase`: per parameter its gradient's norm (None: no .grad) and how far it moved."""

    phase: str
    grads: tuple[float | None, ...]
    moved: tuple[float, ...]
    nodes: int | None  # the graph's nodes behind the newest tensor, once forward has run
    loss: float | None
    outputs: tuple[float, ...] = ()  # the first few outputs, once forward has run


@dataclass(frozen=True, kw_only=True)
class PhaseWalk:
    """Iteration `step` (1-based) phase by phase; `before` are the gradient norms the previous step left."""

    step: int
    layers: tuple[str, ...]
    before: tuple[float | None, ...]
    changes: tuple[PhaseChange, ...]


def _grads(parameters: list[torch.nn.Parameter]) -> tuple[float | None, ...]:
    return tuple(None if p.grad is None else float(p.grad.norm()) for p in parameters)


def phase_walk(config: TrainConfig, state: bytes | None) -> PhaseWalk:
    """The next iteration after `state`, each phase run and recorded exactly as Trainer.train_step runs it."""
    trainer = Trainer(config, state)
    parameters = list(trainer.model.parameters())
    step = trainer.step + 1
    x, y = trainer.batch(step)
    before = _grads(parameters)
    changes, output, loss = [], None, None
    for phase in PHASES:
        old = [p.detach().clone() for p in parameters]
        if phase == "zero_grad":
            trainer.optimizer.zero_grad()
        elif phase == "forward":
            output = trainer.model(x)
        elif phase == "loss":
            loss = trainer.loss_fn(output, y)
        elif phase == "backward":
            loss.backward()
        else:
            trainer.optimizer.step()
        newest = loss if loss is not None else output
        changes.append(
            PhaseChange(
                phase=phase,
                grads=_grads(parameters),
                moved=tuple(float((p.detach() - o).norm()) for p, o in zip(parameters, old, strict=True)),
                nodes=None if newest is None else count_nodes(newest.grad_fn),
                loss=None if loss is None else float(loss.detach()),
                outputs=() if output is None else tuple(output.detach().reshape(-1)[:4].float().tolist()),
            )
        )
    return PhaseWalk(step=step, layers=trainer.layers(), before=before, changes=tuple(changes))
