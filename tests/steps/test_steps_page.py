"""The step-by-step page through AppTest: stepping, editing, bad input, URL state, and chart contents."""

import json

import pytest
import torch
from torch import fx

from core.program import DEFAULT_PROGRAM
from core.steps.tracing import count_autograd_nodes
from core.tensors import random_input
from dashboard.i18n import catalog, translate
from tests.conftest import page_path

X = torch.tensor([1.0, 2.0, 3.0])
Y = X * 2 + 5
Z = Y**2 - 10


def codes(at) -> list[str]:
    return [c.value for c in at.code]


def chart(at, index=0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def open_steps(make_app, **query):
    return make_app({"x": "1,2,3", **query}, page="steps")


def test_a_link_with_x_shows_every_intermediate_and_the_printed_output(make_app):
    at = open_steps(make_app)
    shown = codes(at)
    assert str(X) in shown and str(Y) in shown and str(Z) in shown
    assert shown.count(str(Z)) == 2  # z's card and the print(z) block
    assert "✔  1 │ y = x * 2 + 5\n✔  2 │ z = y ** 2 - 10" in shown
    assert at.query_params["x"] == "1, 2, 3" and at.query_params["program"] == DEFAULT_PROGRAM
    assert "n" not in at.query_params


def test_step_through_to_the_end_then_reset(make_app):
    at = open_steps(make_app)
    at.button(key="steps.reset").click().run()
    assert str(Y) not in codes(at) and at.query_params["step"] == "0"
    assert "▶  1 │ y = x * 2 + 5\n   2 │ z = y ** 2 - 10" in codes(at)
    at.button(key="steps.step").click().run()
    assert str(Y) in codes(at) and str(Z) not in codes(at)
    assert "✔  1 │ y = x * 2 + 5\n▶  2 │ z = y ** 2 - 10" in codes(at)
    at.button(key="steps.step").click().run()
    assert str(Z) in codes(at)
    assert at.query_params["step"] == "2"


def test_step_is_never_greyed_out_and_wraps_to_the_first_statement_once_all_ran(make_app):
    at = open_steps(make_app)  # a fresh visit: every statement ran
    assert "✔  2 │ z = y ** 2 - 10" in "".join(codes(at))
    assert not at.button(key="steps.step").disabled
    at.button(key="steps.step").click().run()
    assert at.query_params["step"] == "1" and str(Z) not in codes(at)
    assert "✔  1 │ y = x * 2 + 5\n▶  2 │ z = y ** 2 - 10" in codes(at)
    at = open_steps(make_app, step="1")  # a link's step is kept
    assert "✔  1 │ y = x * 2 + 5\n▶  2 │ z = y ** 2 - 10" in codes(at)


def test_the_value_chart_carries_each_elements_path_through_the_variables(make_app):
    spec = chart(open_steps(make_app))
    assert [trace["name"] for trace in spec["data"]] == ["x[0]", "x[1]", "x[2]"]
    for i, trace in enumerate(spec["data"]):
        assert trace["x"] == ["x", "y", "z"]
        assert trace["y"] == [X[i].item(), Y[i].item(), Z[i].item()]


def test_editing_the_program_reruns_it_and_updates_the_url(make_app):
    at = open_steps(make_app)
    at.text_area(key="widget.program").input("y = torch.sin(x)\nz = y.sum()").run()
    assert str(torch.sin(X)) in codes(at) and str(torch.sin(X).sum()) in codes(at)
    assert at.query_params["program"] == "y = torch.sin(x)\nz = y.sum()"
    # z is a scalar: the value chart draws x and y only and says why z is missing
    assert chart(at)["data"][0]["x"] == ["x", "y"]


def test_an_invalid_program_shows_a_located_error_and_keeps_the_last_valid_state(make_app):
    at = open_steps(make_app)
    at.text_area(key="widget.program").input("y = x * 2\nz = y + __import__('os')").run()
    assert not at.exception
    assert at.error[0].value.startswith("Line 2, column 9:")
    assert str(Z) in codes(at)  # the last valid program's results stay on screen
    assert at.query_params["program"] == DEFAULT_PROGRAM
    at.text_area(key="widget.program").input("y = x * 3").run()
    assert not at.error and str(X * 3) in codes(at)


def test_errors_are_in_the_learners_language(make_app):
    at = open_steps(make_app, lang="es")
    at.text_area(key="widget.program").input("y = x + q").run()
    assert at.error[0].value.startswith("Línea 1, columna 9:") and "q aún no está definido" in at.error[0].value


def test_non_numeric_x_is_refused_and_the_last_valid_x_stays(make_app):
    at = open_steps(make_app)
    at.text_input(key="widget.x").input("1, two, 3").run()
    assert "two" in at.error[0].value
    assert str(Z) in codes(at) and at.query_params["x"] == "1, 2, 3"


def test_a_pytorch_runtime_error_is_shown_verbatim_after_the_steps_that_ran(make_app):
    at = open_steps(make_app)
    at.text_area(key="widget.program").input("y = x * 2\nz = y @ y.sum()").run()
    with_message = [e.value for e in at.error]
    try:
        (X * 2) @ (X * 2).sum()
    except RuntimeError as exc:
        message = str(exc)
    assert any(message.split(",")[0] in m for m in with_message)
    assert str(X * 2) in codes(at)


def test_a_random_x_comes_from_the_seed_and_large_tensors_are_summarised(make_app):
    at = make_app({"n": "5000", "seed": "3"}, page="steps")
    assert at.radio(key="widget.source").value == "random"
    x = random_input(5000, "float32", "cpu", seed=3)
    assert str(x) in codes(at)
    histograms = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bars = [h for h in histograms if h["data"][0]["type"] == "bar"]
    assert len(bars) == 2  # one per statement
    assert sum(bars[0]["data"][0]["y"]) == 5000
    counts = bars[0]["layout"]["yaxis"]  # counts of elements: whole-number ticks only
    assert counts["tickformat"] == "~s" and counts["dtick"] >= 1 and counts["dtick"] == int(counts["dtick"])
    paths = [h for h in histograms if h["data"][0]["type"] == "scatter"][0]
    assert len(paths["data"]) == 30  # sampled, not 5000 lines
    assert paths["data"][0]["y"][0] == x[0].item()
    assert at.query_params["n"] == "5000" and "x" not in at.query_params


def test_bad_url_values_for_the_page_fall_back_with_notices(make_app):
    at = make_app({"x": "1,abc", "program": "import os", "step": "-3"}, page="steps")
    warning = at.warning[0].value
    assert "x=`1,abc`" in warning and "step=`-3`" in warning
    assert catalog("en")["notice.invalid_program"] in warning
    assert str(Z) in codes(at)  # defaults: the lesson's example, fully run


def test_the_declarative_tab_traces_the_program_and_agrees_with_eager(make_app):
    at = open_steps(make_app)
    code = [c for c in codes(at) if c.startswith("def forward(self, x)")]
    assert code and "add = mul + 5" in code[0]
    frames = [d.value for d in at.dataframe]
    nodes = frames[0]
    assert list(nodes[catalog("en")["steps.fx.col.op"]]) == [
        "placeholder",
        "call_function",
        "call_function",
        "call_function",
        "call_function",
        "output",
    ]
    agreement = frames[1]
    assert list(agreement.iloc[:, 0]) == ["y", "z"] and list(agreement.iloc[:, 1]) == ["✓", "✓"]
    assert "TraceError: symbolically traced variables cannot be used as inputs to control flow" in codes(at)


BRANCHY = (
    "y = x * 2 - 1\nfor i in range(3):\n    y = y * 2 + i\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"
)


def dbr_table(at):
    """The define-by-run table, found by its column (the fx tables before it come and go with the program)."""
    return next(d.value for d in at.dataframe if translate("en", "steps.dbr.executed") in list(d.value.columns))


def _graph_nodes(x: torch.Tensor) -> int:
    """Autograd nodes behind BRANCHY's output, computed by PyTorch directly."""
    leaf = x.clone().requires_grad_(True)
    y = leaf * 2 - 1
    for i in range(3):
        y = y * 2 + i
    z = y**2 - 10 if y.sum() > 0 else -y
    return count_autograd_nodes(z)


def test_define_by_run_runs_the_learners_program_and_its_graph_follows_the_branch(make_app):
    at = open_steps(make_app, program=BRANCHY)
    table = dbr_table(at)
    assert list(table.iloc[:, 1]) == ["4 → True", "4 → False"]  # x = 1,2,3 and -1·x
    assert list(table.iloc[:, 2]) == [5, 5]
    assert list(table.iloc[:, 3]) == [_graph_nodes(X), _graph_nodes(-X)]
    assert _graph_nodes(X) != _graph_nodes(-X)
    assert at.success[0].value == translate("en", "steps.dbr.differ")
    plain = open_steps(make_app)
    assert list(dbr_table(plain).iloc[:, 1]) == ["—", "—"]
    assert plain.info[-1].value == translate("en", "steps.dbr.no_branch")


def test_steps_walk_loops_and_branches_and_the_code_view_says_what_ran(make_app):
    at = open_steps(make_app, program=BRANCHY, step="2")
    code = "\n".join(codes(at))
    assert "✔  2 │ for i in range(3):" in code
    assert "▶  3 │     y = y * 2 + i   " not in code and "▶  3 │     y = y * 2 + i" in code
    assert "if y.sum() > 0:   → " not in code  # not reached yet
    at.button(key="steps.run_all").click().run()
    code = "\n".join(codes(at))
    assert "✔  3 │     y = y * 2 + i   ×3" in code and "✔  4 │ if y.sum() > 0:   → True" in code
    assert translate("en", "steps.progress", done=5, total=5) in [c.value for c in at.caption]
    assert translate("en", "steps.card.turn", turn="i = 2") in [c.value for c in at.caption]
    x = X.clone()
    y = x * 2 - 1
    for i in range(3):
        y = y * 2 + i
    assert str(y**2 - 10) in code


def test_an_if_on_the_learners_program_shows_fxs_own_error(make_app):
    at = open_steps(make_app, program=BRANCHY)
    with pytest.raises(fx.proxy.TraceError) as direct:
        bool(fx.Proxy(fx.Graph().placeholder("x")) > 0)
    shown = [e.value for e in at.error]
    assert any(str(direct.value) in message and "Line 4" in message for message in shown), shown


def test_programs_can_read_the_seeded_inputs_w_and_b(make_app):
    at = open_steps(make_app, seed="4")
    at.text_area(key="widget.program").input("y = x * w + b").run()
    w = torch.randn(3, generator=torch.Generator().manual_seed(5))
    b = torch.randn(3, generator=torch.Generator().manual_seed(6))
    shown = codes(at)
    assert str(w) in shown and str(b) in shown and str(X * w + b) in shown
    agreement = at.dataframe[1].value
    assert list(agreement.iloc[:, 1]) == ["✓"]


def go_home_and_back(at):
    """Switch pages the way a browser does: Streamlit clears the query string on a page change."""
    at.query_params.clear()
    at.switch_page(page_path("")).run()
    at.query_params.clear()
    at.switch_page(page_path("steps")).run()
    assert not at.exception
    return at


def test_random_mode_and_its_size_survive_leaving_the_page(make_app):
    at = open_steps(make_app)
    at.radio(key="widget.source").set_value("random").run()
    at.number_input(key="widget.n").set_value(50).run()
    go_home_and_back(at)
    assert at.radio(key="widget.source").value == "random"
    assert at.number_input(key="widget.n").value == 50
    assert at.query_params["n"] == "50" and "x" not in at.query_params


def test_a_refused_edit_does_not_linger_after_leaving_the_page(make_app):
    at = open_steps(make_app)
    at.text_area(key="widget.program").input("y = x +").run()
    assert at.error
    go_home_and_back(at)
    assert not at.error
    assert at.text_area(key="widget.program").value == DEFAULT_PROGRAM


def test_an_edit_after_reset_runs_the_whole_new_program(make_app):
    at = open_steps(make_app)
    at.button(key="steps.reset").click().run()
    at.text_area(key="widget.program").input("y = x - 1\nz = y * 3").run()
    assert str((X - 1) * 3) in codes(at)


def test_programs_that_fail_when_run_keep_the_page_working(make_app):
    for text in ("y = 1", "y = (2).sin()", "y = torch.sin()", "y = torch.max(x, 0).sum()"):
        at = make_app({"x": "1,2,3", "program": text}, page="steps")
        assert at.error, text  # eager and traced both explain; nothing raised
        assert not at.exception


def test_the_define_by_run_scale_is_in_the_url(make_app):
    at = open_steps(make_app, program=BRANCHY, scale="2")
    assert at.slider(key="widget.scale").value == 2.0
    assert list(dbr_table(at).iloc[:, 1]) == ["4 → True", "4 → True"]
    assert at.info[-1].value == translate("en", "steps.dbr.same")
    at.slider(key="widget.scale").set_value(-3.0).run()
    assert at.query_params["scale"] == "-3"


def test_nan_and_inf_from_the_program_are_named_on_the_card(make_app):
    at = open_steps(make_app, x="-1, 0, 1", program="y = x.log()")
    expected = torch.tensor([-1.0, 0.0, 1.0]).log()
    nan, inf = int(expected.isnan().sum()), int(expected.isinf().sum())
    assert (nan, inf) == (1, 1)
    assert [w.value for w in at.warning] == [translate("en", "steps.card.nonfinite", nan=nan, inf=inf)]
    assert not open_steps(make_app, program="y = x.exp()").warning


def test_define_by_run_runs_in_the_sidebars_dtype(make_app):
    for dtype in ("float32", "float16"):
        at = open_steps(make_app, dtype=dtype)
        nodes = list(dbr_table(at).iloc[:, 3])
        x = torch.tensor([1.0, 2.0, 3.0], dtype=getattr(torch, dtype), requires_grad=True)
        assert nodes == [count_autograd_nodes((x * 2 + 5) ** 2 - 10)] * 2
        assert list(dbr_table(at).iloc[:, 4]) == [
            str(((x * 2 + 5) ** 2 - 10).detach()),
            str(((-x * 2 + 5) ** 2 - 10).detach()),
        ]
