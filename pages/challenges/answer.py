"""What the learner answers with, as the challenge's kind needs: a typed tensor, a program with its switches, a
choice of fix, or the line of a loop. Answers stay in the session (a shared link never carries them)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.cases import source_of
from core.challenges.catalog import Challenge
from core.challenges.checks import PITFALL_LOOPS
from core.challenges.shown import shown_code
from core.grad_modes.modes import MODES
from core.pitfalls.mistakes import unnecessary_loop
from dashboard.i18n import t


@dataclass(frozen=True, kw_only=True)
class Answer:
    """The answer as the grader takes it."""

    text: str
    options: tuple[str, ...]


def key(challenge: Challenge, part: str = "answer") -> str:
    return f"challenges.{part}.{challenge.id}"


def given(challenge: Challenge) -> None:
    """What the task starts from: the program to predict or rewrite, the lesson's loop, the code with its fixes."""
    if challenge.answer == "tensor":
        st.code(challenge.start, language="python", wrap_lines=True)
    if challenge.check == "vectorize":
        st.caption(t("challenges.loop"))
        st.code(source_of(unnecessary_loop), language="python", wrap_lines=True)
    shown = shown_code(challenge.id)
    if challenge.check == "inplace":
        st.code(shown["broken"], language="python", wrap_lines=True)


def answer_input(challenge: Challenge) -> Answer:
    """The input this challenge's kind needs, with the options it offers; the fixed ones ride along."""
    fixed = tuple(o for o in challenge.start_options if o not in challenge.options)
    if challenge.answer == "tensor":
        text = st.text_input(t("challenges.answer.tensor"), key=key(challenge), placeholder="tensor([1., 2.])")
        return Answer(text=text, options=fixed)
    if challenge.answer == "choice":
        return Answer(text=_choice(challenge) or "", options=fixed)
    text = st.text_area(t("challenges.answer.program"), value=challenge.start, key=key(challenge), height=140)
    return Answer(text=text, options=(*fixed, *_options(challenge)))


def _choice(challenge: Challenge) -> str | None:
    if challenge.check == "inplace":
        labels = {c: t(f"challenges.{challenge.id}.choice.{c}") + f" ({c})" for c in challenge.choices}
        return st.radio(
            t("challenges.answer.choice"),
            challenge.choices,
            index=None,
            format_func=labels.__getitem__,
            key=key(challenge),
        )
    lines = source_of(PITFALL_LOOPS[challenge.id][0]).splitlines()
    st.code("\n".join(lines), language="python", line_numbers=True, wrap_lines=True)
    return st.radio(
        t("challenges.answer.line"),
        [str(n) for n in range(1, len(lines) + 1)],
        index=None,
        horizontal=True,
        key=key(challenge),
    )


def _options(challenge: Challenge) -> tuple[str, ...]:
    """A radio for a grad mode; a checkbox for each input that may require grad, and for retain_graph."""
    modes = tuple(o for o in challenge.options if o in MODES)
    chosen: list[str] = []
    if modes:
        start = next((o for o in challenge.start_options if o in modes), modes[0])
        labels = {m: t(f"challenges.option.{m}") for m in modes}
        mode = st.radio(
            t("challenges.mode"),
            modes,
            index=modes.index(start),
            horizontal=True,
            format_func=labels.__getitem__,
            key=key(challenge, "mode"),
        )
        chosen.append(mode)
    flags = [o for o in challenge.options if o not in modes]
    if flags:
        st.caption(t("challenges.options"))
        columns = st.columns(len(flags))
        for column, flag in zip(columns, flags, strict=True):
            on = column.checkbox(
                t(f"challenges.option.{flag}"),
                value=flag in challenge.start_options,
                key=key(challenge, f"option.{flag}"),
            )
            if on:
                chosen.append(flag)
    return tuple(chosen)
