"""The checks that time, compile or train: vectorize (equal to the lesson's loop and ≥100× faster), compile (one
graph under fullgraph=True and torch.export, equal to eager on every x), train (test accuracy on the spiral)."""

from __future__ import annotations

import torch

from core.challenges.catalog import Challenge
from core.challenges.checks import against, run_output
from core.challenges.inputs import checked_inputs
from core.challenges.result import Verdict, failed, first_line
from core.closures import TORCH, compile_program
from core.compiled.capture import explain, export, fullgraph
from core.compiled.function import program_function
from core.pitfalls.mistakes import unnecessary_loop
from core.program import Program, ProgramError, parse_program
from core.tensors import program_inputs, random_input
from core.timing import measure
from core.train.loop import TrainConfig, Trainer

MEASURE_TRIES = 3  # a noisy measurement is taken again, up to this many times, and never graded


def check_vectorize(
    challenge: Challenge, program: Program, dtype: str, *, budget_s: float, measure_fn=measure
) -> Verdict:
    """Equal to the lesson's loop on every x (within the dtype's tolerance), then timed at n against that loop.

    The loop is measured at `loop_n` elements and scaled to n by its per-element cost (the loops page's estimate;
    a loop call at 10^5 takes seconds); the vectorized program is measured at n itself.
    """
    n, loop_n = int(challenge.param("n")), int(challenge.param("loop_n"))
    shown = [("shown", program_inputs(program.inputs, random_input(loop_n, dtype, "cpu", challenge.seeds[0]), 0))]
    hidden = [
        ("hidden", program_inputs(program.inputs, random_input(loop_n, dtype, "cpu", s), s))
        for s in challenge.seeds[1:]
    ]
    for where, inputs in (*shown, *hidden, *checked_inputs(challenge, program.inputs, dtype)):
        try:
            value = run_output(program, inputs)
        except ProgramError as exc:
            return failed(exc)
        verdict = against(value, unnecessary_loop(inputs["x"]), where)
        if not verdict.passed:
            return verdict
    big = program_inputs(program.inputs, random_input(n, dtype, "cpu", challenge.seeds[0]), challenge.seeds[0])
    small = shown[0][1]["x"]
    run = compile_program(program, TORCH)
    output = program.output
    timing = {"device": "cpu", "threads": 1, "budget_s": budget_s}
    for _ in range(MEASURE_TRIES):
        loop = measure_fn(lambda: unnecessary_loop(small), **timing)
        vectorized = measure_fn(lambda: run(big)[output], **timing)
        if not (loop.noisy or vectorized.noisy):
            break
    speedup = loop.median / loop_n * n / vectorized.median
    if loop.noisy or vectorized.noisy:
        return Verdict(passed=False, feedback="noisy", noisy=True, speedup=speedup)
    passed = speedup >= challenge.param("min_speedup")
    return Verdict(passed=passed, feedback="passed" if passed else "too_slow", speedup=speedup)


def check_capture(challenge: Challenge, program: Program, dtype: str) -> Verdict:
    """fullgraph=True and torch.export on the shown x (graph breaks reported at their lines), then the compiled
    function against the starting program's eager result on every x."""
    reference = parse_program(challenge.start)
    everything = list(checked_inputs(challenge, tuple({*program.inputs, *reference.inputs}), dtype))
    try:
        run_output(program, everything[0][1])
    except ProgramError as exc:
        return failed(exc)
    built = program_function(program)
    first = {name: everything[0][1][name] for name in built.inputs}
    captured = fullgraph(built, first)
    if not captured.compiled:
        breaks = tuple((b.line, first_line(b.reason)) for b in explain(built, first).breaks)
        return Verdict(passed=False, feedback="graph_break", graph_breaks=breaks, detail=first_line(captured.error))
    exported = export(built, first)
    if not exported.exported:
        return Verdict(passed=False, feedback="not_exported", detail=first_line(exported.error))
    torch._dynamo.reset()
    compiled = torch.compile(built.function, fullgraph=True, backend="eager")
    for where, inputs in everything:
        expected = run_output(reference, inputs)
        try:
            value = compiled(**{name: inputs[name] for name in built.inputs})
        except Exception as exc:  # noqa: BLE001 - whatever Dynamo raises on another x is the feedback
            return Verdict(passed=False, feedback="graph_break", failed_on=where, detail=first_line(str(exc)))
        verdict = against(value, expected, where)
        if not verdict.passed:
            return verdict
    return Verdict(passed=True, feedback="passed")


def check_accuracy(challenge: Challenge, answer: str, dtype: str) -> Verdict:
    """The learner's forward trained by the seeded trainer on the spiral; passes at the first evaluation (every
    `every` steps) whose test accuracy reaches `accuracy`, within `steps`."""
    steps, every = (int(challenge.param(k)) for k in ("steps", "every"))
    goal = challenge.param("accuracy")
    accuracy = 0.0
    for seed in challenge.seeds:
        config = TrainConfig(
            dataset="spiral",
            model="program",
            program=answer,
            width=int(challenge.param("width")),
            batch=int(challenge.param("batch")),
            noise=int(challenge.param("noise")),
            seed=seed,
            dtype=dtype,
        )
        try:
            trainer = Trainer(config)
            reached = None
            for step in range(1, steps + 1):
                trainer.train_step()
                if step % every == 0:
                    accuracy = trainer.evaluate(with_norms=False).test_accuracy
                    if accuracy >= goal:
                        reached = step
                        break
        except ProgramError as exc:
            return failed(exc)
        if reached is None:
            return Verdict(passed=False, feedback="low_accuracy", accuracy=accuracy, steps=steps)
    return Verdict(passed=True, feedback="passed", accuracy=accuracy, steps=reached)
