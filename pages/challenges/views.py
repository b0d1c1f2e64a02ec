"""The challenge's task, its graded feedback (what was checked, the learner's value beside the expected one, the
measured figures) and the help revealed step by step: two hints, then the solution."""

from __future__ import annotations

import streamlit as st

from core.challenges.catalog import Challenge
from core.challenges.result import GradeResult
from core.limits import SizeLimitError
from core.program import ProgramError
from core.tensors import InputError
from dashboard import number_format as nf
from dashboard.i18n import catalog, current_lang, escape_markdown, t, tp
from dashboard.messages import error_message
from dashboard.widgets import show_table
from pages.challenges import state

# the job class each check runs in (core.lanes): quick checks in the fast lane, timing, training and compiling apart
JOB_CLASSES = {"vectorize": "measure", "accuracy": "train", "capture": "compile"}
# the pitfall hunts' evidence is a byte count for the evaluation that keeps a graph, a plain number otherwise
BYTES_EVIDENCE = {"pitfall-eval-grad"}


def label(challenge: Challenge, solved: bool) -> str:
    """The picker's line: topic, title, and a mark once solved."""
    mark = " ✓" if solved else ""
    return f"{tp(f'challenges.topic.{challenge.topic}')} · {tp(challenge.title)}{mark}"


def feedback(challenge: Challenge, result: GradeResult) -> None:
    """What was checked, the verdict in words, and every value behind it; never a traceback."""
    lang = current_lang()
    st.caption(t(result.check, **_numbers(dict(result.check_params), lang)))
    problem = _problem(result)
    if problem is not None:
        st.error(error_message(lang, problem), icon=":material/error:")
    sentence = _sentence(lang, result.feedback_key, _filled(result, lang))
    if result.failed_on == "hidden":
        sentence = f"{sentence} ({t('challenges.hidden')})"
    if result.passed:
        st.success(sentence, icon=":material/check_circle:")
    elif result.noisy:
        st.warning(sentence, icon=":material/timer:")
    else:
        st.error(sentence, icon=":material/cancel:")
    _values(challenge, result, lang)


def _values(challenge: Challenge, result: GradeResult, lang: str) -> None:
    if result.learner or result.expected:
        yours, expected = st.columns(2)
        yours.caption(t("challenges.yours"))
        yours.code(result.learner or "—", language="text", wrap_lines=True)
        expected.caption(t("challenges.expected"))
        expected.code(result.expected or "—", language="text", wrap_lines=True)
    if result.difference:
        st.caption(t("challenges.difference"))
        st.code(result.difference, language="text", wrap_lines=True)
    metrics = []
    if result.speedup is not None:
        metrics.append((t("challenges.speedup"), nf.ratio(result.speedup, 0, lang) + "×"))
    if result.saved_bytes is not None:
        metrics.append((t("challenges.saved_bytes"), nf.byte_size(result.saved_bytes, lang)))
    if result.accuracy is not None:
        metrics.append((t("challenges.accuracy"), nf.percent(result.accuracy, 1, lang)))
    if result.steps is not None:
        metrics.append((t("challenges.steps"), nf.integer(result.steps, lang)))
    for column, (name, value) in zip(st.columns(max(1, len(metrics))), metrics, strict=False):
        column.metric(name, value)
    if result.graph_breaks:
        st.caption(t("challenges.graph_breaks"))
        rows = [
            {tp("challenges.break_line"): line or "—", tp("challenges.break_reason"): r}
            for line, r in result.graph_breaks
        ]
        show_table(rows, key=f"challenges.breaks.{challenge.id}", whole=True)
    if result.detail and result.feedback not in {"backward_refused", "not_exported"}:
        st.caption(t("challenges.detail"))
        st.code(result.detail, language="text", wrap_lines=True)
    if result.evidence:
        st.info(t(f"challenges.{challenge.id}.evidence", **_evidence(challenge, dict(result.evidence), lang)))


