"""Each challenge's typical wrong answer and the feedback it must get, shared by the AppTest and browser tests."""

from __future__ import annotations

from core.home.lesson import LESSON_CLAIM
from dashboard.i18n import catalog

# challenge id: (the answer, or None for the starting program; the switches set; the feedback's catalog key)
WRONG = {
    "predict-lesson": (LESSON_CLAIM, (), "wrong_value"),
    "predict-mean": ("tensor([4., 1., 0., 3.])", (), "wrong_value"),
    "vectorize-loop": ("y = x * 2", (), "wrong_value"),
    "autograd-scalar": (None, ("x",), "backward_refused"),
    "autograd-leaf": (None, (), "backward_refused"),
    "autograd-twice": (None, ("x",), "backward_refused"),
    "autograd-inplace": ("b", (), "wrong_gradient"),
    "grad-modes-inference": (None, ("grad",), "saves_bytes"),
    "compile-branch": (None, (), "graph_break"),
    "train-spiral": (None, (), "low_accuracy"),
    "pitfall-zero-grad": ("3", (), "wrong_line"),
    "pitfall-eval-grad": ("2", (), "wrong_line"),
    "pitfall-dropout": ("2", (), "wrong_line"),
}


def sentence(lang: str, feedback: str) -> str:
    """The feedback's words up to its first number or value (what the page fills in is formatted per language)."""
    return catalog(lang)[f"challenges.feedback.{feedback}"].split("{")[0].strip()
