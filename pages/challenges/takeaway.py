"""What a learner takes home: progress as JSON (what is solved, with provenance) and the challenge as a notebook."""

from __future__ import annotations

import streamlit as st

from core.challenges.catalog import BY_ID, Challenge
from dashboard.exports import to_json
from dashboard.i18n import t
from pages.challenges import notebook, state


def progress_rows(chosen: tuple[str, ...], solved: tuple[str, ...]) -> list[dict[str, object]]:
    """One row per challenge offered: its id, topic, whether it is solved, and the last check this session ran."""
    rows = []
    for challenge_id in chosen:
        graded = state.result(challenge_id)
        rows.append(
            {
                "challenge": challenge_id,
                "topic": BY_ID[challenge_id].topic,
                "solved": challenge_id in solved,
                "last_check": None if graded is None else graded.feedback,
            }
        )
    return rows


def downloads(challenge: Challenge, chosen: tuple[str, ...], solved: tuple[str, ...]) -> None:
    """The progress (JSON) and this challenge's notebook, side by side."""
    left, right = st.columns(2)
    left.download_button(
        t("challenges.progress"),
        to_json("challenges", progress_rows(chosen, solved), {"set": ",".join(chosen), "solved": ",".join(solved)}),
        file_name="eager-lab-challenges-progress.json",
        mime="application/json",
        on_click="ignore",
        key="challenges.progress",
        icon=":material/download:",
    )
    right.download_button(
        t("challenges.notebook_download"),
        notebook.notebook(challenge),
        file_name=f"eager_lab_challenge_{challenge.id.replace('-', '_')}.ipynb",
        mime="application/x-ipynb+json",
        on_click="ignore",
        key=f"challenges.notebook.{challenge.id}",
        icon=":material/download:",
    )
