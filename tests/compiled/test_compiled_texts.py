"""What the Eager vs compiled page says about PyTorch, checked against the PyTorch it runs, in both languages."""

from __future__ import annotations

import inspect

import pytest
import torch

from dashboard.i18n import catalog

LANGS = ("en", "es")


@pytest.mark.parametrize("lang", LANGS)
def test_the_cond_intro_writes_torch_conds_real_signature(lang):
    signature = f"torch.cond({', '.join(inspect.signature(torch.cond).parameters)})"
    assert signature == "torch.cond(pred, true_fn, false_fn, operands)"
    assert signature in catalog(lang)["compiled.cond.intro"]


@pytest.mark.parametrize(("lang", "word"), [("en", "derivative"), ("es", "derivada")])
def test_the_where_intro_blames_nan_gradients_on_a_sides_derivative_not_its_value(lang, word):
    x = torch.tensor([0.0, 4.0], requires_grad=True)
    unpicked = torch.sqrt(x)  # finite everywhere: sqrt(0) = 0, but its derivative at 0 is inf
    torch.where(x > 1, unpicked, torch.zeros_like(x)).sum().backward()
    assert torch.isfinite(unpicked).all() and torch.isnan(x.grad[0])
    assert word in catalog(lang)["compiled.where.intro"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("just in time", "guard", "fall", "recompile")),
        ("es", ("justo a tiempo", "guardas", "volviendo a Python", "recompilar")),
    ],
)
def test_the_intro_says_compile_captures_imperative_code_just_in_time_with_guards_and_a_fallback(lang, words):
    intro = catalog(lang)["compiled.intro"]
    assert all(word in intro for word in words)
    assert "declarative path" not in intro and "camino declarativo" not in intro


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("Only Dynamo is reset", "cold", "warm", "recompile")),
        ("es", ("Solo se reinicia Dynamo", "en frío", "en caliente", "recompilación")),
    ],
)
def test_the_cost_intro_says_which_compile_the_figure_is_and_that_recompiles_pay_again(lang, words):
    texts = catalog(lang)
    intro = texts["compiled.cost.intro"]
    assert all(word in intro for word in words)
    assert f"*{texts['compiled.cost.col.cache']}*" in intro  # it names the table's column that says which
