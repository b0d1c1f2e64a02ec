"""The Eager vs compiled page through AppTest: capture, breaks, one-click rewrites, export, recompiles and cost,
read back from the page's metrics, code blocks, tables and chart specs."""

from __future__ import annotations

import json

import pytest
import torch

from dashboard.i18n import translate
from pages.compiled.state import EXAMPLE_PROGRAM

X = torch.tensor([1.0, 2.0, 3.0])


def open_compiled(make_app, **query):
    return make_app({"x": "1, 2, 3", **query}, page="compiled")


def metric(at, key: str) -> str:
    label = translate("en", key)
    return next(m.value for m in at.metric if m.label == label)


def spec(at, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def example(x: torch.Tensor) -> torch.Tensor:
    y = x * 2 + 5
    return y**2 - 10 if y.sum() > 0 else -y


def test_a_program_without_if_is_one_graph_and_offers_an_example(make_app):
    at = open_compiled(make_app)
    assert (metric(at, "compiled.explain.graphs"), metric(at, "compiled.explain.breaks")) == ("1", "0")
    assert at.info[0].value == translate("en", "compiled.no_branch")
    at.button(key="compiled.load_example").click().run()
    assert at.query_params["program"] == EXAMPLE_PROGRAM
    assert (metric(at, "compiled.explain.graphs"), metric(at, "compiled.explain.breaks")) == ("2", "1")


def test_the_break_is_drawn_at_its_line_with_pytorchs_reason(make_app):
    at = open_compiled(make_app, program=EXAMPLE_PROGRAM)
    figure = spec(at)
    (marker,) = [trace for trace in figure["data"] if trace["type"] == "scatter"]
    assert marker["y"] == ["break, line 2"] and "if y.sum() > 0:" in marker["text"][0]
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    # line 1 (mul, add) and the condition (sum, gt) in graph 1; the branch taken for x = 1,2,3 is line 3 (pow, sub)
    assert {trace["name"]: trace["x"] for trace in bars} == {"line 1": [2, 0], "line 2": [2, 0], "line 3": [0, 2]}
    code = "\n".join(c.value for c in at.code)
    assert "✗  2 │ if y.sum() > 0:   ■1" in code and " 3 │     z = y ** 2 - 10   ■2" in code


def test_fullgraph_error_is_verbatim_and_one_click_rewrites_compile_into_one_graph(make_app):
    at = open_compiled(make_app, program=EXAMPLE_PROGRAM)
    torch._dynamo.reset()
    try:
        torch.compile(example, fullgraph=True, backend="eager")(X)
    except torch._dynamo.exc.Unsupported as exc:
        headline = str(exc).splitlines()[0]
    assert any(c.value.startswith(headline) for c in at.code)
    at.button(key="compiled.apply.where").click().run()
    assert at.query_params["version"] == "where"
    assert (metric(at, "compiled.explain.graphs"), metric(at, "compiled.explain.breaks")) == ("1", "0")
    assert at.success[0].value == translate("en", "compiled.agrees")
    assert str(example(X)) in [c.value for c in at.code]  # fullgraph's output: one graph, eager's values
    at.button(key="compiled.version.cond").click().run()
    assert at.query_params["version"] == "cond"
    assert metric(at, "compiled.explain.graphs") == "1"
    assert any("torch.ops.higher_order.cond" in c.value for c in at.code)  # it exports


def test_keeping_the_where_rewrite_makes_it_the_shared_program(make_app):
    at = open_compiled(make_app, program=EXAMPLE_PROGRAM, version="where")
    at.button(key="compiled.where.keep").click().run()
    program = at.query_params["program"]
    assert "torch.where(" in program and "if " not in program
    assert at.query_params.get("version", "written") == "written"


def test_export_refuses_the_branch(make_app):
    at = open_compiled(make_app, program=EXAMPLE_PROGRAM)
    assert translate("en", "compiled.export.refused", error="GuardOnDataDependentSymNode") in [
        e.value for e in at.error
    ]


def test_recompiles_are_dynamos_reasons_per_call(make_app):
    at = open_compiled(make_app)
    figure = next(s for s in map(lambda i: spec(at, i), range(len(at.get("plotly_chart")))) if "call 1" in str(s))
    by_setting = {trace["name"]: trace["y"] for trace in figure["data"]}
    assert by_setting == {"dynamic=None (default)": [1, 0, 1, 0, 1], "dynamic=True": [1, 0, 0, 0, 1]}
    table = next(d.value for d in at.dataframe if "graphs compiled" in list(d.value.columns))
    assert "tensor 'x' size mismatch at index 0. expected 3, actual 4" in list(table.iloc[:, 5])[2]


def test_cost_is_measured_per_backend_when_asked(make_app):
    at = open_compiled(make_app, backends="eager,aot_eager")
    assert not [d for d in at.dataframe if "backend" in list(d.value.columns)]
    at.button(key="compiled.cost.measure").click().run()
    table = next(d.value for d in at.dataframe if "backend" in list(d.value.columns))
    assert list(table["backend"]) == ["eager", "aot_eager"]
    figure = next(s for s in map(lambda i: spec(at, i), range(len(at.get("plotly_chart")))) if "calls (k)" in str(s))
    assert [trace["name"] for trace in figure["data"]] == ["eager", "aot_eager"]
    eager, aot = figure["data"]
    assert eager["y"][0] < aot["y"][0]  # aot_eager's line starts with its compile time


def _cost_table(cache: str, lang: str):
    """The page's cost section drawn from made-up costs (a real cold Inductor compile, 20-40 s of CPU in a starved
    slow lane, is tests/compiled/test_compiled.py's; here only what the page makes of its answer)."""
    from streamlit.testing.v1 import AppTest

    def section(cache: str):
        from core.compiled.cost import BackendCost
        from core.timing import Measurement
        from pages.compiled.views import cost_section

        call = Measurement(median=1e-3, iqr=1e-5, runs=10, block_times=(1e-3,), threads=1, device="cpu")
        cost_section(
            [
                BackendCost(backend="eager", compile_s=None, per_call=call),
                BackendCost(backend="aot_eager", compile_s=0.5, per_call=call),
                BackendCost(backend="inductor", compile_s=2.0, per_call=call, cache=cache),
            ]
        )

    at = AppTest.from_function(section, args=(cache,))
    at.session_state["state.lang"], at.session_state["state.presenter"] = lang, False
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return next(d.value for d in at.dataframe if "backend" in list(d.value.columns))


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_the_cost_table_says_whether_inductors_compile_was_cold_or_warm(cache, lang):
    table = _cost_table(cache, lang)
    said = dict(zip(table["backend"], table[translate(lang, "compiled.cost.col.cache")], strict=True))
    assert said == {"eager": "—", "aot_eager": "—", "inductor": translate(lang, f"compiled.cost.cache.{cache}")}
    assert "cold" in translate("en", "compiled.cost.intro") and "warm" in translate("en", "compiled.cost.intro")


def test_bad_url_values_fall_back_with_a_notice(make_app):
    at = open_compiled(make_app, version="fast", backends="tensorrt", cost="maybe")
    assert at.warning and not at.exception
    assert metric(at, "compiled.explain.graphs") == "1"


def test_spanish_page(make_app):
    at = make_app({"x": "1, 2, 3", "program": EXAMPLE_PROGRAM, "lang": "es"}, page="compiled")
    assert at.title[0].value == translate("es", "compiled.title")
    assert metric_es(at, "compiled.explain.breaks") == "1"


def metric_es(at, key: str) -> str:
    label = translate("es", key)
    return next(m.value for m in at.metric if m.label == label)


def test_breaks_and_refusals_open_with_one_plain_sentence_in_the_learners_language(make_app):
    """Above Dynamo's 'generic_jump TensorVariable()' and export's GuardOnDataDependentSymNode, a plain sentence."""
    for lang in ("en", "es"):
        at = make_app({"x": "1, 2, 3", "program": EXAMPLE_PROGRAM, "lang": lang}, page="compiled")
        table = next(d.value for d in at.dataframe if "generic_jump" in str(d.value.to_dict()))
        assert "generic_jump TensorVariable()" in str(table.to_dict())  # PyTorch's own text stays
        assert translate(lang, "compiled.plain.data_branch") in [i.value for i in at.info]
        shown = [m.value for m in at.markdown]
        assert translate(lang, "compiled.plain.data_guard") in shown  # export's refusal
        assert translate(lang, "compiled.plain.data_branch") in shown  # fullgraph's refusal


def test_an_unknown_reason_gets_the_generic_sentence():
    from pages.compiled.views import cause_of

    assert cause_of("Unsupported: call_function UserDefinedObjectVariable") == "generic"
    assert cause_of("GuardOnDataDependentSymNode: Could not guard on data-dependent expression") == "data_guard"


def test_guard_reasons_are_shown_whole_where_a_table_cell_would_cut_them(make_app):
    """Each recompile's reasons, exactly as Dynamo logs them, in a wrapped block (the table's cell cuts them)."""
    for lang in ("en", "es"):
        at = make_app({"x": "1, 2, 3", "program": EXAMPLE_PROGRAM, "lang": lang}, page="compiled")
        (block,) = [c.value for c in at.code if "dtype mismatch" in c.value]
        default = translate(lang, "compiled.recompile.dynamic_None")
        heading = translate(lang, "compiled.recompile.reasons_of", setting=default, call=5)
        assert f"{heading}\n  0/1: tensor 'x' dtype mismatch. expected Float, actual Double\n" in block
        assert "  1/0: tensor 'y' dtype mismatch. expected Float, actual Double" in block


def test_each_bar_segment_names_its_line_and_operations_on_the_bar(make_app):
    """The capture chart's segments were two unlabelled colours (the legend below, off a presenter's screen)."""
    at = open_compiled(make_app)
    bars = [trace for trace in spec(at)["data"] if trace["type"] == "bar"]
    assert [trace["text"] for trace in bars] == [["line 1: mul, add"], ["line 2: pow, sub"]]
    assert all(trace["textposition"] == "inside" for trace in bars)
