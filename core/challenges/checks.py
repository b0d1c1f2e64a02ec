"""The checks that need no timing and no compiler: predicted values, gradients, saved bytes, chosen fixes and lines.

Each takes the challenge and the learner's answer, re-runs the learner's own program on every input (hidden ones
too) and returns a Verdict; PyTorch's refusals become feedback codes, never tracebacks.
"""

from __future__ import annotations

import difflib

import torch

from core.agreement import compare
from core.autograd.backward import gradient_agrees
from core.cases import source_of
from core.challenges import cases
from core.challenges.answers import typed_tensor
from core.challenges.catalog import Challenge
from core.challenges.inputs import checked_inputs, tolerance
from core.challenges.result import Verdict, failed, first_line, plain_params, refused
from core.grad_modes.modes import MODES, program_workload, saved_ledger
from core.program import Program, ProgramError, parse_program, run_program
from core.tensors import InputError, program_inputs

GRAD_NAMES = ("x", "w", "b")


def run_output(program: Program, inputs: dict) -> torch.Tensor:
    """The program's output on `inputs`, eagerly through the interpreter.

    Raises:
        ProgramError: the run's own error.
    """
    trace = run_program(program, {name: inputs[name] for name in program.inputs})
    if trace.error is not None:
        raise trace.error
    return trace.env[program.output]


def against(value: torch.Tensor, expected: torch.Tensor, where: str = "shown") -> Verdict:
    """The learner's value beside the expected one, within the expected dtype's tolerance."""
    shown = {"learner": str(value), "expected": str(expected)} if where == "shown" else {}
    if value.shape != expected.shape:
        return Verdict(passed=False, feedback="wrong_shape", failed_on=where, **shown)
    rtol, atol = tolerance(expected.dtype)
    agreement = compare("learner", value.to(expected.dtype), expected, rtol, atol)
    difference = str(value.to(expected.dtype) - expected) if where == "shown" else ""
    return Verdict(
        passed=agreement.agrees,
        feedback="passed" if agreement.agrees else "wrong_value",
        max_abs_diff=agreement.max_abs_diff,
        difference=difference,
        failed_on="" if agreement.agrees else where,
        **shown,
    )


def _shown(gradient: torch.Tensor, analytic: torch.Tensor, where: str) -> dict[str, str]:
    """A gradient beside the analytic one, as printed; nothing for a hidden input."""
    if where != "shown":
        return {}
    return {"learner": str(gradient), "expected": str(analytic.to(gradient.dtype))}


def check_predict(challenge: Challenge, answer: str, dtype: str) -> Verdict:
    """The typed tensor against what PyTorch prints for the program on the shown x."""
    program = parse_program(challenge.start)
    (_, inputs), *_ = checked_inputs(challenge, program.inputs, dtype)
    expected = run_output(program, inputs)
    try:
        value = typed_tensor(answer, dtype)
    except InputError as exc:
        return refused(exc, "bad_tensor")
    return against(value, expected)


def check_gradient(challenge: Challenge, program: Program, options: tuple[str, ...], dtype: str) -> Verdict:
    """backward() on the program's output (twice for gradient_twice); each leaf's .grad against the analytic one."""
    grad = set(options) & set(GRAD_NAMES)
    twice = challenge.check == "gradient_twice"
    for where, values in checked_inputs(challenge, GRAD_NAMES, dtype):
        leaves = {name: t.detach().clone().requires_grad_(name in grad) for name, t in values.items()}
        try:
            output = run_output(program, leaves)
        except ProgramError as exc:
            return failed(exc)
        try:
            output.backward(retain_graph=twice and "retain_graph" in options)
            if twice:
                output.backward()
        except RuntimeError as exc:  # PyTorch's refusal is the feedback, in its own words
            return Verdict(passed=False, feedback="backward_refused", detail=first_line(str(exc)), failed_on=where)
        for name, analytic in challenge.analytic(values).items():
            leaf = leaves[name]
            if name not in program.inputs or leaf.grad is None:
                return Verdict(passed=False, feedback="missing_gradient", error_params=(("name", name),))
            if not gradient_agrees(leaf.grad, analytic):
                shown = (
                    {"learner": str(leaf.grad), "expected": str(analytic.to(leaf.dtype))} if where == "shown" else {}
                )
                return Verdict(
                    passed=False,
                    feedback="wrong_gradient",
                    failed_on=where,
                    error_params=(("name", name),),
                    max_abs_diff=(leaf.grad.double() - analytic).abs().max().item(),
                    **shown,
                )
    return Verdict(passed=True, feedback="passed")


