"""The eager training loop, chunk by chunk: a run is a pure function of (config, steps).

The state between chunks is plain bytes (`torch.save` of the model's and optimizer's state dicts), so it crosses
process boundaries; batches come from the step number alone (epoch e shuffles with a generator seeded by the seed
and e), so training 300 steps in one chunk or in three gives exactly the same curve.
"""

from __future__ import annotations

import dataclasses
import io
import math
import time
from dataclasses import dataclass, field

import torch
from torch import nn

from core.script_parts.training import batch_order
from core.train import datasets, models
from core.train.datasets import EXTENT, Dataset, make_dataset
from core.train.models import DEFAULT_PROGRAM

OPTIMIZERS = ("adam", "sgd")
MOMENTUM = 0.9  # SGD's momentum
MIN_LR, MAX_LR, DEFAULT_LR = 1e-4, 1.0, 0.03
MAX_BATCH, DEFAULT_BATCH = 1000, 32
MAX_STEPS = 5000
EVAL_EVERY = 10  # test loss, accuracy and layer norms at every step that is a multiple of this
GRID = 60  # the decision boundary: GRID x GRID predictions
CURVE_POINTS = 200  # the fitted sine: this many x


@dataclass(frozen=True, kw_only=True)
class TrainConfig:
    """Everything a run depends on: data, model, optimizer, seed (with device and dtype)."""

    dataset: str = "circle"
    points: int = datasets.DEFAULT_POINTS
    noise: int = datasets.DEFAULT_NOISE
    test_percent: int = datasets.DEFAULT_TEST
    model: str = "mlp"
    width: int = models.DEFAULT_WIDTH
    depth: int = models.DEFAULT_DEPTH
    activation: str = "tanh"
    optimizer: str = "adam"
    lr: float = DEFAULT_LR
    batch: int = DEFAULT_BATCH
    program: str = DEFAULT_PROGRAM
    seed: int = 0
    device: str = "cpu"
    dtype: str = "float32"
    zero_grad: bool = True  # False only in the pitfall that forgets it


@dataclass(frozen=True, kw_only=True)
class EvalPoint:
    """The model after `step` steps: losses on both splits, accuracies (None for regression), layer norms."""

    step: int
    train_loss: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None
    weight_norms: tuple[float, ...] = ()
    grad_norms: tuple[float, ...] = ()  # of the gradients the last step used (zeros at step 0)


@dataclass(frozen=True, kw_only=True)
class ChunkResult:
    """Steps `start` < s <= `end`: per step its batch loss, autograd node count and depth; evaluations; the view."""

    start: int
    end: int
    losses: tuple[float, ...]
    nodes: tuple[int, ...]
    depths: tuple[int, ...]
    evals: tuple[EvalPoint, ...]  # at steps that are multiples of EVAL_EVERY (step 0 included)
    final: EvalPoint
    layers: tuple[str, ...]
    view: tuple[float, ...]  # GRID*GRID probabilities (row-major, y then x), or CURVE_POINTS fitted values
    steps_per_epoch: int
    state: bytes = field(repr=False)
    points: tuple[tuple[float, float, float, bool], ...] = field(default=(), repr=False)  # (x1, x2 or 0, y, in test)
    diverged: int | None = None  # the first step whose loss or parameters were no longer finite (inf or NaN)


def count_nodes(root) -> int:
    """Nodes of the autograd graph behind `root` (a grad_fn), found by walking next_functions."""
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        stack.extend(next_node for next_node, _ in node.next_functions)
    return len(seen)


