"""A program with if/else and for blocks runs on every page that takes the shared program: no page raises, and the
loops page (which runs programs element by element) refuses the `if` with its reason, at its line."""

from __future__ import annotations

import pytest

from dashboard.i18n import translate
from dashboard.registry import PAGES

BLOCKS = "y = x * 2 - 1\nfor i in range(3):\n    y = y * 2 + i\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"
QUICK = {"loops": {"sizes": "10", "budget": "0.05"}, "grad-modes": {"size": "1000"}}


@pytest.mark.parametrize("page", [p.url_path for p in PAGES])
def test_every_page_takes_a_program_with_blocks(make_app, page):
    at = make_app({"x": "1, 2, 3", "program": BLOCKS, **QUICK.get(page, {})}, page=page)
    assert not at.exception
    if page == "loops":
        reason = translate("en", "program.error.branch_not_elementwise")
        assert f"Line 4, column 1: {reason}" in [e.value for e in at.error]
    elif page in {"steps", "autograd", "grad-modes", "compiled"}:
        assert not [e for e in at.error if "Traceback" in e.value]


def test_autograd_backward_through_blocks_shows_pytorchs_gradient(make_app):
    import torch

    at = make_app({"x": "1, 2, 3", "program": BLOCKS, "backward": "1", "reduce": "sum"}, page="autograd")
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2 - 1
    for i in range(3):
        y = y * 2 + i
    (y**2 - 10 if y.sum() > 0 else -y).sum().backward()
    assert str(x.grad) in [c.value for c in at.code]