def check_saved_bytes(challenge: Challenge, program: Program, options: tuple[str, ...], dtype: str) -> Verdict:
    """Under the chosen mode, the saved-tensor ledger must read 0 bytes and the output equal the starting program's."""
    mode = next((option for option in options if option in MODES), "grad")
    reference = parse_program(challenge.start)
    n = int(challenge.param("n"))
    for index, seed in enumerate(challenge.seeds):
        where = "shown" if index == 0 else "hidden"
        try:
            workload = program_workload(program, n, dtype, "cpu", seed)
            ledger, output = saved_ledger(workload, mode)
        except ProgramError as exc:
            return failed(exc)
        if ledger.total_bytes:
            return Verdict(passed=False, feedback="saves_bytes", saved_bytes=ledger.total_bytes, failed_on=where)
        inputs = {name: t.detach() for name, t in zip(program.inputs, workload.anyway, strict=True)}
        x = inputs["x"]
        expected = run_output(reference, program_inputs(reference.inputs, x, seed))
        verdict = against(output.detach().clone(), expected, where)
        if not verdict.passed:
            return verdict
    return Verdict(passed=True, feedback="passed", saved_bytes=0)


def check_inplace(challenge: Challenge, answer: str, dtype: str) -> Verdict:
    """The chosen fix, run live on every x: it must run and give the analytic gradient."""
    choice = answer.strip().lower()
    if choice not in cases.INPLACE_CHOICES:
        return Verdict(passed=False, feedback="bad_choice", error_params=(("choices", ",".join(challenge.choices)),))
    for where, values in checked_inputs(challenge, ("x",), dtype):
        x = values["x"]
        try:
            gradient = cases.INPLACE_CHOICES[choice](x)
        except RuntimeError as exc:
            return Verdict(passed=False, feedback="backward_refused", detail=first_line(str(exc)), failed_on=where)
        analytic = cases.inplace_analytic(x)
        if not gradient_agrees(gradient, analytic):
            shown = _shown(gradient, analytic, where)
            return Verdict(passed=False, feedback="wrong_gradient", failed_on=where, **shown)
    return Verdict(passed=True, feedback="passed")


# each pitfall hunt: the loop shown (silently wrong), its fix, and what each measures when run
PITFALL_LOOPS = {
    "pitfall-zero-grad": (cases.loop_zero_grad_outside, cases.loop_zero_grad_inside),
    "pitfall-eval-grad": (cases.eval_with_grad, cases.eval_under_no_grad),
    "pitfall-dropout": (cases.eval_in_train_mode, cases.eval_in_eval_mode),
}


def bug_line(challenge_id: str) -> int:
    """The line (1-based, `def` first) where the broken loop's body first differs from its fix's."""
    broken, fixed = (source_of(f).splitlines()[1:] for f in PITFALL_LOOPS[challenge_id])
    matcher = difflib.SequenceMatcher(a=broken, b=fixed, autojunk=False)
    _, start, _, _, _ = next(op for op in matcher.get_opcodes() if op[0] != "equal")
    return start + 2


def check_line(challenge: Challenge, answer: str) -> Verdict:
    """The chosen line against the line where the loop goes wrong; both loops run live as evidence."""
    broken, fixed = PITFALL_LOOPS[challenge.id]
    evidence = plain_params({"broken": f"{broken():.6g}", "fixed": f"{fixed():.6g}"})
    text = answer.strip()
    lines = len(source_of(broken).splitlines())
    if not text.isdigit() or not 1 <= int(text) <= lines:
        return Verdict(passed=False, feedback="bad_line", error_params=(("lines", str(lines)),), evidence=evidence)
    passed = int(text) == bug_line(challenge.id)
    return Verdict(passed=passed, feedback="passed" if passed else "wrong_line", evidence=evidence)
