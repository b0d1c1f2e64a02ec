"""Every chart offers its numbers as a table (issue #24): a toggle under it, off by default, in the learner's
language."""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from dashboard.i18n import catalog
from tests.frame.test_chart_palette import PAGE_QUERIES, readable_without_red_green

TIME = "grad_modes.chart.time"
SCALING = "grad_modes.chart.scaling_time"


def spec(at, index: int) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def chart_index(at, title: str) -> int:
    return next(i for i in range(len(at.get("plotly_chart"))) if spec(at, i)["layout"]["title"]["text"] == title)


def shown(element):
    """The table's cells as the learner reads them (the Styler's display values)."""
    return convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)


def chart_tables(elements, lang: str) -> list:
    """The tables (st.dataframe or st.table) that hold a chart's numbers: those with a series column."""
    return [e for e in elements if catalog(lang)["common.chart_series"] in e.value.columns]


def open_table(at, key: str, lang: str):
    """Switch on the toggle under the chart at `key`; the one chart table then shown."""
    at.toggle(key=f"chart_data.{key}").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    (table,) = chart_tables(at.dataframe, lang)
    at.toggle(key=f"chart_data.{key}").set_value(False)
    return table


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_table_under_a_chart_holds_the_charts_own_numbers(make_app, lang):
    texts = catalog(lang)
    at = make_app({"lang": lang, "size": "1000"}, page="grad-modes")
    toggles = [at.toggle(key=f"chart_data.{key}") for key in (TIME, SCALING)]
    assert all(toggle.label == texts["common.chart_data"] and toggle.value is False for toggle in toggles)
    assert not chart_tables(at.dataframe, lang)  # off by default: the page's layout is as before

    table = open_table(at, TIME, lang)
    figure = spec(at, chart_index(at, texts["grad_modes.chart.time_title"]))
    (bar,), mode = figure["data"], figure["layout"]["yaxis"]["title"]["text"]  # bars across: the modes on y
    values = table.value
    assert list(values[texts["common.chart_series"]]) == [bar["name"]] * len(bar["y"])
    assert list(values[mode]) == bar["y"] and list(values["µs"]) == pytest.approx(bar["x"])
    assert list(values["µs +"]) == pytest.approx(bar["error_x"]["array"])  # the IQR, along the value axis
    assert list(values["µs −"]) == pytest.approx(bar["error_x"]["arrayminus"])

    table = open_table(at, SCALING, lang)
    figure = spec(at, chart_index(at, texts["grad_modes.chart.scaling_time_title"]))
    lines, work_title = figure["data"], figure["layout"]["xaxis"]["title"]["text"]
    values = table.value
    assert list(values[texts["common.chart_series"]]) == [line["name"] for line in lines for _ in line["y"]]
    assert list(values[work_title]) == [x for line in lines for x in line["x"]]
    assert list(values["µs"]) == pytest.approx([y for line in lines for y in line["y"]])
    # numbers in the learner's language: work counts grouped as the language groups them
    work = shown(table)[work_title].tolist()
    assert any(("," if lang == "en" else ".") in w for w in work) and all(" " not in w for w in work)


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("steps", {"n": "5000", "step": "12"}),
        ("autograd", {"x": "1,2,3", "program": "y = x * w + b", "backward": "1"}),
        ("loops", {"program": "y = x * 2 + 5", "sizes": "10", "budget": "0.05", "profile": "1"}),
    ],
)
def test_every_chart_has_its_own_toggle_in_the_learners_language(make_app, page, query):
    at = make_app({"lang": "es", **query}, page=page)
    toggles = [t for t in at.toggle if (t.key or "").startswith("chart_data.")]
    assert len(toggles) == len(at.get("plotly_chart")) > 0 and len({t.key for t in toggles}) == len(toggles)
    assert {t.label for t in toggles} == {catalog("es")["common.chart_data"]} and not any(t.value for t in toggles)


def test_presenting_shows_the_chart_table_as_an_html_table(make_app):
    at = make_app({"presenter": "1", "size": "1000"}, page="grad-modes")
    assert not chart_tables(at.table, "en")
    at.toggle(key=f"chart_data.{SCALING}").set_value(True).run()
    assert not at.exception
    assert len(chart_tables(at.table, "en")) == 1 and not chart_tables(at.dataframe, "en")


