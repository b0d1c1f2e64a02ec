"""The training page's parameters: the data, the model, the optimizer, the step reached, the phase, the pitfall;
and the run (TrainConfig) they describe."""

from __future__ import annotations

from dataclasses import dataclass

from core.program import MAX_TEXT_CHARS
from core.settings import Settings
from core.spec import Choice, Float, Int, Text, param, spec_of
from core.train import datasets, models
from core.train.loop import DEFAULT_BATCH, DEFAULT_LR, MAX_BATCH, MAX_LR, MAX_STEPS, MIN_LR, OPTIMIZERS, TrainConfig
from core.train.phases import PHASES
from core.train.pitfalls import PITFALLS


@dataclass(frozen=True, kw_only=True)
class TrainState:
    """A training run and where the page stands in it."""

    data: str = param(Choice(choices=datasets.DATASETS), "circle", "the dataset", aliases=("--dataset",))
    points: int = param(Int(low=datasets.MIN_POINTS, high=datasets.MAX_POINTS), datasets.DEFAULT_POINTS, "points")
    noise: int = param(Int(low=0, high=datasets.MAX_NOISE), datasets.DEFAULT_NOISE, "noise, % of the data's scale")
    test: int = param(
        Int(low=datasets.MIN_TEST, high=datasets.MAX_TEST),
        datasets.DEFAULT_TEST,
        "test split, % of the points",
        aliases=("--test-percent",),
    )
    model: str = param(Choice(choices=models.MODELS), "mlp", "mlp, dynamic (depth per batch) or program (forward)")
    units: int = param(
        Int(low=1, high=models.MAX_WIDTH), models.DEFAULT_WIDTH, "units per hidden layer", aliases=("--width",)
    )
    layers: int = param(Int(low=1, high=models.MAX_DEPTH), models.DEFAULT_DEPTH, "hidden layers", aliases=("--depth",))
    act: str = param(Choice(choices=tuple(models.ACTIVATIONS)), "tanh", "the activation", aliases=("--activation",))
    opt: str = param(Choice(choices=OPTIMIZERS), "adam", "the optimizer", aliases=("--optimizer",))
    lr: float = param(Float(low=MIN_LR, high=MAX_LR), DEFAULT_LR, "the learning rate")
    bs: int = param(Int(low=1, high=MAX_BATCH), DEFAULT_BATCH, "the batch size", aliases=("--batch",))
    forward: str = param(Text(high=MAX_TEXT_CHARS), models.DEFAULT_PROGRAM, "the forward program (model=program)")
    steps: int = param(Int(low=0, high=MAX_STEPS), 0, "the step reached")
    phase: int = param(Int(low=0, high=len(PHASES)), 0, "the phase of the next step shown (0: none)")
    pitfall: str = param(Choice(choices=PITFALLS), PITFALLS[0], "the training pitfall shown")


SPEC = spec_of(TrainState, "train")


def config_of(state: TrainState, settings: Settings) -> TrainConfig:
    """The run a state describes (the forward program only counts for model=program)."""
    return TrainConfig(
        dataset=state.data,
        points=state.points,
        noise=state.noise,
        test_percent=state.test,
        model=state.model,
        width=state.units,
        depth=state.layers,
        activation=state.act,
        optimizer=state.opt,
        lr=state.lr,
        batch=state.bs,
        program=state.forward if state.model == "program" else models.DEFAULT_PROGRAM,
        seed=settings.seed,
        device=settings.device,
        dtype=settings.dtype,
    )
