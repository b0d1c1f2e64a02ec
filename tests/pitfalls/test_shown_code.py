"""The code a case shows runs as is in plain PyTorch: exec'd with only torch, it does what the app's function does."""

from __future__ import annotations

import re

import pytest
import torch

from core.autograd.errors import AUTOGRAD_ERRORS
from core.cases import run_demo, shown_source, source_of
from core.grad_modes.cases import GRAD_MODE_CASES
from core.pitfalls.mistakes import PITFALLS, inference_without_no_grad

X = torch.tensor([1.0, 2.0, 3.0])
SHOWN = {
    f.__name__: f
    for f in (
        *(f for p in PITFALLS for f in p.functions),
        *(f for c in (*GRAD_MODE_CASES, *AUTOGRAD_ERRORS) for f in (c.broken, c.fixed)),
    )
}


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_the_shown_code_runs_in_a_fresh_namespace_with_only_torch(name):
    function = SHOWN[name]
    namespace = {"torch": torch}
    exec(compile(shown_source(function), f"<shown {name}>", "exec"), namespace)  # noqa: S102 - the point of the test
    shown, real = run_demo(namespace[name], X), run_demo(function, X)
    assert (shown.error_type, address_free(shown.printed), shown.returned) == (
        real.error_type,
        address_free(real.printed),
        real.returned,
    )


def address_free(printed: str) -> str:
    """Printed text without object addresses ("<ViewBackward0 object at 0x7f95...>" differs per run)."""
    return re.sub(r" at 0x[0-9a-f]+", "", printed)


def test_a_case_that_calls_the_apps_helper_shows_the_helpers_definition_after_it():
    shown = shown_source(inference_without_no_grad)
    assert shown.startswith(source_of(inference_without_no_grad))
    assert "import contextlib" in shown and "class count_saved_bytes(" in shown and "saved_tensors_hooks" in shown
