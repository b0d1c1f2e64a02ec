"""What grading hands back: a plain, frozen result (text and numbers only), so it leaves a worker as it is."""

from __future__ import annotations

from dataclasses import dataclass

from core.program import ProgramError
from core.tensors import InputError

Params = tuple[tuple[str, str], ...]
# every feedback code a check can give; each has its sentence at challenges.feedback.<code> in both catalogs
FEEDBACKS = (
    "passed",
    "wrong_value",
    "wrong_shape",
    "bad_tensor",
    "refused",
    "failed",
    "backward_refused",
    "missing_gradient",
    "wrong_gradient",
    "saves_bytes",
    "bad_choice",
    "bad_line",
    "wrong_line",
    "noisy",
    "too_slow",
    "graph_break",
    "not_exported",
    "low_accuracy",
)


def plain_params(params: dict[str, object]) -> Params:
    """A refusal's or a check's parameters as sorted (name, text) pairs: picklable, hashable, JSON-ready."""
    return tuple(sorted((name, str(value)) for name, value in params.items()))


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """One check's finding before it is tied to its challenge: `feedback` is the catalog key's last part."""

    passed: bool
    feedback: str
    learner: str = ""  # the learner's value, as print() writes it
    expected: str = ""
    difference: str = ""  # learner − expected, as print() writes it
    max_abs_diff: float | None = None
    failed_on: str = ""  # "shown" or "hidden": which inputs the check failed on
    speedup: float | None = None
    noisy: bool = False
    saved_bytes: int | None = None
    graph_breaks: tuple[tuple[int | None, str], ...] = ()  # (program line, PyTorch's reason)
    accuracy: float | None = None
    steps: int | None = None
    error_code: str | None = None
    error_line: int = 0
    error_params: Params = ()
    detail: str = ""  # PyTorch's own one-line message, where PyTorch refused (never a traceback)
    evidence: Params = ()  # values measured live for the feedback (e.g. a pitfall's broken and fixed runs)


@dataclass(frozen=True, kw_only=True)
class GradeResult(Verdict):
    """A verdict with what was checked: the challenge, the check's catalog key and its parameters."""

    challenge: str
    topic: str
    check: str  # catalog key: challenges.check.<check>
    check_params: Params = ()

    @property
    def feedback_key(self) -> str:
        return f"challenges.feedback.{self.feedback}"


def refused(exc: ProgramError | InputError, feedback: str = "refused") -> Verdict:
    """A program outside the language (or an answer that is no tensor), by its code: never a traceback."""
    line = getattr(exc, "line", 0)
    return Verdict(
        passed=False, feedback=feedback, error_code=exc.code, error_line=line, error_params=plain_params(exc.params)
    )


def failed(exc: ProgramError) -> Verdict:
    """A program PyTorch refused while running (or a limit it reached), with its code and line."""
    return refused(exc, "failed")


def first_line(message: str) -> str:
    """PyTorch's message, its first line only (no hints, no traceback)."""
    return (message.strip().splitlines() or [""])[0][:300]
