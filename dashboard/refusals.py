"""Why a parameter's value was refused, in the learner's language: one sentence shared by the page's notice and
the `python -m core` option's error (pure: the CLI runs where only torch is installed)."""

from __future__ import annotations

from collections.abc import Callable

from core.spec import Kind, plain_number
from dashboard.i18n import translate_plain


def number_in(lang: str) -> Callable[[float], str]:
    """Limits as the learner writes numbers: English plainly (as the CLI does), other languages through Babel."""
    if lang == "en":
        return plain_number
    from dashboard.number_format import number  # Babel: the UI has it, the CLI does not need it

    return lambda value: str(number(value, lang))


def expected(lang: str, kind: Kind) -> str:
    """What the parameter takes, e.g. "a number from 0.05 to 2"."""
    return translate_plain(lang, f"expect.{kind.expect}", **kind.limits(number_in(lang)))


def refusal_text(lang: str, name: str, value: str, code: str, kind: Kind | None) -> str:
    """“name=value” and why it was refused, e.g. "“budget=5” is out of range (expected a number from 0.05 to 2)"."""
    what = expected(lang, kind) if kind is not None else ""
    return translate_plain(lang, f"refusal.{code}", name=name, value=value, expected=what)