def test_the_rows_leave_out_drawn_edges_and_keep_asymmetric_error_bars():
    import plotly.graph_objects as go

    from dashboard.chart_display import chart_rows
    from dashboard.chart_parts import quartile_bars

    figure = go.Figure(
        [
            go.Scatter(x=[0, 1, None], y=[0, 1, None], mode="lines", hoverinfo="skip", name="edges"),
            go.Scatter(x=[10, 100], y=[2.0, 3.0], name="loop", error_y=quartile_bars([(2.0, 1.5, 2.25), (3, 3, 4)])),
        ]
    )
    figure.update_layout(xaxis_title="n", yaxis_title="s")
    assert chart_rows(figure, "serie") == [
        {"serie": "loop", "n": 10, "s": 2.0, "s −": 0.5, "s +": 0.25},
        {"serie": "loop", "n": 100, "s": 3.0, "s −": 0, "s +": 1},
    ]


def test_a_bar_drawn_from_a_base_shows_where_it_starts_and_how_long_it_is():
    import plotly.graph_objects as go

    from dashboard.chart_display import chart_rows

    figure = go.Figure(go.Bar(base=[5.0, 20.0], x=[2.5, 1.0], y=[0, 1], orientation="h", name="aten::add"))
    figure.update_layout(xaxis_title="start (µs)", yaxis_title="depth")
    assert chart_rows(figure, "s") == [
        {"s": "aten::add", "start (µs)": 5.0, "depth": 0, "start (µs) +": 2.5},
        {"s": "aten::add", "start (µs)": 20.0, "depth": 1, "start (µs) +": 1.0},
    ]
    figure.update_traces(base=np.array([5.0, 20.0]))  # Plotly keeps numpy arrays as they are
    assert [row["start (µs)"] for row in chart_rows(figure, "s")] == [5.0, 20.0]


def test_the_rows_of_a_figure_with_subplots_say_which_subplot_they_come_from():
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from dashboard.chart_display import chart_rows

    figure = make_subplots(rows=2, cols=1, subplot_titles=["loop", "vectorized"])
    for row, start in ((1, 3.0), (2, 4.0)):
        figure.add_trace(go.Bar(base=[start], x=[1.0], y=[0], orientation="h", name="aten::add"), row=row, col=1)
    assert [r["s"] for r in chart_rows(figure, "s")] == ["loop: aten::add", "vectorized: aten::add"]
    assert [r["s"] for r in chart_rows(go.Figure(go.Bar(x=[1], y=[2], name="a")), "s")] == ["a"]


def test_the_profilers_timeline_table_names_each_bar_by_its_subplot(make_app):
    query = {"program": "y = x * 2 + 5", "sizes": "10", "budget": "0.05", "profile": "1"}
    at = make_app(query, page="loops")
    table = open_table(at, "loops.chart.profile_timeline", "en")
    figure = spec(at, chart_index(at, catalog("en")["loops.profile.chart.timeline_title"]))
    titles = [a["text"] for a in figure["layout"]["annotations"][:2]]
    names = list(table.value[catalog("en")["common.chart_series"]])
    assert len(names) == sum(len(trace["x"]) for trace in figure["data"])
    assert {name.split(": ")[0] for name in names} == set(titles)


@pytest.mark.parametrize(("lang", "presenter"), [("en", "0"), ("es", "1")])
@pytest.mark.parametrize("page", list(PAGE_QUERIES))
def test_every_chart_reads_without_red_green_and_its_table_opens_at_once_on_every_page(make_app, page, lang, presenter):
    at = make_app({"lang": lang, "presenter": presenter, **PAGE_QUERIES[page]}, page=page)
    readable_without_red_green(at)  # on this run, before the tables open (one page run serves both checks)
    for toggle in [t for t in at.toggle if (t.key or "").startswith("chart_data.")]:
        toggle.set_value(True)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    tables = chart_tables(at.table if presenter == "1" else at.dataframe, lang)
    assert len(tables) == len(at.get("plotly_chart")) and all(len(t.value) for t in tables)
