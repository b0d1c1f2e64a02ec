"""The page's session state beyond the URL: each challenge's last graded result and how much help was revealed."""

from __future__ import annotations

import streamlit as st

from core.challenges.catalog import IDS
from core.challenges.result import GradeResult
from dashboard import url_state

RESULTS, REVEALED = "challenges.results", "challenges.revealed"
SOLUTION = 3  # revealed levels: 0 nothing, 1 and 2 the hints, 3 the solution


def result(challenge_id: str) -> GradeResult | None:
    """The last result this session graded for the challenge, if any."""
    return st.session_state.get(RESULTS, {}).get(challenge_id)


def keep(graded: GradeResult) -> None:
    """Keep a graded result; a pass joins `solved` in the URL (catalog order, so a link reads the same)."""
    st.session_state.setdefault(RESULTS, {})[graded.challenge] = graded
    if graded.passed:
        solved = {*url_state.get("solved"), graded.challenge}
        url_state.put("solved", tuple(i for i in IDS if i in solved))


def revealed(challenge_id: str) -> int:
    return st.session_state.get(REVEALED, {}).get(challenge_id, 0)


def reveal(challenge_id: str, level: int) -> None:
    """A button's callback: show help up to `level` (hints, then the solution)."""
    shown = st.session_state.setdefault(REVEALED, {})
    shown[challenge_id] = max(shown.get(challenge_id, 0), level)
