"""The loops page through AppTest, at small sizes: traces read back from the Plotly spec, controls, bad input."""

import json

from core.loops.table import COLUMNS
from dashboard.i18n import catalog, translate_plain
from pages.loops.views import column_label

EN = catalog("en")
SMALL = {"sizes": "10,100,300", "budget": "0.05"}


def sweep_table(at, index: int = 0):
    """The sweep table with its stable column names (the page shows them in the learner's language)."""
    return at.dataframe[index].value.rename(columns={column_label(c, "en"): c for c in COLUMNS})


def open_loops(make_app, **query):
    return make_app({**SMALL, **query}, page="loops")


def charts(at) -> dict[str, dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def names(spec) -> list[str]:
    return [trace["name"] for trace in spec["data"]]


def test_a_small_sweep_draws_one_trace_per_implementation_and_a_table(make_app):
    # a budget the loop at n = 300 fits even on a loaded machine: past it, the loop is estimated (its own trace);
    # the parallel suite measures at a tenth of it (EAGER_LAB_TIMING_SCALE), so 2 s (the most) times for 0.2 s
    at = open_loops(make_app, budget="2")
    figures = charts(at)
    time_chart = figures[EN["loops.chart.time_title"]]
    assert names(time_chart)[:3] == [
        EN["loops.impl.lesson_loop"],
        EN["loops.impl.float_loop"],
        EN["loops.impl.vectorized"],
    ]
    for trace in time_chart["data"]:
        assert trace["x"] == [10, 100, 300] and all(y > 0 for y in trace["y"])
        assert len(trace["error_y"]["array"]) == 3
    assert time_chart["layout"]["xaxis"]["type"] == "log" and time_chart["layout"]["yaxis"]["type"] == "log"
    bandwidth = figures[EN["loops.chart.bandwidth_title"]]
    assert names(bandwidth) == [EN["loops.impl.vectorized"], EN["loops.chart.copy"]]
    table = sweep_table(at)
    assert list(table["n"]) == [10, 100, 300]
    speedups = figures[EN["loops.chart.speedup_title"]]["data"][0]["y"]
    assert list(table["speedup_lesson_loop"]) == speedups
    assert at.success  # the three implementations agree on the current x


def test_log_axes_label_one_tick_per_power_of_ten(make_app):
    figures = charts(open_loops(make_app))
    bandwidth = figures[EN["loops.chart.bandwidth_title"]]["layout"]
    # Plotly's default log ticks also label 2 and 5 in every decade: "5 2 10 5 2 1 5 2 0.1 …", unreadable
    assert (bandwidth["yaxis"]["type"], bandwidth["yaxis"]["dtick"], bandwidth["yaxis"]["tickformat"]) == (
        "log",
        1,
        "~g",
    )
    for title in ("time_title", "speedup_title", "per_element_title", "bandwidth_title"):
        layout = figures[EN[f"loops.chart.{title}"]]["layout"]
        assert layout["xaxis"]["dtick"] == 1 and layout["yaxis"]["dtick"] == 1  # sizes 10 … 300 and times span decades


def test_loops_past_the_budget_are_drawn_dashed_and_labelled_estimated(make_app):
    at = open_loops(make_app, sizes="10,1000,100000", budget="0.01")
    time_chart = charts(at)[EN["loops.chart.time_title"]]
    estimated_name = EN["loops.chart.estimated"].format(name=EN["loops.impl.lesson_loop"])
    estimated = next(t for t in time_chart["data"] if t["name"] == estimated_name)
    assert estimated["line"]["dash"] == "dash" and estimated["x"][-1] == 100000
    table = sweep_table(at)
    assert bool(table["lesson_loop_estimated"].iloc[-1]) and not bool(table["lesson_loop_estimated"].iloc[0])
    assert EN["loops.estimated_explain"] in [c.value for c in at.caption]


def test_unchanged_inputs_reuse_the_result_and_measure_again_remeasures(make_app):
    at = open_loops(make_app)
    first = sweep_table(at)["vectorized_s"].tolist()
    was_noisy = noisy(at)
    at.run()
    if not was_noisy:  # a size that judged itself noisy is never kept: a rerun measures it again
        assert sweep_table(at)["vectorized_s"].tolist() == first
    at.button(key="loops.measure_again").click().run()
    assert sweep_table(at)["vectorized_s"].tolist() != first


def test_changing_threads_and_sizes_measures_again(make_app):
    at = open_loops(make_app)
    at.number_input(key="widget.threads").set_value(1).run()
    assert "1 thread" in at.caption[1].value or any("1 thread" in c.value for c in at.caption)
    at.multiselect(key="widget.sizes").set_value([10, 300]).run()
    assert list(sweep_table(at)["n"]) == [10, 300]
    assert at.query_params["sizes"] == "10,300" and at.query_params["threads"] == "1"


def test_a_huge_size_is_refused_before_allocating(make_app):
    at = open_loops(make_app, sizes="10,1000000000000")
    assert not at.exception
    assert any("Refused before allocating" in e.value for e in at.error)
    assert list(sweep_table(at)["n"]) == [10]


def test_a_size_beyond_the_range_is_refused(make_app):
    at = open_loops(make_app, sizes="10,30000000")
    assert translate_plain("en", "input.error.n_out_of_range", limit=10_000_000).split(" ")[0] in at.error[0].value
    assert list(sweep_table(at)["n"]) == [10]


def test_a_zero_or_negative_budget_falls_back_with_a_notice(make_app):
    for budget in ("0", "-1", "nan", "abc"):
        at = open_loops(make_app, budget=budget, sizes="10")
        assert f"budget=`{budget}`" in at.warning[0].value
        assert at.text_input(key="widget.budget").value == "0.5"


def test_a_program_with_a_reduction_is_explained_not_run(make_app):
    at = make_app({**SMALL, "program": "y = x * 2\nz = y.sum()"}, page="loops")
    message = at.error[0].value.replace("\\", "")
    assert message.startswith("Line 2, column 5:") and "sum()" in message
    assert at.info[0].value == EN["loops.elementwise_only"]
    assert not at.get("plotly_chart")


def test_a_second_visitor_with_the_same_settings_reuses_the_sweep(make_app):
    first = open_loops(make_app, sizes="10,30", seed="11")
    second = open_loops(make_app, sizes="10,30", seed="11")
    noisy_prefix = EN["measured.noisy"].split("{")[0]
    if any(w.value.startswith(noisy_prefix) for w in first.warning):
        # a sweep that judged itself noisy (a busy machine) is never kept: the second visitor measures again
        assert any(c.value.startswith("Measured at ") for c in second.caption)
        return
    assert sweep_table(second)["vectorized_s"].tolist() == sweep_table(first)["vectorized_s"].tolist()
    assert any(c.value.startswith("Measured at ") for c in second.caption)


def test_a_large_first_size_is_estimated_quickly_not_run_blind(make_app):
    at = open_loops(make_app, sizes="300000", budget="0.05")
    table = sweep_table(at)
    assert bool(table["lesson_loop_estimated"].iloc[0]) and bool(table["float_loop_estimated"].iloc[0])


def test_an_empty_size_choice_asks_for_one(make_app):
    at = open_loops(make_app)
    at.multiselect(key="widget.sizes").set_value([]).run()
    assert at.info[-1].value == EN["loops.no_sizes"]
    # no sweep chart; the profile of one size (tests/loops/test_profile_page.py) does not depend on the sweep's sizes
    assert not set(charts(at)) & {EN[f"loops.chart.{key}"] for key in ("time_title", "speedup_title")}


def test_a_budget_below_the_minimum_falls_back(make_app):
    at = open_loops(make_app, budget="0.001", sizes="10")
    assert "budget=`0.001`" in at.warning[0].value
    assert at.text_input(key="widget.budget").value == "0.5"


def test_time_error_bars_run_from_the_first_to_the_third_quartile(make_app):
    time_chart = charts(open_loops(make_app))[EN["loops.chart.time_title"]]
    bars = time_chart["data"][2]["error_y"]
    assert bars["symmetric"] is False and len(bars["array"]) == len(bars["arrayminus"]) == 3
    assert all(up >= 0 and down >= 0 for up, down in zip(bars["array"], bars["arrayminus"], strict=True))


def test_the_sweep_table_speaks_spanish_and_its_csv_keeps_stable_names(make_app):
    at = open_loops(make_app, lang="es")
    shown = list(at.dataframe[0].value.columns)
    assert "bucle de la lección (x[i]): tiempo (µs)" in shown and "vectorizado: tiempo (µs)" in shown
    assert not [c for c in shown if c in COLUMNS and c != "n"]  # no raw column name left


def test_sin_of_x_over_zero_gives_nan_as_pytorch_does_not_an_error(make_app):
    at = open_loops(make_app, sizes="10", program="y = torch.sin(x / 0)")
    assert not at.exception and not at.error
    assert at.success  # the loops give nan where the vectorized call does
    assert list(sweep_table(at)["n"]) == [10]


def noisy(at) -> bool:
    return any(w.value.startswith(EN["measured.noisy"].split("{")[0]) for w in at.warning)


def test_each_size_is_its_own_job_so_an_added_size_reuses_the_smaller_ones(make_app):
    at = open_loops(make_app, sizes="10,100", seed="12")
    first = sweep_table(at).set_index("n")["vectorized_s"]
    measured_at = [c.value for c in at.caption if c.value.startswith("Measured at ")]
    assert len(measured_at) == 2  # one job per size, each saying when and where it was measured
    progress = at.get("progress")[0].proto
    assert progress.value == 100 and progress.text == EN["loops.progress.done"].format(done=2, total=2)
    at.multiselect(key="widget.sizes").set_value([10, 100, 300]).run()
    grown = sweep_table(at).set_index("n")["vectorized_s"]
    assert list(grown.index) == [10, 100, 300]
    if not noisy(at) and not noisy(open_loops(make_app, sizes="10,100", seed="12")):
        assert grown[10] == first[10] and grown[100] == first[100]  # kept: not measured again


def test_sizes_past_the_sweeps_cap_are_not_submitted_and_the_page_says_which(make_app, monkeypatch):
    from core.loops import sweep

    monkeypatch.setattr(sweep, "MAX_SWEEP_S", 1e-9)  # spent by the first size, whatever it takes
    at = open_loops(make_app, sizes="10,100,300", seed="13")
    assert list(sweep_table(at)["n"]) == [10]
    message = EN["loops.not_measured"].format(limit="0", sizes="100; 300").split("n = ")[1]
    assert any(message in e.value.replace("\\", "") for e in at.error), [e.value for e in at.error]
    assert at.get("progress")[0].proto.text == EN["loops.progress.done"].format(done=1, total=3)


def test_the_sweep_is_drawn_as_sizes_arrive_and_once_whole_at_the_end(make_app, monkeypatch):
    from pages.loops import stream, views

    drawn = []
    real = views.sweep_result
    monkeypatch.setattr(stream, "REDRAW_AFTER_S", 0.0)  # every size, kept or not, draws the sweep so far
    monkeypatch.setattr(views, "sweep_result", lambda result, *a, **k: drawn.append(result) or real(result, *a, **k))
    at = open_loops(make_app, presenter="1")
    assert [sorted({p.n for p in result.points}) for result in drawn] == [[10], [10, 100], [10, 100, 300]]
    titles = [EN[f"loops.chart.{key}"] for key in ("time_title", "speedup_title", "per_element_title")]
    assert all(title in charts(at) for title in titles) and len(at.get("plotly_chart")) == 4
    assert {b.key for b in at.get("download_button")} >= {"loops.sweep.csv", "loops.sweep.json"}


def test_the_tables_times_are_in_one_unit_per_column_and_a_single_run_has_no_iqr(make_app):
    """No "2E-5" beside "0.0003767": every time is in µs with one decimal, in the learner's language; the IQR of a
    size timed once is "—", not "0"."""
    import re

    from core.loops.implementations import IMPLEMENTATIONS
    from tests.frame.test_numbers_per_language import decimal, shown_table

    for lang in ("en", "es"):
        at = open_loops(make_app, lang=lang, sizes="10,100000", budget="0.05")
        kept = at.dataframe[0].value.rename(columns={column_label(c, lang): c for c in COLUMNS})
        shown = shown_table(at.dataframe[0]).rename(columns={column_label(c, lang): c for c in COLUMNS})
        for name in IMPLEMENTATIONS:
            assert column_label(f"{name}_s", lang).endswith("(µs)")
            assert all(re.fullmatch(decimal(lang, 1), cell) for cell in shown[f"{name}_s"]), list(shown[f"{name}_s"])
            for runs, iqr in zip(kept[f"{name}_runs"], shown[f"{name}_iqr_s"], strict=True):
                assert (iqr == "—") if runs <= 1 else re.fullmatch(decimal(lang, 1), iqr)
        assert any(runs <= 1 for name in IMPLEMENTATIONS for runs in kept[f"{name}_runs"])  # the case in question
