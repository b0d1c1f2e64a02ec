"""The pitfalls page's state (core/pitfalls/spec.py), the lesson's checklist and the callbacks that tick it."""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from core.pitfalls.spec import SPEC, PitfallsState
from dashboard import url_state


@dataclass(frozen=True)
class ChecklistItem:
    """One of the lesson's five habits, and where it is demonstrated: a case here, and a page to explore."""

    key: str
    case: str | None
    page: str
    params: dict[str, str] = field(default_factory=dict)


CHECKLIST = (
    ChecklistItem("vectorize", "unnecessary_loop", "loops"),
    ChecklistItem("requires_grad", "forgot_requires_grad", "autograd"),
    ChecklistItem("no_grad", "inference_without_no_grad", "grad_modes"),
    ChecklistItem("intermediates", None, "steps", {"step": "1"}),
    ChecklistItem("inference", "inference_without_no_grad", "grad_modes", {"workload": "mlp"}),
)
ITEM_KEYS = tuple(item.key for item in CHECKLIST)


def current() -> PitfallsState:
    return url_state.current(SPEC)


def tick(key: str) -> None:
    """Callback of a checklist checkbox: add or remove the item from the ticked set."""
    done = set(current().done)
    done.symmetric_difference_update({key})
    url_state.put("done", tuple(k for k in ITEM_KEYS if k in done))


def tick_key(key: str) -> str:
    return f"pitfalls.done.{key}"


SEE_CASE = "pitfalls.see_case"


def see_case(case: str) -> None:
    """Callback of a checklist item's "See the case": show that case, and open it where the reader is."""
    url_state.put("case", case)
    st.session_state[SEE_CASE] = True


def case_requested() -> bool:
    """Whether this run follows a "See the case" press (once: the dialog opens on that run only)."""
    return st.session_state.pop(SEE_CASE, False)