class _Kept(dict):
    """format_map's values; a placeholder without one stays as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _sentence(lang: str, key: str, params: dict[str, str]) -> str:
    """The catalog's sentence with its values filled in, markdown-escaped (they may hold PyTorch's words)."""
    return catalog(lang)[key].format_map(_Kept({k: escape_markdown(v) for k, v in params.items()}))


def _problem(result: GradeResult) -> Exception | None:
    """The usual message's exception for a refused program, typed tensor or size, rebuilt from its code."""
    if result.error_code is None:
        return None
    params = dict(result.error_params)
    if result.error_code == "size_limit":
        return SizeLimitError(int(params["requested_bytes"]), int(params["allowed_bytes"]), params["device"])
    if result.feedback == "bad_tensor":
        return InputError(result.error_code, **params)
    if result.error_code == "runtime":
        params.setdefault("detail", result.detail)
    return ProgramError(result.error_code, result.error_line, **params)


def _numbers(params: dict[str, str], lang: str) -> dict[str, str]:
    """A check's thresholds in the learner's language (a fraction such as an accuracy as a percentage)."""
    out = {}
    for name, text in params.items():
        value = float(text)
        out[name] = nf.percent(value, 0, lang) if 0 < value < 1 else nf.integer(int(value), lang)
    return out


def _filled(result: GradeResult, lang: str) -> dict[str, str]:
    numbers = {
        "speedup": None if result.speedup is None else nf.ratio(result.speedup, 0, lang),
        "saved_bytes": None if result.saved_bytes is None else nf.integer(result.saved_bytes, lang),
        "accuracy": None if result.accuracy is None else nf.percent(result.accuracy, 1, lang),
        "steps": None if result.steps is None else nf.integer(result.steps, lang),
        "max_abs_diff": None if result.max_abs_diff is None else nf.significant(result.max_abs_diff, 4, lang),
        "line": nf.integer(result.error_line, lang),
        "detail": result.detail,
    }
    return {"name": "x", **{k: v for k, v in numbers.items() if v is not None}, **dict(result.error_params)}


def _evidence(challenge: Challenge, evidence: dict[str, str], lang: str) -> dict[str, str]:
    if challenge.id in BYTES_EVIDENCE:
        return {k: nf.byte_size(int(float(v)), lang) for k, v in evidence.items()}
    return {k: nf.significant(float(v), 4, lang) for k, v in evidence.items()}


def help_steps(challenge: Challenge, presenting: bool) -> None:
    """Two hints, then the solution, each behind a button; while presenting, the solution at once and alone: the
    room sees the challenge large, then its answer."""
    level = state.revealed(challenge.id)
    hints = () if presenting and level >= state.SOLUTION else challenge.hints[:level]
    for index, hint in enumerate(hints, start=1):
        st.info(f"**{t('challenges.hint', number=index)}** {t(hint)}", icon=":material/lightbulb:")
    if level >= state.SOLUTION:
        _solution(challenge)
        return
    step = state.SOLUTION if presenting else level + 1
    name = "solution_button" if step == state.SOLUTION else ("hint_button" if level == 0 else "hint_more")
    st.button(
        t(f"challenges.{name}"),
        key=f"challenges.reveal.{challenge.id}",
        on_click=state.reveal,
        args=(challenge.id, step),
        icon=":material/lightbulb:",
    )


def _solution(challenge: Challenge) -> None:
    st.markdown(f"**{t('challenges.solution')}**")
    if challenge.answer == "choice" and challenge.check == "inplace":
        text = f"{challenge.solution}: {tp(f'challenges.{challenge.id}.choice.{challenge.solution}')}"
    elif challenge.answer == "choice":
        text = tp("challenges.solution_line", line=challenge.solution)
    else:
        text = challenge.solution
    st.code(text, language="text" if challenge.answer == "choice" else "python", wrap_lines=True)
    if challenge.solution_options:
        names = ", ".join(tp(f"challenges.option.{o}") for o in challenge.solution_options)
        st.caption(t("challenges.solution_options", options=names))
