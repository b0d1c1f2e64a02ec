"""Grading, the page's worker job: `grade(request) -> GradeResult`, a pure top-level function of plain data.

The learner's answer is re-parsed and re-run here on every input of the challenge, hidden ones included, so a
result can come from the learner's own program only: never from printed text, a cached result or code outside
the program language (core.program's checker refuses it before anything runs).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from core.challenges import checks, measured
from core.challenges.catalog import BY_ID, Challenge
from core.challenges.result import GradeResult, Verdict, first_line, plain_params, refused
from core.limits import SizeLimitError
from core.program import ProgramError, parse_program
from core.tensors import DTYPES, InputError
from core.timing import DEFAULT_BUDGET_S, measure
from core.train.models import PROGRAM_INPUTS

# ProgramError codes of a checked program that failed while running (the others refuse it before it runs)
RUN_CODES = frozenset({"runtime", "not_a_tensor", "memory", "missing_input"})


@dataclass(frozen=True, kw_only=True)
class GradeRequest:
    """A learner's answer to one challenge: a program, a typed tensor, a choice or a line number (`answer`), and
    the switches the challenge offers that the learner set (`options`)."""

    challenge: str
    answer: str
    options: tuple[str, ...] = ()
    dtype: str = "float32"
    budget_s: float = DEFAULT_BUDGET_S  # per measurement, for the vectorize check


def grade(request: GradeRequest, *, measure_fn=measure) -> GradeResult:
    """Check the answer against its challenge; every refusal becomes feedback (a code), never an exception.

    Raises:
        KeyError: for an unknown challenge id. ValueError: for an unknown dtype or an option the challenge lacks.
    """
    challenge = BY_ID[request.challenge]
    if request.dtype not in DTYPES:
        raise ValueError(f"unknown dtype {request.dtype!r}")
    unknown = set(request.options) - set(challenge.options) - set(challenge.solution_options)
    if unknown:
        raise ValueError(f"options {sorted(unknown)} are not offered by {challenge.id}")
    try:
        verdict = _verdict(challenge, request, measure_fn)
    except (ProgramError, InputError) as exc:
        verdict = refused(exc, "failed" if exc.code in RUN_CODES else "refused")
    except SizeLimitError as exc:
        sizes = {"requested_bytes": exc.requested_bytes, "allowed_bytes": exc.allowed_bytes, "device": exc.device}
        verdict = Verdict(
            passed=False, feedback="failed", error_code="size_limit", error_params=plain_params(sizes), detail=str(exc)
        )
    except RuntimeError as exc:  # PyTorch refused the answer somewhere the checks did not name: its words, no traceback
        verdict = Verdict(passed=False, feedback="failed", error_code="runtime", detail=first_line(str(exc)))
    return GradeResult(
        challenge=challenge.id,
        topic=challenge.topic,
        check=f"challenges.check.{challenge.check}",
        check_params=plain_params(dict(challenge.params)),
        **asdict(verdict),
    )


def _verdict(challenge: Challenge, request: GradeRequest, measure_fn) -> Verdict:
    check, answer, dtype = challenge.check, request.answer, request.dtype
    if check == "predict":
        return checks.check_predict(challenge, answer, dtype)
    if check == "inplace":
        return checks.check_inplace(challenge, answer, dtype)
    if check == "line":
        return checks.check_line(challenge, answer)
    if check == "accuracy":
        parse_program(answer, PROGRAM_INPUTS)  # refused here, before a model is built
        return measured.check_accuracy(challenge, answer, dtype)
    program = parse_program(answer)
    if check in {"gradient", "gradient_twice"}:
        return checks.check_gradient(challenge, program, request.options, dtype)
    if check == "saved_bytes":
        return checks.check_saved_bytes(challenge, program, request.options, dtype)
    if check == "vectorize":
        return measured.check_vectorize(challenge, program, dtype, budget_s=request.budget_s, measure_fn=measure_fn)
    if check == "capture":
        return measured.check_capture(challenge, program, dtype)
    raise ValueError(f"unknown check {check!r}")


def solution_request(challenge_id: str, **overrides) -> GradeRequest:
    """The request that answers `challenge_id` with its own solution (the page's "show solution", and tests)."""
    challenge = BY_ID[challenge_id]
    return GradeRequest(
        challenge=challenge_id, answer=challenge.solution, options=challenge.solution_options, **overrides
    )
