"""Numbers written the way the learner's language writes them (1,000.5 in English, 1.000,5 in Spanish).

Every number a page shows goes through here; Babel supplies the symbols and patterns (CLDR's data), so Spanish never
shows "1,000" meaning one thousand. Not named numbers.py: Streamlit puts dashboard/ first on sys.path, where such a
module would shadow the standard library's `numbers` (in the forkserver's workers too).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal, localcontext
from numbers import Integral, Real
from typing import TYPE_CHECKING

from babel import Locale
from babel import numbers as babel_numbers

from dashboard.i18n import DEFAULT_LANGUAGE, current_lang

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

BABEL_LOCALES = {"en": "en", "es": "es"}
# Four-digit numbers: Spanish groups them too ("1.000", "10.000"), as issue #15 asks and as Babel writes them
# (Babel 2.19 does not apply CLDR's minimumGroupingDigits = 2 for es, the RAE's "1000"). One rule for every size keeps
# a column of sizes (1.000, 10.000, 100.000) uniform; the charts do the same (separatethousands in chart_display).
# tests/test_number_format.py pins "1.000", so a Babel that starts writing "1000" is noticed.
GROUPED_INTEGER = "#,##0"
# Plotly's `separators`: the decimal mark, then the thousands separator (d3-format follows it in ticks and hovers).
PLOTLY_SEPARATORS = {"en": ".,", "es": ",."}
# Units are SI and IEC symbols, the same in both languages: CLDR's short English second is "sec", its micro sign is
# the Greek mu, and it has no binary byte units (its kB is 1000 bytes).
SECONDS_PER = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}
BYTE_UNITS = ("B", "KiB", "MiB", "GiB", "TiB")


def locale_of(lang: str | None = None) -> str:
    """Babel's locale for `lang`; the session's language when None."""
    return BABEL_LOCALES.get(current_lang() if lang is None else lang, BABEL_LOCALES[DEFAULT_LANGUAGE])


def _decimals_pattern(decimals: int) -> str:
    return GROUPED_INTEGER + ("." + "0" * decimals if decimals > 0 else "")


def _not_finite(value: float, lang: str | None) -> str:
    return babel_numbers.format_decimal(value, locale=locale_of(lang))  # NaN, ∞, -∞


def _decimal(value: Decimal | int, pattern: str, lang: str | None) -> str:
    """Babel's format_decimal with room for every digit (the default decimal context keeps 28: 10**30 would fail)."""
    with localcontext() as context:
        context.prec = max(context.prec, len(str(abs(value))) + 10)
        return babel_numbers.format_decimal(value, format=pattern, locale=locale_of(lang))


def integer(value: int, lang: str | None = None) -> str:
    """A whole number with the language's grouping: 10,000 / 10.000."""
    return _decimal(int(value), GROUPED_INTEGER, lang)


def fixed(value: float, decimals: int, lang: str | None = None) -> str:
    """`value` with exactly `decimals` decimals, grouped: 1,234.5 / 1.234,5.

    Rounded as Python's `:.{decimals}f` rounds it (the exact binary value), so English reads as it always did.
    """
    if not math.isfinite(value):
        return _not_finite(value, lang)
    rounded = Decimal(f"{value:.{decimals}f}")
    return _decimal(rounded, _decimals_pattern(decimals), lang)


def significant(value: float, digits: int = 4, lang: str | None = None) -> str:
    """`value` to `digits` significant digits, chosen as `:.{digits}g` does: 0.1235 / 0,1235; 1.5E-7 / 1,5E-7."""
    if not math.isfinite(value):
        return _not_finite(value, lang)
    text = f"{value:.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    pattern = "0" if exponent else GROUPED_INTEGER
    decimals = len(mantissa.partition(".")[2])
    if decimals:
        pattern += "." + "0" * decimals
    if exponent:
        return babel_numbers.format_scientific(Decimal(text), format=pattern + "E0", locale=locale_of(lang))
    return _decimal(Decimal(text), pattern, lang)


