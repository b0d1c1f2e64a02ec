"""Numbers follow the language (issue #15, point 9): pages opened in English and Spanish, their numbers read back.

Exact strings where the value is fixed by the inputs; patterns where it is a measured time.
"""

from __future__ import annotations

import json
import re

import pytest
import torch
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from core.grad_modes.modes import MAX_MLP_WORK
from core.tensors import InputError, random_input, summarize
from dashboard.i18n import catalog
from dashboard.messages import error_message
from dashboard.number_format import significant

# a grouped whole number: 7, 1,000, 12,345 in English; 7, 1.000, 12.345 in Spanish
WHOLE = {"en": r"\d{1,3}(,\d{3})*", "es": r"\d{1,3}(\.\d{3})*"}
DECIMAL_MARK = {"en": ".", "es": ","}
SEPARATORS = {"en": ".,", "es": ",."}
LANGS = ["en", "es"]


def decimal(lang: str, places: int) -> str:
    """A grouped number with exactly `places` decimals in `lang`, as a regex."""
    return WHOLE[lang] + re.escape(DECIMAL_MARK[lang]) + rf"\d{{{places}}}"


def shown_table(element):
    """What a st.dataframe shows in its cells (the Styler's display values), not the values it keeps."""
    return convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)


def plain(markdown: str) -> str:
    """Text as shown: catalog parameters are markdown-escaped (1\\,000), the backslashes are not displayed."""
    return markdown.replace("\\", "")


def specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def assert_charts_follow(at, lang: str) -> None:
    charts = specs(at)
    assert charts
    for spec in charts:
        layout = spec["layout"]
        assert layout["separators"] == SEPARATORS[lang]
        assert layout["xaxis"]["separatethousands"] is True and layout["yaxis"]["separatethousands"] is True


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", LANGS)
def test_loops_page_sizes_speedups_table_and_charts(make_app, lang):
    at = make_app({"lang": lang, "sizes": "10,1000", "budget": "0.05"}, page="loops")
    texts = catalog(lang)
    thousand = {"en": "1,000", "es": "1.000"}[lang]
    options = at.multiselect(key="widget.sizes").options
    larger = {"en": ["10,000", "1,000,000"], "es": ["10.000", "1.000.000"]}[lang]
    assert {thousand, *larger} <= set(options)
    headline = [m for m in at.metric if plain(m.label).endswith(f"n = {thousand}")]
    assert len(headline) == 2
    # on a loaded machine the loop at n = 1,000 may be estimated from its cost per element, and says so
    speedup = WHOLE[lang] + "×( " + re.escape(texts["loops.estimated_tag"]) + ")?"
    for metric in headline:
        assert metric.value == texts["timing.within_spread"] or re.fullmatch(speedup, metric.value)
    assert re.fullmatch(decimal(lang, 1) + " s", metric_values(at)[texts["loops.wall"]])
    table = shown_table(at.dataframe[0])
    assert table["n"].tolist() == ["10", thousand]
    assert at.dataframe[0].value["n"].tolist() == [10, 1000]  # the cells keep their numbers (sorting, downloads)
    assert_charts_follow(at, lang)
    bandwidth = next(s for s in specs(at) if s["layout"]["title"]["text"] == texts["loops.chart.bandwidth_title"])
    # a share of the copy's bandwidth; at n = 10 and a short budget it can pass 1,000 % (grouped like any number)
    share = {"en": r"\d{1,3}(,\d{3})*\.\d%", "es": "\\d{1,3}(\\.\\d{3})*,\\d\u00a0%"}[lang]
    shares = bandwidth["data"][0]["customdata"]
    assert all(re.fullmatch(share, text) for text in shares), shares


