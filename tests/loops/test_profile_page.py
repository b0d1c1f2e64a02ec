"""Where eager's time goes, on the loops page through AppTest: the profiler's table and charts read back, the size
control and its URL parameter, the Chrome traces, Spanish and presenter mode."""

import json
import re
from collections import Counter

from core.loops.profile import MAX_PROFILE_N, ProfileRequest, profile_loop_and_vectorized
from core.loops.table import PROFILE_COLUMNS
from core.settings import Settings
from dashboard.i18n import catalog
from pages.loops.views import profile_column_label

EN = catalog("en")
ES = catalog("es")
# the profile runs on demand: `profile=1` is what the page's button writes, so a link with it shows the profile
LESSON = {"program": "y = x * 2 + 5", "sizes": "10", "budget": "0.05", "profile": "1"}


def open_profile(make_app, **query):
    return make_app({**LESSON, **query}, page="loops")


def charts(at) -> dict[str, dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def profile_table(at, lang: str = "en"):
    (frame,) = [f for f in at.dataframe if profile_column_label("operator", lang) in f.value.columns]
    return frame.value.rename(columns={profile_column_label(c, lang): c for c in PROFILE_COLUMNS})


def test_the_lesson_loop_at_n_10_shows_ten_calls_of_each_operation(make_app):
    at = open_profile(make_app)
    assert at.number_input(key="widget.prof_n").value == 10 and at.query_params["prof_n"] == "10"
    table = profile_table(at).set_index("operator")
    for name in ("aten::select", "aten::mul", "aten::add", "aten::item"):
        assert table.loc[name, "lesson_loop_calls"] == 10
    assert table.loc["aten::mul", "vectorized_calls"] == table.loc["aten::add", "vectorized_calls"] == 1
    assert table.loc["aten::select", "vectorized_calls"] == 0
    # the same counts as the profiler reports for the same request, run directly
    direct = profile_loop_and_vectorized(ProfileRequest(program=LESSON["program"], n=10, settings=Settings()))
    assert dict(table["lesson_loop_calls"]) == {r.name: r.count for r in direct.profile("lesson_loop").operators}
    shares = [m for m in at.metric if m.label.endswith(EN["loops.profile.python_share"].format(impl="")[2:])]
    assert len(shares) == 2 and all(m.value.endswith("%") for m in shares)


def test_the_profile_runs_on_demand_and_its_link_reproduces_it(make_app):
    at = open_profile(make_app, profile="0")
    assert not profile_charts(at) and not [f for f in at.dataframe if "operator" in str(f.value.columns)]
    assert at.query_params["profile"] == "0"
    at.button(key="loops.profile.run").click().run()
    assert at.query_params["profile"] == "1"
    assert profile_charts(at) == {EN["loops.profile.chart.self_title"], EN["loops.profile.chart.timeline_title"]}
    assert profile_table(at).set_index("operator").loc["aten::select", "lesson_loop_calls"] == 10
    linked = open_profile(make_app)  # profile=1 in the link
    assert not [b for b in linked.button if b.key == "loops.profile.run"]
    calls = profile_table(linked).set_index("operator")["lesson_loop_calls"]
    assert calls["aten::select"] == calls["aten::mul"] == calls["aten::add"] == 10


def test_an_old_link_without_the_profile_parameter_still_opens(make_app):
    at = make_app({"program": "y = x * 2 + 5", "sizes": "10", "budget": "0.05", "prof_n": "25"}, page="loops")
    url_notices = [w for w in at.warning if w.icon == ":material/link_off:"]  # a noisy sweep may warn, rightly
    assert not url_notices and at.number_input(key="widget.prof_n").value == 25
    assert at.query_params["profile"] == "0" and [b for b in at.button if b.key == "loops.profile.run"]


def test_a_bad_profile_value_falls_back_with_a_notice(make_app):
    at = open_profile(make_app, profile="yes")
    assert "profile=`yes`" in at.warning[0].value and at.query_params["profile"] == "0"


def profile_charts(at) -> set[str]:
    titles = {EN["loops.profile.chart.self_title"], EN["loops.profile.chart.timeline_title"]}
    return set(charts(at)) & titles


def test_the_charts_carry_self_time_and_a_timeline_of_both_implementations(make_app):
    figures = charts(open_profile(make_app))
    bars = figures[EN["loops.profile.chart.self_title"]]
    assert [trace["name"] for trace in bars["data"]] == [EN["loops.impl.lesson_loop"], EN["loops.impl.vectorized"]]
    loop_bars = dict(zip(bars["data"][0]["y"], bars["data"][0]["customdata"], strict=True))
    assert loop_bars["aten::select"] == loop_bars["aten::mul"] == loop_bars["aten::add"] == 10
    assert all(x >= 0 for x in bars["data"][0]["x"]) and bars["data"][0]["orientation"] == "h"
    timeline = figures[EN["loops.profile.chart.timeline_title"]]
    # the loop's events on the first axes, the vectorized call's on the second, each event a bar from its start
    loop = Counter()
    for trace in timeline["data"]:
        assert len(trace["base"]) == len(trace["x"]) == len(trace["y"])
        if trace.get("xaxis", "x") == "x":
            loop[trace["name"]] += sum(1 for depth in trace["y"] if depth == 0)
    assert loop["aten::select"] == loop["aten::mul"] == loop["aten::add"] == 10
    assert {trace.get("xaxis", "x") for trace in timeline["data"]} == {"x", "x2"}
    assert timeline["layout"]["xaxis"]["title"]["text"] == EN["loops.profile.chart.start_axis"]


def test_the_chrome_traces_download_as_json(make_app):
    at = open_profile(make_app)
    buttons = {b.key for b in at.get("download_button")}
    assert {"loops.profile.trace.lesson_loop", "loops.profile.trace.vectorized", "loops.profile.csv"} <= buttons


def test_changing_n_profiles_again_and_writes_the_url(make_app):
    at = open_profile(make_app)
    at.number_input(key="widget.prof_n").set_value(25).run()
    assert at.query_params["prof_n"] == "25"
    assert profile_table(at).set_index("operator").loc["aten::select", "lesson_loop_calls"] == 25
    again = open_profile(make_app, prof_n="25")
    assert again.number_input(key="widget.prof_n").value == 25


def test_a_bad_n_in_the_link_falls_back_with_a_notice(make_app):
    for bad in ("0", str(MAX_PROFILE_N + 1), "abc", "-3"):
        at = open_profile(make_app, prof_n=bad)
        assert f"prof_n=`{bad}`" in at.warning[0].value
        assert at.number_input(key="widget.prof_n").value == 10


def test_the_profile_shows_even_without_sizes_to_sweep(make_app):
    at = open_profile(make_app)
    at.multiselect(key="widget.sizes").set_value([]).run()
    assert at.info[-1].value == EN["loops.no_sizes"]
    assert set(charts(at)) == {EN["loops.profile.chart.self_title"], EN["loops.profile.chart.timeline_title"]}


def test_the_profile_speaks_spanish(make_app):
    at = open_profile(make_app, lang="es")
    assert ES["loops.profile.header"] in [h.value for h in at.header]
    table = profile_table(at, "es")
    assert table.set_index("operator").loc["aten::mul", "lesson_loop_calls"] == 10
    assert ES["loops.profile.chart.timeline_title"] in charts(at)


def test_presenting_folds_the_profile_control_and_enlarges_its_charts(make_app):
    at = open_profile(make_app, presenter="1")
    folded = [e for e in at.expander if e.label == EN["presenter.controls"]]
    assert len(folded) == 2 and "widget.prof_n" in [w.key for w in folded[1].get("number_input")]
    timeline = charts(at)[EN["loops.profile.chart.timeline_title"]]
    assert timeline["layout"]["font"]["size"] == 20 and timeline["layout"]["height"] >= 560


def test_the_profiles_numbers_follow_the_language(make_app):
    from tests.frame.test_numbers_per_language import assert_charts_follow, decimal, plain, shown_table

    for lang, percent in (("en", r"\d{1,3}%"), ("es", "\\d{1,3}\u00a0%")):
        texts = catalog(lang)
        at = open_profile(make_app, lang=lang, prof_n="1000")
        shares = [
            m.value
            for m in at.metric
            if plain(m.label).startswith(tuple(texts[f"loops.impl.{n}"] for n in ("lesson_loop", "vectorized")))
        ]
        assert len(shares) == 2 and all(re.fullmatch(percent, share) for share in shares)
        summary = texts["loops.profile.summary"].split("{")[0]
        (caption,) = [
            plain(c.value) for c in at.caption if plain(c.value).startswith(summary) and "\u00b5s" in c.value
        ][:1]
        assert re.search(decimal(lang, 1) + " µs", caption)
        calls = shown_table(next(f for f in at.dataframe if profile_column_label("operator", lang) in f.value.columns))
        column = profile_column_label("lesson_loop_calls", lang)
        assert {"en": "1,000", "es": "1.000"}[lang] in calls[column].tolist()
        assert_charts_follow(at, lang)
        # 1,000 elements make 14,005 events: the timeline keeps 2,000 and says so
        captions = [plain(c.value) for c in at.caption]
        shown = {"en": "2,000", "es": "2.000"}[lang]
        assert any(c.startswith(texts["loops.impl.lesson_loop"]) and shown in c for c in captions)


def test_the_pages_script_profiles_at_the_chosen_n_and_counts_the_same(make_app, tmp_path):
    from tests.reproduce.test_reproduce import page_script
    from tests.reproduce.test_reproduce_core import run_script

    at = open_profile(make_app, prof_n="20")
    script = page_script(at)
    assert "profile_n = 20" in script
    output = run_script(script, tmp_path)
    section = output.split("profile lesson_loop at n=20: ")[1].split("profile vectorized")[0]
    printed = {name: int(count) for name, count in re.findall(r"^ +(\S+) +(\d+) calls", section, re.MULTILINE)}
    assert printed == dict(profile_table(at).set_index("operator")["lesson_loop_calls"].loc[lambda c: c > 0])
    assert printed["aten::select"] == printed["aten::mul"] == printed["aten::add"] == 20


def test_each_summary_gives_the_wall_time_without_the_profiler_beside_it(make_app):
    """The profiler's own cost is told apart: each implementation's caption names its unprofiled wall time."""
    from tests.frame.test_numbers_per_language import plain

    for lang in ("en", "es"):
        texts = catalog(lang)
        at = open_profile(make_app, lang=lang)
        first, _, rest = texts["loops.profile.summary"].partition("{wall}")
        between = rest.split("{outside}")[1].split("{unprofiled}")[0]
        captions = [
            plain(c.value) for c in at.caption if plain(c.value).startswith(first) and between in plain(c.value)
        ]
        assert len(captions) == 2
        assert all(re.search(re.escape(between) + r"[\d.,\u00a0]+ µs", c) for c in captions)