def percent(fraction: float, decimals: int = 0, lang: str | None = None) -> str:
    """A fraction as a percentage, with the language's sign and spacing: 12% / 12 %."""
    if not math.isfinite(fraction):
        return _not_finite(fraction, lang)
    locale = locale_of(lang)
    language_pattern = Locale.parse(locale).percent_formats[None].pattern  # "#,##0%" / "#,##0 %"
    pattern = language_pattern.replace(GROUPED_INTEGER, _decimals_pattern(decimals), 1)
    rounded = Decimal(f"{fraction * 100:.{decimals}f}") / 100
    return babel_numbers.format_percent(rounded, format=pattern, locale=locale)


def ratio(value: float, decimals: int = 0, lang: str | None = None) -> str:
    """How many times: 8,000× / 8.000×, 0.40× / 0,40×."""
    return fixed(value, decimals, lang) + "×"


def duration(seconds: float, unit: str = "s", decimals: int = 1, lang: str | None = None) -> str:
    """A time given in seconds, written in `unit` (s, ms, µs or ns): 7.0 s / 7,0 s."""
    return f"{fixed(seconds / SECONDS_PER[unit], decimals, lang)} {unit}"


def time_span(seconds: float, lang: str | None = None) -> str:
    """A time in the largest unit that keeps it at 1 or more (s, ms, µs, ns), three significant digits: 12.3 ms."""
    for unit in ("s", "ms", "µs"):
        if abs(seconds) >= SECONDS_PER[unit]:
            return f"{significant(seconds / SECONDS_PER[unit], 3, lang)} {unit}"
    return f"{significant(seconds / SECONDS_PER['ns'], 3, lang)} ns"


def byte_size(count: int, lang: str | None = None) -> str:
    """Bytes in binary units: 512 B, 390.6 KiB / 390,6 KiB."""
    value = float(count)
    for unit in BYTE_UNITS:
        if value < 1024 or unit == BYTE_UNITS[-1]:
            return f"{fixed(value, 0 if unit == 'B' else 1, lang)} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def is_number(value: object) -> bool:
    """A number to format: ints and floats (numpy's too), not booleans."""
    return isinstance(value, Real) and not isinstance(value, bool)


def number(value: object, lang: str | None = None) -> object:
    """Any value as shown in text: whole numbers grouped, floats to 6 significant digits (like `:g`), others as-is."""
    if not is_number(value):
        return value
    return integer(value, lang) if isinstance(value, Integral) else significant(float(value), 6, lang)


def numbers_in(params: Mapping[str, object], lang: str | None = None) -> dict[str, object]:
    """Catalog parameters with every number written in the language (strings, e.g. names, untouched)."""
    return {name: number(value, lang) for name, value in params.items()}


def table(rows: Iterable[Mapping[str, object]], lang: str | None = None) -> Styler:
    """Rows for st.dataframe whose numbers show in the language (whole numbers grouped, others to 4 significant
    digits) while the cells keep their values, so columns still sort as numbers.

    Streamlit's grid would write bare numbers in the browser's locale, which need not be the learner's language.
    """
    # imported here, not at the top: pandas' Styler (with jinja2) adds ~55 MB, needed only where a table is drawn
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    columns = [c for c in frame.columns if any(is_number(v) for v in frame[c].tolist())]

    def cell(value: object) -> str:
        if not is_number(value):
            return str(value)
        return integer(value, lang) if isinstance(value, Integral) else significant(float(value), 4, lang)

    return frame.style.format(cell, subset=columns)


def plotly_separators(lang: str | None = None) -> str:
    """Plotly's layout `separators` for the language: decimal mark, then thousands separator."""
    return PLOTLY_SEPARATORS.get(current_lang() if lang is None else lang, PLOTLY_SEPARATORS[DEFAULT_LANGUAGE])
