"""dashboard/number_format.py against Babel's own output and the issue's examples, in both languages."""

from __future__ import annotations

import math

import numpy as np
import pytest
from babel import numbers as babel_numbers

from dashboard import number_format as nf


@pytest.mark.parametrize("lang", ["en", "es"])
def test_integers_and_decimals_are_babels_own_output(lang):
    for value in (0, 7, 999, 1000, 10_000, 1_234_567, -2500):
        assert nf.integer(value, lang) == babel_numbers.format_decimal(value, format="#,##0", locale=lang)
    for value, decimals in ((1000.5, 1), (0.4, 2), (12345.678, 3), (-3.25, 1)):
        expected = babel_numbers.format_decimal(value, format="#,##0." + "0" * decimals, locale=lang)
        assert nf.fixed(value, decimals, lang) == expected


def test_the_issues_spanish_examples():
    assert nf.integer(1000, "es") == "1.000"  # grouped, never "1,000" (see the comment in number_format)
    assert nf.integer(10_000, "es") == "10.000"
    assert nf.ratio(0.4, 2, "es") == "0,40×"
    assert nf.duration(7.0, "s", 1, "es") == "7,0 s"
    assert nf.byte_size(400_000, "es") == "390,6 KiB"


def test_english_reads_as_python_formatted_it_before():
    for value in (0.0, 1000.5, 1234.25, 0.125, 2.675, 98765.4321, -0.04):
        for decimals in (0, 1, 2, 3):
            assert nf.fixed(value, decimals, "en") == f"{value:,.{decimals}f}"
    assert nf.integer(1_000_000, "en") == f"{1_000_000:,}"
    assert nf.ratio(8123.4, 0, "en") == "8,123×"
    assert nf.duration(5.2134e-3, "ms", 2, "en") == "5.21 ms"
    assert nf.duration(0.0001234, "µs", 1, "en") == "123.4 µs"
    assert nf.duration(1.5e-9, "ns", 1, "en") == "1.5 ns"


def test_numbers_past_the_default_decimal_precision():
    assert nf.integer(10**30, "es") == "1" + ".000" * 10
    assert nf.fixed(1e30, 1, "en") == f"{1e30:,.1f}"


def test_byte_sizes_climb_binary_units():
    assert [nf.byte_size(n, "en") for n in (0, 1023, 1024, 1536 * 1024, 3 * 1024**3)] == [
        "0 B",
        "1,023 B",
        "1.0 KiB",
        "1.5 MiB",
        "3.0 GiB",
    ]
    assert nf.byte_size(1023, "es") == "1.023 B" and nf.byte_size(5 * 1024**4, "es") == "5,0 TiB"


def test_significant_digits_follow_python_g_then_the_language():
    assert nf.significant(0.123456, 4, "en") == "0.1235" and nf.significant(0.123456, 4, "es") == "0,1235"
    assert nf.significant(1234.5, 4, "en") == "1,234" and nf.significant(1234.5, 4, "es") == "1.234"
    assert nf.significant(2.0, 4, "es") == "2" and nf.significant(-19.75, 4, "es") == "-19,75"
    # beyond :g's fixed range, Babel's scientific form with the language's decimal mark
    assert nf.significant(1.5e-7, 4, "en") == "1.5E-7" and nf.significant(1.5e-7, 4, "es") == "1,5E-7"
    assert nf.significant(12345.6, 4, "es") == babel_numbers.format_scientific(1.235e4, format="0.000E0", locale="es")
    assert nf.significant(math.inf, 4, "es") == "∞" and nf.significant(math.nan, 4, "en") == "NaN"


def test_percentages_use_each_languages_sign_and_space():
    assert nf.percent(0.12, 0, "en") == "12%"
    assert nf.percent(0.12, 0, "es") == babel_numbers.format_percent(0.12, locale="es") == "12\u00a0%"
    assert nf.percent(0.4531, 1, "en") == "45.3%" and nf.percent(0.4531, 1, "es") == "45,3\u00a0%"


def test_catalog_parameters_format_numbers_and_leave_text_alone():
    params = {"limit": 2_000_000_000, "seconds": 0.05, "tol": 1e-05, "name": "x", "flag": True}
    assert nf.numbers_in(params, "es") == {
        "limit": "2.000.000.000",
        "seconds": "0,05",
        "tol": "1E-5",
        "name": "x",
        "flag": True,
    }
    assert nf.numbers_in(params, "en")["limit"] == "2,000,000,000" and nf.number(17.5, "en") == "17.5"


def test_a_table_shows_numbers_in_the_language_and_keeps_their_values():
    rows = [
        {"n": 1000, "seconds": 1.5e-5, "ok": True, "peak": "—"},
        {"n": 10, "seconds": 2.25, "ok": False, "peak": 4096},
    ]
    styled = nf.table(rows, "es")
    assert styled.data["n"].tolist() == [1000, 10] and styled.data["seconds"].tolist() == [1.5e-5, 2.25]
    shown = styled.hide(axis="index").to_string(delimiter="|")  # the display value of every cell
    assert shown.splitlines() == ["n|seconds|ok|peak", "1.000|1,5E-5|True|—", "10|2,25|False|4.096"]
    assert nf.table([{"n": np.int64(12345)}], "en").data["n"].tolist() == [12345]


def test_plotly_separators_per_language():
    assert nf.plotly_separators("en") == ".," and nf.plotly_separators("es") == ",."
    assert nf.plotly_separators("fr") == ".,"  # unknown languages fall back to English, as the catalogs do
