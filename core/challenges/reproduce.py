"""A challenge in plain PyTorch: the set-up (inputs and the check's routines), the code the learner edits, and a check
cell that raises AssertionError until that code is right, judged as the page's grader judges where it can.

Built from the challenge's definition only, never from a learner's text: its programs are re-emitted from their
checked syntax tree (core.scripts.statement_lines), and the routines are real code (core/script_parts/challenges.py
and the grader's own functions) copied by core.script_source. Hidden inputs stay hidden: a notebook checks the
inputs the learner sees (and the shown seed), so passing it is necessary, not sufficient, for the page.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from core.cases import source_of
from core.challenges import cases
from core.challenges.answers import typed_tensor
from core.challenges.catalog import Challenge, challenge_of
from core.challenges.checks import PITFALL_LOOPS, bug_line
from core.challenges.inputs import tolerance
from core.pitfalls.mistakes import unnecessary_loop
from core.program import Program, parse_program
from core.script_parts import challenges as parts
from core.script_parts.training import noisy_split
from core.script_source import Routines, routines
from core.scripts import header, statement_lines
from core.settings import Settings
from core.timing import DEFAULT_BUDGET_S
from core.train import datasets, models
from core.train.loop import DEFAULT_LR

TOLERANCE = tolerance(torch.float32)  # the notebook runs in float32, the grader's default dtype
MODES = {"grad": "torch.enable_grad", "no_grad": "torch.no_grad", "inference_mode": "torch.inference_mode"}

Cells = tuple[str, str, str]  # (set-up, the learner's code, check)


def cells(challenge_id: str, *, solved: bool = False) -> Cells:
    """(set-up, starting code, check) of the challenge; with `solved`, its solution in place of the starting code.

    Raises:
        KeyError: for an unknown id.
    """
    challenge = challenge_of(challenge_id)
    setup, code, check = BUILDERS[challenge.check](challenge, solved)
    return setup, code, f"{check}\nprint({f'solved: {challenge.id}'!r})"  # said only once every assert has passed


def script(challenge_id: str, *, solved: bool = False) -> str:
    """The challenge as one script: set-up, the starting code (or the solution) and the check, in that order."""
    return "\n\n\n".join(cell.strip() for cell in cells(challenge_id, solved=solved)) + "\n"


def _setup(challenge: Challenge, found: Routines, glue: list[str]) -> str:
    settings = Settings(threads=1)
    lines = header(f"challenge {challenge.id}", settings, {"challenge": challenge.id}, found.imports)
    return "\n".join([*lines, *found.lines, *glue, ""])


def _values(values: tuple[float, ...]) -> str:
    return f"torch.tensor([{', '.join(repr(float(v)) for v in values)}])"


def _function(name: str, arguments: str, program: Program) -> str:
    """The program as a function `name(arguments)` returning its output."""
    body = [f"    {line}" for line in statement_lines(program)]
    return "\n".join([f"def {name}({arguments}):", *body, f"    return {program.output}"])


def _program(challenge: Challenge, solved: bool) -> Program:
    return parse_program(challenge.solution if solved else challenge.start)


def _predict(challenge: Challenge, solved: bool) -> Cells:
    program = parse_program(challenge.start)
    found = routines(parts.assert_close)
    setup = _setup(challenge, found, [f"x = {_values(challenge.inputs[0])}"])
    values = typed_tensor(challenge.solution, "float32").tolist() if solved else [0.0]
    starting = f"answer = torch.tensor({values!r})  # type what print({program.output}) shows"
    check = [*statement_lines(program), f"assert_close(answer, {program.output}, *{TOLERANCE!r})"]
    return setup, starting, "\n".join(check)


def _vectorize(challenge: Challenge, solved: bool) -> Cells:
    found = routines(unnecessary_loop, parts.assert_vectorized)
    sizes = (int(challenge.param("n")), int(challenge.param("loop_n")))
    check = (
        f"assert_vectorized(vectorized, unnecessary_loop, {sizes!r}, ({challenge.seeds[0]!r},), {TOLERANCE!r}, "
        f"{challenge.param('min_speedup')!r}, {DEFAULT_BUDGET_S!r})"
    )
    return _setup(challenge, found, []), _function("vectorized", "x", _program(challenge, solved)), check


def _gradient(challenge: Challenge, solved: bool) -> Cells:
    found = routines(challenge.analytic, parts.drawn_inputs, parts.assert_gradients)
    setup = _setup(challenge, found, [f"x, w, b = drawn_inputs({_values(challenge.inputs[0])}, 0).values()"])
    program, options = (
        _program(challenge, solved),
        set(challenge.solution_options if solved else challenge.start_options),
    )
    switches = [
        f"{name}.requires_grad_({name in options})" for name in ("x", "w", "b") if name in {"x", *challenge.options}
    ]
    retain = "retain_graph=True" if "retain_graph" in options else ""
    calls = [f"{program.output}.backward({retain})"]
    calls += [f"{program.output}.backward()"] if challenge.check == "gradient_twice" else []
    leaves = '{"x": x, "w": w, "b": b}'
    check = f"assert_gradients({leaves}, {challenge.analytic.__name__}({leaves}))"
    return setup, "\n".join([*switches, *statement_lines(program), *calls]), check


def _saved_bytes(challenge: Challenge, solved: bool) -> Cells:
    found = routines(parts.seeded_x, parts.assert_saves_nothing)
    n, seed = int(challenge.param("n")), challenge.seeds[0]
    setup = _setup(challenge, found, [f"x = seeded_x({n!r}, {seed!r}).requires_grad_(True)"])
    mode = (challenge.solution_options if solved else challenge.start_options)[0]
    others = " or ".join(v for k, v in MODES.items() if k != mode)
    starting = f"{_function('forward', 'x', _program(challenge, solved))}\n\n\nmode = {MODES[mode]}  # or {others}"
    reference = _function("reference", "x", parse_program(challenge.start))
    return setup, starting, f"{reference}\n\n\nassert_saves_nothing(forward, reference, mode, x, {TOLERANCE!r})"


def _capture(challenge: Challenge, solved: bool) -> Cells:
    found = routines(parts.assert_captured)
    setup = _setup(challenge, found, [f"xs = [{', '.join(_values(values) for values in challenge.inputs)}]"])
    reference = _function("reference", "x", parse_program(challenge.start))
    check = f"{reference}\n\n\nassert_captured(f, reference, xs, {TOLERANCE!r})"
    return setup, _function("f", "x", _program(challenge, solved)), check


def _accuracy(challenge: Challenge, solved: bool) -> Cells:
    """The grader's data (core.train.datasets), parameters (core.train.models) and batches, and the loop of its
    core.train.loop.Trainer in plain PyTorch: the same accuracy at the same step as the grader (a test holds it)."""
    maker = datasets.MAKERS["spiral"]
    found = routines(maker, noisy_split, parts.ForwardModel, parts.train_until, parts.assert_accuracy)
    seed = challenge.seeds[0]
    width, batch, noise, steps, every = (int(challenge.param(k)) for k in ("width", "batch", "noise", "steps", "every"))
    goal = challenge.param("accuracy")
    glue = [
        f"g = torch.Generator().manual_seed({seed!r})",
        f"x, y = {maker.__name__}({datasets.DEFAULT_POINTS!r}, g)",
        f"x_train, y_train, x_test, y_test = noisy_split(x, y, {noise!r}, {datasets.DEFAULT_TEST!r}, False, g)",
    ]
    program = models.parse_forward(challenge.solution if solved else challenge.start)
    check = [
        f"model = ForwardModel(forward, 2, {width!r}, {seed!r})",
        "splits = (x_train, y_train, x_test, y_test)",
        f"reached, accuracy = train_until(model, splits, {goal!r}, ({steps!r}, {every!r}), {batch!r}, {seed!r}, "
        f"{DEFAULT_LR!r})",
        f"assert_accuracy(reached, accuracy, {goal!r}, {steps!r})",
    ]
    return _setup(challenge, found, glue), _function("forward", "x, W1, b1, W2, b2", program), "\n".join(check)


def _inplace(challenge: Challenge, solved: bool) -> Cells:
    fixes = cases.INPLACE_CHOICES
    found = routines(cases.inplace_broken, *fixes.values(), cases.inplace_analytic, parts.assert_choice)
    setup = _setup(challenge, found, [f"x = {_values(challenge.inputs[0])}"])
    answer = f"answer = {challenge.solution!r}" if solved else f"answer = None  # {', '.join(challenge.choices)}"
    table = "{" + ", ".join(f"{letter!r}: {fix.__name__}" for letter, fix in fixes.items()) + "}"
    return setup, answer, f"assert_choice(answer, {table}, x, {cases.inplace_analytic.__name__})"


def _line(challenge: Challenge, solved: bool) -> Cells:
    broken = PITFALL_LOOPS[challenge.id][0]
    found = routines(broken, parts.assert_line)
    lines = len(source_of(broken).splitlines())  # the grader's count
    answer = f"answer = {challenge.solution}" if solved else f"answer = None  # a line of {broken.__name__}, def = 1"
    return _setup(challenge, found, []), answer, f"assert_line(answer, {bug_line(challenge.id)!r}, {lines!r})"


BUILDERS: dict[str, Callable[[Challenge, bool], Cells]] = {
    "predict": _predict,
    "vectorize": _vectorize,
    "gradient": _gradient,
    "gradient_twice": _gradient,
    "saved_bytes": _saved_bytes,
    "capture": _capture,
    "accuracy": _accuracy,
    "inplace": _inplace,
    "line": _line,
}