@pytest.mark.parametrize("lang", LANGS)
def test_grad_modes_metrics_and_table(make_app, lang):
    at = make_app({"lang": lang, "size": "2000"}, page="grad-modes")
    texts = catalog(lang)
    metrics = metric_values(at)
    # 2000 float32 values saved for backward: 8000 bytes
    assert metrics[texts["grad_modes.metric.saved"]] == {"en": "7.8 KiB", "es": "7,8 KiB"}[lang]
    time_saved = metrics[texts["grad_modes.metric.time_saved"]]
    if time_saved not in (texts["timing.within_spread"], texts["timing.noisy"]):
        amount = re.escape("{amount}")
        shapes = [
            re.escape(texts[k]).replace(amount, decimal(lang, 1) + " µs")
            for k in ("timing.faster_by", "timing.slower_by")
        ]
        assert any(re.fullmatch(shape, plain(time_saved)) for shape in shapes), time_saved
    records, timing = shown_table(at.table[0]), shown_table(at.table[1])
    assert records[texts["grad_modes.table.saved"]].tolist()[0] == {"en": "8,000", "es": "8.000"}[lang]
    assert all(re.fullmatch(decimal(lang, 1), v) for v in timing[texts["grad_modes.table.median"]])
    assert_charts_follow(at, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_pitfalls_loop_timing(make_app, lang):
    at = make_app({"lang": lang, "case": "unnecessary_loop"}, page="pitfalls")
    texts = catalog(lang)
    metrics = metric_values(at)
    assert re.fullmatch(decimal(lang, 2) + " ms", metrics[texts["pitfalls.loop_time"]])
    assert re.fullmatch(decimal(lang, 1) + " µs", metrics[texts["pitfalls.vectorized_time"]])
    speedup = metrics[texts["pitfalls.speedup"]]
    assert speedup == texts["timing.within_spread"] or re.fullmatch(WHOLE[lang] + "×", speedup)
    thousand = {"en": "1\\,000", "es": "1\\.000"}[lang]  # markdown-escaped, as the caption's source holds it
    assert any(c.value == texts["pitfalls.loop_timing_note"].format(n=thousand) for c in at.caption)


@pytest.mark.parametrize("lang", LANGS)
def test_steps_summary_metrics(make_app, lang):
    at = make_app({"lang": lang, "n": "100000"}, page="steps")
    texts = catalog(lang)
    x = random_input(100_000, "float32", "cpu", 0)
    y = x * 2 + 5
    z = y**2 - 10
    values = [m.value for m in at.metric]
    assert len(values) == 8  # one card per statement, four figures each
    for card, tensor in zip((values[:4], values[4:]), (y, z), strict=True):
        summary = summarize(tensor)
        expected = [significant(v, 4, lang) for v in (summary.minimum, summary.maximum, summary.mean)]
        assert card == [*expected, {"en": "100,000", "es": "100.000"}[lang]]
    mean_z = values[6]
    assert DECIMAL_MARK[lang] in mean_z and DECIMAL_MARK["es" if lang == "en" else "en"] not in mean_z
    labels = [m.label for m in at.metric]
    assert labels[:4] == [texts[f"steps.summary.{k}"] for k in ("min", "max", "mean", "numel")]
    assert_charts_follow(at, lang)


def test_english_and_spanish_never_share_a_thousand():
    """The same refusal in both languages: English groups with commas, Spanish with dots (never "1,000" as one)."""
    work = 4096 * 4096 * 8 * 65536
    error = InputError("mlp_too_much_work", limit=MAX_MLP_WORK, work=work)
    english, spanish = error_message("en", error), error_message("es", error)
    assert "2\\,000\\,000\\,000" in english and "8\\,796\\,093\\,022\\,208" in english
    assert "2\\.000\\.000\\.000" in spanish and "8\\.796\\.093\\.022\\.208" in spanish
    assert error_message("es", InputError("n_out_of_range", limit=10**7)) == "n debe estar entre 1 y 10\\.000\\.000."


def test_a_size_refused_on_the_spanish_loops_page_names_its_limit_in_spanish(make_app):
    at = make_app({"lang": "es", "sizes": "10,30000000", "budget": "0.05"}, page="loops")
    assert at.error[0].value == error_message("es", InputError("n_out_of_range", limit=10**7))
    assert "10\\.000\\.000" in at.error[0].value
    assert torch.__version__  # the page ran real PyTorch
