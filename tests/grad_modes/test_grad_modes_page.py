"""The grad-modes page through AppTest: workloads, modes, sizes, refusals, charts read back from the spec."""

import json

import pytest

from core.grad_modes.modes import MODES
from dashboard.i18n import catalog
from pages.grad_modes.charts import ANYWAY_COLOUR, EXTRA_COLOUR

EN = catalog("en")


def open_page(make_app, **query):
    return make_app({"size": "2000", **query}, page="grad-modes")


def charts(at) -> dict[str, dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"].replace("<br>", " "): spec for spec in specs}  # presenting: two lines


def test_the_program_workload_shows_each_mode_and_a_zero_ledger_without_grad(make_app):
    at = open_page(make_app)
    assert len(at.table) == 2 and not at.dataframe  # plain tables, which wrap: the grid cut "is_inferenc"
    table, timing = at.table[0].value, at.table[1].value
    assert list(timing.columns) == [EN[f"grad_modes.table.{c}"] for c in ("mode", "median", "iqr", "runs", "noisy")]
    assert list(table["saved bytes"]) == [2000 * 4, 0, 0]
    assert list(table["grad_fn"]) == ["SubBackward0", "None", "None"]
    assert list(table["is_inference()"]) == [False, False, True]
    saved = charts(at)[EN["grad_modes.chart.saved_title"]]
    extra = next(trace for trace in saved["data"] if trace["name"] == EN["grad_modes.chart.extra"])
    assert extra["x"] == [8000, 0, 0]  # bars lie across: the bytes on x, the modes on y
    time_chart = charts(at)[EN["grad_modes.chart.time_title"]]
    assert len(time_chart["data"][0]["x"]) == 3 and all(v > 0 for v in time_chart["data"][0]["x"])
    assert EN["grad_modes.no_peak"] in [c.value for c in at.caption]


def test_switching_to_the_mlp_and_changing_the_batch(make_app):
    at = open_page(make_app, workload="mlp", width="16", depth="2", batch="8")
    table = at.table[0].value
    assert list(table["extra bytes"])[0] == 4 * 8 * 16
    at.number_input(key="widget.batch").set_value(32).run()
    assert list(at.table[0].value["extra bytes"])[0] == 4 * 32 * 16
    assert at.query_params["batch"] == "32" and "size" not in at.query_params
    scaling = charts(at)[EN["grad_modes.chart.scaling_saved_title"]]
    extra = next(trace for trace in scaling["data"] if trace["name"] == EN["grad_modes.chart.extra"])
    assert extra["x"] == [8 * 16, 16 * 16, 32 * 16] and extra["y"] == [4 * 8 * 16, 4 * 16 * 16, 4 * 32 * 16]
    at.radio(key="widget.workload").set_value("program").run()
    assert list(at.table[0].value["saved bytes"])[0] == 2000 * 4


def test_an_oversized_request_is_refused_without_exception(make_app):
    at = open_page(make_app, workload="mlp", width="4096", depth="8", batch="65536", dtype="float64")
    assert any("Refused before allocating" in e.value for e in at.error)
    assert not at.get("plotly_chart")


def test_out_of_range_link_values_fall_back_with_notices(make_app):
    at = open_page(make_app, workload="gpu", width="99999", batch="-1")
    warning = at.warning[0].value.replace("\\", "")
    for name in ("workload", "width", "batch"):
        assert f"{name}=" in warning


def test_consequences_run_and_their_fixes_open(make_app):
    at = open_page(make_app)
    codes = [c.value for c in at.code]
    assert any(c.startswith("RuntimeError: Inference tensors cannot be saved for backward") for c in codes)
    at.button(key="grad_modes.case.fix.dropout_no_grad").click().run()
    assert at.query_params["fixes"] == "dropout_no_grad"
    assert any(c.startswith("model.training: False") for c in (c.value for c in at.code))


def test_the_program_expander_names_only_the_inputs_the_program_reads(make_app):
    for program, inputs in (("y = x * 2", "x"), ("y = x * w + b", "x, w, b")):
        at = make_app({"workload": "program", "program": program, "size": "100"}, page="grad-modes")
        assert [e.label for e in at.expander][0] == EN["grad_modes.program_shown"].format(inputs=inputs)


def test_byte_charts_keep_their_width_and_count_elements_in_whole_numbers(make_app):
    at = open_page(make_app, workload="mlp", width="1", depth="1", batch="4")
    for title in (EN["grad_modes.chart.saved_title"], EN["grad_modes.chart.scaling_saved_title"]):
        layout = charts(at)[title]["layout"]
        # the legend lies under the chart, across it, instead of squeezing the plot from the right
        assert layout["legend"]["orientation"] == "h" and layout["legend"]["yref"] == "container"
        assert layout["yaxis"]["automargin"] is True  # the margin grows to hold the axis title or mode names
    scaling = charts(at)[EN["grad_modes.chart.scaling_saved_title"]]
    work = scaling["data"][0]["x"]
    assert work == [1, 2, 4] and scaling["layout"]["xaxis"]["dtick"] == 1  # 1 2 3 4 elements, not 1 1.5 2 …
    assert scaling["layout"]["xaxis"]["tickformat"] == "~s" and scaling["layout"]["xaxis"]["automargin"] is True


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("presenter", ["0", "1"])
def test_per_mode_bars_lie_across_with_each_modes_name_level_on_the_category_axis(make_app, lang, presenter):
    """Upright bars turned the mode names 45°, and presenting clipped them ("with tracking (default)")."""
    texts = catalog(lang)
    at = open_page(make_app, lang=lang, presenter=presenter)
    names = [texts[f"grad_modes.mode.{mode}"] for mode in MODES]
    for title in ("grad_modes.chart.time_title", "grad_modes.chart.saved_title"):
        figure = charts(at)[texts[title]]
        assert all(bar["orientation"] == "h" and bar["y"] == names for bar in figure["data"])
        category, value = figure["layout"]["yaxis"], figure["layout"]["xaxis"]
        assert category["tickangle"] == 0 and category["automargin"] is True
        assert category["autorange"] == "reversed"  # read top-down in the table's order
        assert category["title"]["text"] == texts["grad_modes.table.mode"]
        assert value["title"]["text"] in {"µs", texts["grad_modes.chart.bytes"]}
    (timing,) = charts(at)[texts["grad_modes.chart.time_title"]]["data"]
    assert "error_y" not in timing and len(timing["error_x"]["array"]) == len(names)  # IQR along the time axis
    assert [bar["marker"]["color"] for bar in charts(at)[texts["grad_modes.chart.saved_title"]]["data"]] == [
        ANYWAY_COLOUR,
        EXTRA_COLOUR,
    ]
