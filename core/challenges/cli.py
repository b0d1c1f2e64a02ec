"""`python -m core challenges --challenge <id> --program …`: a program (or --answer) graded as JSON, so a course can
grade offline in CI. Until the page is registered, `grade_cli` is the same report as a function."""

from __future__ import annotations

import argparse

import torch

from core.challenges.catalog import BY_ID, CHALLENGES
from core.challenges.grade import GradeRequest, grade
from core.challenges.result import GradeResult
from core.program import Program
from core.settings import Settings
from core.spec import Names, Param, Text

HELP = "grade an answer to one challenge"
USES_X = False  # every challenge brings its own inputs, hidden ones included

OPTIONS = tuple(dict.fromkeys(o for c in CHALLENGES for o in (*c.options, *c.solution_options)))
CLI_PARAMS = (
    Param(name="answer", kind=Text(high=1000), default="", help="a typed tensor, a choice or a line (else --program)"),
    Param(name="options", kind=Names(allowed=OPTIONS), default=(), help="the challenge's switches the answer sets"),
)


def report(args: argparse.Namespace, settings: Settings, program: Program, x: torch.Tensor | None):
    """(page settings, report): the answer graded as the page grades it."""
    challenge = args.state.challenge
    answer = args.answer or program.text
    return {"challenge": challenge}, result_dict(grade_answer(challenge, answer, tuple(args.options), settings.dtype))


def grade_answer(challenge: str, answer: str, options: tuple[str, ...] = (), dtype: str = "float32") -> GradeResult:
    """The page's job, in this process."""
    return grade(GradeRequest(challenge=challenge, answer=answer, options=options, dtype=dtype))


def result_dict(result: GradeResult, lang: str | None = None) -> dict[str, object]:
    """A result as JSON-ready data; with `lang`, the check's and the feedback's sentences in that language too."""
    data = {
        "challenge": result.challenge,
        "topic": result.topic,
        "passed": result.passed,
        "checked": {"key": result.check, "params": dict(result.check_params)},
        "feedback": result.feedback,
        "learner": result.learner,
        "expected": result.expected,
        "difference": result.difference,
        "max_abs_diff": result.max_abs_diff,
        "failed_on": result.failed_on,
        "speedup": result.speedup,
        "noisy": result.noisy,
        "saved_bytes": result.saved_bytes,
        "graph_breaks": [{"line": line, "reason": reason} for line, reason in result.graph_breaks],
        "accuracy": result.accuracy,
        "steps": result.steps,
        "error": None
        if result.error_code is None
        else {"code": result.error_code, "line": result.error_line, "params": dict(result.error_params)},
        "detail": result.detail,
        "evidence": dict(result.evidence),
    }
    if lang is not None:
        from dashboard.i18n import translate_plain  # pure: a JSON catalog read, no UI package

        data["checked"]["text"] = translate_plain(lang, result.check).format_map(_Kept(result.check_params))
        data["feedback_text"] = translate_plain(lang, result.feedback_key).format_map(_Kept(_filled(result)))
    return data


class _Kept(dict):
    """format_map's values; a placeholder without one stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _filled(result: GradeResult) -> dict[str, str]:
    """The feedback's placeholders, in plain English numbers (the page formats them for the learner's language)."""
    numbers = {
        "speedup": None if result.speedup is None else f"{result.speedup:,.0f}",
        "saved_bytes": None if result.saved_bytes is None else f"{result.saved_bytes:,}",
        "accuracy": None if result.accuracy is None else f"{result.accuracy:.1%}",
        "steps": result.steps,
        "max_abs_diff": None if result.max_abs_diff is None else f"{result.max_abs_diff:.4g}",
        "line": result.error_line,
        "detail": result.detail,
    }
    return {**{k: str(v) for k, v in numbers.items() if v is not None}, **dict(result.error_params)}


def grade_cli(challenge: str, program: str, lang: str = "en", options: tuple[str, ...] = ()) -> dict[str, object]:
    """What the registered sub-command prints: passed, what was checked, the values (`program` is the answer:
    a program, or a typed tensor, a choice or a line number where the challenge asks for one).

    Raises:
        KeyError: for an unknown challenge id.
    """
    BY_ID[challenge]  # an unknown id fails here, by name
    return result_dict(grade_answer(challenge, program, options), lang)
