"""The challenges: one frozen record each, in the teacher's default order; texts live in the catalogs under
`challenges.<id>.*` (title, task, hint1, hint2), so a record holds only what the grader needs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import torch

from core.home.lesson import LESSON_CODE

TOPICS = ("predict", "vectorize", "autograd", "grad_modes", "compile", "train", "pitfall")
# how the learner answers: a tensor typed as printed, a program, a program with switches, one choice
ANSWERS = ("tensor", "program", "choice")

Values = tuple[float, ...]
Analytic = Callable[[Mapping[str, torch.Tensor]], dict[str, torch.Tensor]]


@dataclass(frozen=True, kw_only=True)
class Challenge:
    """One task: what the learner starts from, what the grader runs it on (shown and hidden inputs), and how it
    checks it (`check`, a catalog key under `challenges.check.`, with `params`)."""

    id: str  # url-safe: lowercase letters, digits and hyphens
    topic: str
    check: str
    answer: str  # one of ANSWERS
    start: str  # the starting program (for a tensor answer: the program whose print the learner predicts)
    start_options: tuple[str, ...] = ()
    solution: str  # a program, a typed tensor or a choice, as `answer` says
    solution_options: tuple[str, ...] = ()
    options: tuple[str, ...] = ()  # the switches a learner may set (inputs that require grad, retain_graph, a mode)
    choices: tuple[str, ...] = ()  # for a choice answer
    inputs: tuple[Values, ...] = ()  # x values the learner sees
    hidden: tuple[Values, ...] = ()  # x values the learner never sees; the check runs on them too
    seeds: tuple[int, ...] = ()  # for random inputs (sizes in params): shown first, the rest hidden
    params: tuple[tuple[str, float], ...] = ()  # the check's thresholds, e.g. min_speedup, n, steps, accuracy
    analytic: Analytic | None = field(default=None, repr=False, compare=False)  # gradients, in float64

    @property
    def hints(self) -> tuple[str, str]:
        """The two hints' catalog keys, shown before the solution."""
        return (f"challenges.{self.id}.hint1", f"challenges.{self.id}.hint2")

    @property
    def title(self) -> str:
        return f"challenges.{self.id}.title"

    @property
    def task(self) -> str:
        return f"challenges.{self.id}.task"

    def param(self, name: str) -> float:
        return dict(self.params)[name]