class Trainer:
    """The model, its optimizer and the data of one config, at some step; `run(steps)` trains on."""

    def __init__(self, config: TrainConfig, state: bytes | None = None) -> None:
        self.config = config
        data = make_dataset(config.dataset, config.points, config.noise, config.test_percent, config.seed)
        kind = {"device": config.device, "dtype": getattr(torch, config.dtype)}
        self.data = Dataset(
            name=data.name,
            x_train=data.x_train.to(**kind),
            y_train=data.y_train.to(**kind),
            x_test=data.x_test.to(**kind),
            y_test=data.y_test.to(**kind),
        )
        model = models.build_model(
            config.model, data.in_features, config.width, config.depth, config.activation, config.program, config.seed
        )
        self.model = model.to(**kind)
        self.loss_fn = nn.BCEWithLogitsLoss() if data.classification else nn.MSELoss()
        if config.optimizer == "adam":
            self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        else:
            self.optimizer = torch.optim.SGD(self.model.parameters(), lr=config.lr, momentum=MOMENTUM)
        self.step = 0
        if state is not None:
            saved = torch.load(io.BytesIO(state), weights_only=True)
            self.model.load_state_dict(saved["model"])
            self.optimizer.load_state_dict(saved["optimizer"])
            self.step = saved["step"]
            for parameter, grad in zip(self.model.parameters(), saved["grads"], strict=True):
                parameter.grad = grad  # kept: without zero_grad they accumulate across chunks too

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.data.x_train) / min(self.config.batch, len(self.data.x_train)))

    def batch_indices(self, step: int) -> torch.Tensor:
        """The indices of step `step`'s batch (1-based): epoch e's own shuffle, sliced (the page's script runs the
        same batch_order)."""
        return batch_order(step, len(self.data.x_train), self.config.batch, self.config.seed)

    def batch(self, step: int) -> tuple[torch.Tensor, torch.Tensor]:
        chosen = self.batch_indices(step).to(self.data.x_train.device)
        return self.data.x_train[chosen], self.data.y_train[chosen]

    def train_step(self) -> tuple[torch.Tensor, int]:
        """One iteration of the loop the page shows; its loss stays a tensor (no .item(): no sync per step)."""
        self.step += 1
        x, y = self.batch(self.step)
        if self.config.zero_grad:
            self.optimizer.zero_grad()
        output = self.model(x)
        loss = self.loss_fn(output, y)
        nodes = count_nodes(loss.grad_fn)
        loss.backward()
        self.optimizer.step()
        return loss.detach(), nodes

    def evaluate(self, with_norms: bool = True) -> EvalPoint:
        """Both splits under torch.no_grad(), in eval mode; the layers' weight and gradient norms."""
        self.model.eval()
        with torch.no_grad():
            train = self._scores(self.data.x_train, self.data.y_train)
            test = self._scores(self.data.x_test, self.data.y_test)
        self.model.train()
        weights, grads = self.norms() if with_norms else ((), ())
        return EvalPoint(
            step=self.step,
            train_loss=train[0],
            test_loss=test[0],
            train_accuracy=train[1],
            test_accuracy=test[1],
            weight_norms=weights,
            grad_norms=grads,
        )

    def _scores(self, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float | None]:
        output = self.model(x)
        loss = float(self.loss_fn(output, y))
        if not self.data.classification:
            return loss, None
        return loss, float(((output > 0).to(y.dtype) == y).float().mean())

    def layers(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.model.named_parameters())

    def norms(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """Per parameter tensor: the norm of its values and of its gradient (0 where it has none yet)."""
        parameters = list(self.model.parameters())
        weights = torch.stack([p.detach().norm() for p in parameters]).tolist()
        grads = torch.stack([p.grad.norm() if p.grad is not None else p.new_zeros(()) for p in parameters]).tolist()
        return tuple(weights), tuple(grads)

    def view(self) -> tuple[float, ...]:
        """The model's predictions where the page draws them: probabilities on the grid, or the fitted curve."""
        self.model.eval()
        with torch.no_grad():
            if self.data.classification:
                axis = torch.linspace(-EXTENT, EXTENT, GRID)
                grid_y, grid_x = torch.meshgrid(axis, axis, indexing="ij")
                points = torch.stack([grid_x.reshape(-1), grid_y.reshape(-1)], dim=1)
                values = torch.sigmoid(self.model(points.to(self.data.x_train)))
            else:
                values = self.model(curve_x().unsqueeze(1).to(self.data.x_train))
        self.model.train()
        return tuple(values.float().reshape(-1).cpu().tolist())

    def points(self) -> tuple[tuple[float, float, float, bool], ...]:
        """The dataset as plain numbers for the chart: (x1, x2 (0 for the sine), y, whether it is a test point)."""
        rows = []
        for x, y, test in ((self.data.x_train, self.data.y_train, False), (self.data.x_test, self.data.y_test, True)):
            x = torch.cat([x, x.new_zeros(len(x), 1)], dim=1) if x.shape[1] == 1 else x
            rows += [(a, b, c, test) for (a, b), (c,) in zip(x.float().tolist(), y.float().tolist(), strict=True)]
        return tuple(rows)

    def parameters_finite(self) -> bool:
        """Whether every parameter is still a finite number (one sync for all of them)."""
        return bool(torch.stack([torch.isfinite(p.detach()).all() for p in self.model.parameters()]).all())

    def state_bytes(self) -> bytes:
        buffer = io.BytesIO()
        saved = {"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(), "step": self.step}
        saved["grads"] = [p.grad for p in self.model.parameters()]
        torch.save(saved, buffer)
        return buffer.getvalue()


def steps_per_epoch(config: TrainConfig) -> int:
    """Batches in one pass over the training split (the last one may be smaller)."""
    test = max(1, round(config.points * config.test_percent / 100))
    train = config.points - test
    return math.ceil(train / min(config.batch, train))


def merge(before: ChunkResult, after: ChunkResult) -> ChunkResult:
    """One history from two consecutive chunks (`after` continues from `before`'s state)."""
    if after.start != before.end:
        raise ValueError("chunks must be consecutive")
    return dataclasses.replace(
        after,
        start=before.start,
        losses=before.losses + after.losses,
        nodes=before.nodes + after.nodes,
        depths=before.depths + after.depths,
        evals=before.evals + after.evals,
        diverged=before.diverged if before.diverged is not None else after.diverged,
    )


def curve_x() -> torch.Tensor:
    return torch.linspace(-1.2, 1.2, CURVE_POINTS)


def train_chunk(config: TrainConfig, state: bytes | None, steps: int, seconds: float | None = None) -> ChunkResult:
    """`steps` more steps of `config` from `state` (None: from the seed), with everything the page draws; with
    `seconds`, fewer when that much time has passed (the live view's chunks), never fewer than one.

    Raises:
        ProgramError: when the learner's forward program is refused or fails.
        ValueError: for settings outside the limits.
    """
    trainer = Trainer(config, state)
    start = trainer.step
    if not 0 <= steps <= MAX_STEPS - start:
        raise ValueError(f"steps must keep the run within {MAX_STEPS}")
    losses, nodes, depths, evals = [], [], [], []
    if start == 0:
        evals.append(trainer.evaluate())
    started = time.perf_counter()
    for _ in range(steps):
        if seconds is not None and losses and time.perf_counter() - started > seconds:
            break
        loss, count = trainer.train_step()
        losses.append(loss)
        nodes.append(count)
        if config.model == "dynamic":
            depths.append(trainer.model.last_depth)
        if trainer.step % EVAL_EVERY == 0:
            evals.append(trainer.evaluate())
    loss_values = torch.stack(losses).float().tolist() if losses else []  # one sync for the whole chunk
    final = evals[-1] if evals and evals[-1].step == trainer.step else trainer.evaluate()
    diverged = next((start + 1 + i for i, loss in enumerate(loss_values) if not math.isfinite(loss)), None)
    if diverged is None and not trainer.parameters_finite():
        diverged = trainer.step  # the last update overflowed the weights before any loss could show it
    return ChunkResult(
        start=start,
        end=trainer.step,
        losses=tuple(loss_values),
        nodes=tuple(nodes),
        depths=tuple(depths),
        evals=tuple(evals),
        final=final,
        layers=trainer.layers(),
        view=trainer.view(),
        steps_per_epoch=trainer.steps_per_epoch,
        state=trainer.state_bytes(),
        points=trainer.points(),
        diverged=diverged,
    )