def _double(values: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {name: t.detach().double() for name, t in values.items()}


def _lesson_gradient(values):
    """d/dx sum((2x + 5)^2 − 10) = 4·(2x + 5)."""
    return {"x": 4 * (2 * _double(values)["x"] + 5)}


def _leaf_gradient(values):
    """loss = sum(x·w + b): d/dw = x, d/db = 1."""
    x = _double(values)["x"]
    return {"w": x, "b": torch.ones_like(x)}


def _twice_gradient(values):
    """Two backward calls add up: 2 · 4·(2x + 5)."""
    return {"x": 8 * (2 * _double(values)["x"] + 5)}


LESSON_PROGRAM = "y = x * 2 + 5\nz = y ** 2 - 10"
LESSON_X = tuple(float(v) for v in LESSON_CODE.split("torch.tensor([", 1)[1].split("]", 1)[0].split(","))
BRANCH_PROGRAM = "y = x * 2 + 5\nif y.sum() > 0:\n    z = y ** 2\nelse:\n    z = -y"
TRAIN_START = "h = x @ W1 + b1\nout = h @ W2 + b2"


def _line_hunt(challenge_id: str, *, solution: str) -> Challenge:
    """A pitfall hunt: the learner names the line of a training loop (core.challenges.checks.PITFALL_LOOPS) that
    makes it silently wrong."""
    return Challenge(id=challenge_id, topic="pitfall", check="line", answer="choice", start="", solution=solution)


CHALLENGES: tuple[Challenge, ...] = (
    Challenge(
        id="predict-lesson",
        topic="predict",
        check="predict",
        answer="tensor",
        start=LESSON_PROGRAM,
        solution="tensor([ 39.,  71., 111.])",
        inputs=(LESSON_X,),
    ),
    Challenge(
        id="predict-mean",
        topic="predict",
        check="predict",
        answer="tensor",
        start="m = x.mean()\nz = (x - m) ** 2",
        solution="tensor([4., 1., 0., 9.])",
        inputs=((1.0, 2.0, 3.0, 6.0),),
    ),
    Challenge(
        id="vectorize-loop",
        topic="vectorize",
        check="vectorize",
        answer="program",
        start="y = x",
        solution="y = x * 2 + 5",
        hidden=((-3.0, 0.0, 0.5, 1000.0), (1e-3, -7.25)),
        seeds=(0, 7),
        params=(("n", 100_000), ("loop_n", 1_000), ("min_speedup", 100)),
    ),
    Challenge(
        id="autograd-scalar",
        topic="autograd",
        check="gradient",
        answer="program",
        start=LESSON_PROGRAM,
        start_options=("x",),
        solution=LESSON_PROGRAM + "\nloss = z.sum()",
        solution_options=("x",),
        inputs=(LESSON_X,),
        hidden=((-2.5, 0.0, 4.0, 10.0),),
        analytic=_lesson_gradient,
    ),
    Challenge(
        id="autograd-leaf",
        topic="autograd",
        check="gradient",
        answer="program",
        start="y = x * w + b\nloss = y.sum()",
        solution="y = x * w + b\nloss = y.sum()",
        solution_options=("w", "b"),
        options=("x", "w", "b"),
        inputs=(LESSON_X,),
        hidden=((-2.5, 0.0, 4.0, 10.0),),
        analytic=_leaf_gradient,
    ),
    Challenge(
        id="autograd-twice",
        topic="autograd",
        check="gradient_twice",
        answer="program",
        start="y = x * 2 + 5\nloss = (y ** 2).sum()",
        start_options=("x",),
        solution="y = x * 2 + 5\nloss = (y ** 2).sum()",
        solution_options=("x", "retain_graph"),
        options=("x", "retain_graph"),
        inputs=(LESSON_X,),
        hidden=((-2.5, 0.0, 4.0, 10.0),),
        analytic=_twice_gradient,
    ),
    Challenge(
        id="autograd-inplace",
        topic="autograd",
        check="inplace",
        answer="choice",
        start="",
        solution="a",
        choices=("a", "b", "c"),
        inputs=(LESSON_X,),
        hidden=((-2.5, 0.0, 4.0, 10.0),),
    ),
    Challenge(
        id="grad-modes-inference",
        topic="grad_modes",
        check="saved_bytes",
        answer="program",
        start=LESSON_PROGRAM,
        start_options=("grad",),
        solution=LESSON_PROGRAM,
        solution_options=("inference_mode",),
        options=("grad", "no_grad", "inference_mode"),
        seeds=(0, 3),
        params=(("n", 1_000),),
    ),
    Challenge(
        id="compile-branch",
        topic="compile",
        check="capture",
        answer="program",
        start=BRANCH_PROGRAM,
        solution="y = x * 2 + 5\nz = torch.where(y.sum() > 0, y ** 2, -y)",
        inputs=(LESSON_X,),
        hidden=((-9.0, -4.0, -3.0), (-1.0, -2.0, 1.0)),
    ),
    Challenge(
        id="train-spiral",
        topic="train",
        check="accuracy",
        answer="program",
        start=TRAIN_START,
        solution="h = torch.sin(x @ W1 * 10 + b1 * 3)\nout = h @ W2 + b2",
        seeds=(1,),
        params=(("steps", 1_000), ("accuracy", 0.95), ("width", 64), ("batch", 100), ("noise", 5), ("every", 100)),
    ),
    _line_hunt("pitfall-zero-grad", solution="6"),
    _line_hunt("pitfall-eval-grad", solution="6"),
    _line_hunt("pitfall-dropout", solution="5"),
)

BY_ID: dict[str, Challenge] = {challenge.id: challenge for challenge in CHALLENGES}
IDS: tuple[str, ...] = tuple(BY_ID)


def challenge_of(challenge_id: str) -> Challenge:
    """The challenge called `challenge_id`.

    Raises:
        KeyError: for an unknown id.
    """
    return BY_ID[challenge_id]
