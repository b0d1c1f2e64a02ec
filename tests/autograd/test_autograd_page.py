"""The autograd page through AppTest: toggles, the graph read back from the Plotly spec, backward and errors."""

import json

import torch

from core.autograd.drawing import MAX_DRAWN_EDGES, MAX_DRAWN_NODES, draw_graph
from core.autograd.errors import AUTOGRAD_ERRORS
from dashboard.i18n import catalog, translate
from tests.autograd.test_autograd_layout import CHAIN, forward_graph

X = torch.tensor([1.0, 2.0, 3.0])
EN = catalog("en")


def open_autograd(make_app, **query):
    return make_app({"x": "1,2,3", **query}, page="autograd")


def specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def graph_spec(at) -> dict:
    return next(s for s in specs(at) if s["layout"]["title"]["text"] == EN["autograd.graph.title"])


def node_labels(spec) -> list[str]:
    return sorted(label.split("<br>")[0] for trace in spec["data"][1:] for label in trace["text"])


def codes(at) -> list[str]:
    return [c.value for c in at.code]


def test_the_graph_appears_vanishes_and_comes_back_with_the_toggle(make_app):
    at = open_autograd(make_app)
    spec = graph_spec(at)
    assert node_labels(spec) == sorted(["x", "MulBackward0", "AddBackward0", "PowBackward0", "SubBackward0"])
    assert len(spec["layout"]["annotations"]) == 4  # one arrow per edge
    legend = {trace["name"] for trace in spec["data"][1:]}
    assert legend == {
        EN["autograd.graph.kind.leaf_grad"],
        EN["autograd.graph.kind.operation"],
        EN["autograd.graph.kind.output"],
    }
    at.toggle(key="autograd.requires_grad.x").set_value(False).run()
    assert not at.get("plotly_chart") and at.info[0].value == EN["autograd.graph.empty"]
    assert at.query_params["grad"] == ""
    at.toggle(key="autograd.requires_grad.x").set_value(True).run()
    assert node_labels(graph_spec(at)) == node_labels(spec) and at.query_params["grad"] == "x"


def test_the_flags_table_matches_pytorch(make_app):
    at = open_autograd(make_app)
    assert len(at.table) == 1 and not at.dataframe  # a plain table, which wraps: the grid cut "tensor([28., 36"
    flags = at.table[0].value.set_index(at.table[0].value.columns[0])
    y = X.clone().requires_grad_(True) * 2 + 5
    assert bool(flags.loc["x", "is_leaf"]) and not bool(flags.loc["y", "is_leaf"])
    assert flags.loc["y", "grad_fn"] == type(y.grad_fn).__name__
    assert flags.loc["x", ".grad"] == "None"


def test_backward_shows_the_gradient_the_analytic_check_and_the_step_by_step_frames(make_app):
    at = open_autograd(make_app)
    at.button(key="autograd.run_backward").click().run()
    assert at.query_params["backward"] == "1"
    expected = 4 * (2 * X + 5)
    gradient = next(s for s in specs(at) if s["layout"]["title"]["text"] == "x and x.grad per element")
    traces = {t["name"]: t["y"] for t in gradient["data"]}
    assert traces["x"] == X.tolist() and traces["x.grad"] == expected.tolist()
    assert traces[EN["autograd.grad_chart.analytic"]] == expected.tolist()
    assert str(expected) in codes(at)
    assert at.success[0].value == EN["autograd.analytic.agrees"]
    flags = at.table[0].value
    assert str(expected) in list(flags[".grad"])
    animation = next(s for s in specs(at) if "frames" in s)
    assert len(animation["frames"]) == 6  # SumBackward0, Sub, Pow, Add, Mul, AccumulateGrad
    assert animation["frames"][0]["layout"]["title"]["text"].startswith("Step 1 of 6: SumBackward0")
    assert animation["frames"][-1]["layout"]["title"]["text"] == f"Step 6 of 6: AccumulateGrad receives {expected}"
    visits = at.dataframe[0].value
    assert list(visits.iloc[:, 1]) == [
        "SumBackward0",
        "SubBackward0",
        "PowBackward0",
        "AddBackward0",
        "MulBackward0",
        "AccumulateGrad",
    ]


def test_backward_with_nothing_requiring_grad_shows_pytorchs_error_and_a_one_click_fix(make_app):
    at = open_autograd(make_app, grad="", backward="1")
    message = "RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn"
    assert codes(at).count(message) == 2  # the backward section, and the same case in the error list
    at.button(key="autograd.fix_grad").click().run()
    assert at.query_params["grad"] == "x" and codes(at).count(message) == 1
    assert str(4 * (2 * X + 5)) in codes(at)


def test_a_non_scalar_output_without_reduction_fails_then_is_fixed_with_sum(make_app):
    at = open_autograd(make_app, reduce="none", backward="1")
    message = "RuntimeError: grad can be implicitly created only for scalar outputs"
    assert codes(at).count(message) == 2
    at.button(key="autograd.fix_reduce").click().run()
    assert codes(at).count(message) == 1
    assert at.query_params["reduce"] == "sum" and str(4 * (2 * X + 5)) in codes(at)


def test_choosing_the_output_and_the_mean_reduction(make_app):
    at = open_autograd(make_app, backward="1")
    at.selectbox(key="widget.output").set_value("y").run()
    at.radio(key="widget.reduce").set_value("mean").run()
    assert at.query_params["output"] == "y" and at.query_params["reduce"] == "mean"
    assert str(torch.full((3,), 2 / 3)) in codes(at)


def test_every_error_case_runs_and_its_fix_applies(make_app):
    at = open_autograd(make_app)
    assert sum(c.startswith("RuntimeError") for c in codes(at)) == 4  # the four cases (the script catches one too)
    for case in AUTOGRAD_ERRORS:
        at.button(key=f"autograd.case.fix.{case.key}").click().run()
        assert not at.exception
    assert at.query_params["fixed"] == ",".join(case.key for case in AUTOGRAD_ERRORS)
    assert "tensor([28., 36., 44.])" in codes(at) and "tensor([14., 18., 22.])" in codes(at)


def test_unrecorded_inputs_and_link_parameters(make_app):
    at = make_app({"x": "1,2,3", "program": "y = x * w + b", "grad": "x,b", "output": "nope"}, page="autograd")
    spec = graph_spec(at)
    grey = [t for t in spec["data"][1:] if t["name"] == EN["autograd.graph.kind.leaf_no_grad"]]
    assert grey and [label.split("<br>")[0] for label in grey[0]["text"]] == ["w"]
    assert at.toggle(key="autograd.requires_grad.w").value is False
    assert at.toggle(key="autograd.requires_grad.b").value is True
    assert "output=`nope`" in at.warning[0].value
    assert at.query_params["output"] == "y"


def test_garbage_autograd_parameters_fall_back(make_app):
    at = open_autograd(make_app, grad="x,__class__", reduce="max", backward="yes", fixed="../../etc")
    assert not at.exception
    warning = at.warning[0].value.replace("\\", "")
    for name in ("grad", "reduce", "backward", "fixed"):
        assert f"{name}=" in warning
    assert at.query_params["grad"] == "x" and at.query_params["reduce"] == "sum"


def test_a_program_that_does_not_read_x_offers_toggles_and_fixes_for_what_it_reads(make_app):
    at = make_app({"x": "1,2,3", "program": "y = w * 2\nz = y.sum()", "backward": "1"}, page="autograd")
    keys = {toggle.key for toggle in at.toggle}
    assert "autograd.requires_grad.w" in keys and "autograd.requires_grad.x" not in keys
    assert at.info[0].value == EN["autograd.graph.empty"]
    at.button(key="autograd.fix_grad").click().run()
    assert at.query_params["grad"] == "x,w" and at.toggle(key="autograd.requires_grad.w").value is True
    w = torch.randn(3, generator=torch.Generator().manual_seed(1))
    assert str(torch.full((3,), 2.0)) in codes(at) and str(w) not in codes(at)[:1]


def test_backward_from_a_non_final_output_animates_only_what_it_visits(make_app):
    at = open_autograd(make_app, output="y", backward="1")
    animation = next(s for s in specs(at) if "frames" in s)
    drawn = sorted(label.split("<br>")[0] for label in animation["data"][1]["text"])
    assert drawn == sorted(["SumBackward0", "AddBackward0", "MulBackward0", "x"])
    assert len(animation["frames"]) == 4


def test_an_output_that_is_a_leaf_or_not_differentiable_keeps_the_page_working(make_app):
    at = make_app({"x": "2", "program": "y = x", "reduce": "none", "backward": "1"}, page="autograd")
    assert at.info[-1].value == EN["autograd.steps.none"].format(name="y")
    at = make_app({"x": "1,2", "program": "m = x > 1.5\ny = x * 2", "output": "m", "backward": "1"}, page="autograd")
    assert any("does not require grad" in c for c in codes(at))
    at.button(key="autograd.fix_output").click().run()
    assert at.query_params["output"] == "y" and str(torch.tensor([2.0, 2.0])) in codes(at)


def test_error_demos_use_a_vector_when_x_has_one_element(make_app):
    at = make_app({"x": "2"}, page="autograd")
    assert "RuntimeError: grad can be implicitly created only for scalar outputs" in codes(at)
    assert EN["autograd.errors.vector_input"] in [c.value for c in at.caption]


def labels_by_name(spec) -> dict[str, str]:
    """Each drawn node's label by its first line (name), from every node trace of a graph spec."""
    return {label.split("<br>")[0]: label for trace in spec["data"][1:] for label in trace["text"]}


def test_each_node_shows_its_value_and_after_backward_its_gradient(make_app):
    at = open_autograd(make_app)
    labels = labels_by_name(graph_spec(at))
    assert labels["x"] == "x<br>= [1, 2, 3]"
    assert labels["MulBackward0"] == "MulBackward0<br>= [2, 4, 6]"
    assert labels["AddBackward0"] == "AddBackward0<br>y = [7, 9, 11]"
    assert labels["SubBackward0"] == "SubBackward0<br>z = [39, 71, 111]"
    at.button(key="autograd.run_backward").click().run()
    labels = labels_by_name(graph_spec(at))
    # dz/dz = 1 (sum), dz/dy = 2y, and x.grad = 4·(2x + 5)
    assert labels["SubBackward0"].endswith("<br>grad [1, 1, 1]")
    assert labels["AddBackward0"].endswith("<br>grad [14, 18, 22]")
    assert labels["x"] == "x<br>= [1, 2, 3]<br>grad [28, 36, 44]"
    animation = next(s for s in specs(at) if "frames" in s)
    assert labels_by_name(animation)["SumBackward0"] == "SumBackward0<br>z.sum() = 221<br>grad 1"
    assert labels_by_name(animation)["x"] == "x<br>= [1, 2, 3]"  # backward has not reached x in the first frame
    last = {label.split("<br>")[0]: label for label in animation["frames"][-1]["data"][0]["text"]}
    assert last["x"] == "x<br>= [1, 2, 3]<br>grad [28, 36, 44]"


def test_a_long_edge_is_drawn_around_the_node_between(make_app):
    at = make_app({"x": "1,2,3", "program": "a = x * 2\nd = a + 1\ne = d + a"}, page="autograd")
    spec = graph_spec(at)
    nodes = [(x, y) for trace in spec["data"][1:] for x, y in zip(trace["x"], trace["y"], strict=True)]
    edges = spec["data"][0]
    routes, route = [], []
    for x, y in zip(edges["x"], edges["y"], strict=True):
        if x is None:
            routes.append(route)
            route = []
        else:
            route.append((x, y))
    assert len(routes) == 4  # x→Mul, Mul→d, Mul→e, d→e
    for route in routes:
        ends = {route[0], route[-1]}
        for (x0, y0), (x1, y1) in zip(route, route[1:], strict=False):
            for step in range(21):  # every point of the segment keeps clear of the other nodes' markers and labels
                x, y = x0 + (x1 - x0) * step / 20, y0 + (y1 - y0) * step / 20
                assert all(abs(x - nx) >= 0.3 or not -0.2 < y - ny < 0.8 for nx, ny in nodes if (nx, ny) not in ends)


def test_the_gradient_chart_counts_elements_in_whole_numbers_and_names_the_reduction(make_app):
    at = open_autograd(make_app, backward="1", reduce="mean")
    gradient = next(s for s in specs(at) if s["layout"]["title"]["text"] == "x and x.grad per element")
    axis = gradient["layout"]["xaxis"]
    assert (axis["tick0"], axis["dtick"], axis["tickformat"]) == (0, 1, "~s")  # 0 1 2, not 0 1 1 2 2
    names = [trace["name"] for trace in gradient["data"]]
    assert EN["autograd.grad_chart.analytic_mean"] in names and "/n" in EN["autograd.grad_chart.analytic_mean"]
    traces = {trace["name"]: trace["y"] for trace in gradient["data"]}
    assert traces[EN["autograd.grad_chart.analytic_mean"]] == (4 * (2 * X.double() + 5) / 3).tolist()
    at = make_app({"n": "1000", "backward": "1"}, page="autograd")  # random x of 1000 elements, 200 drawn
    gradient = next(s for s in specs(at) if s["layout"]["title"]["text"] == "x and x.grad per element")
    assert gradient["layout"]["xaxis"]["dtick"] == 200 and EN["autograd.grad_chart.analytic"] in [
        trace["name"] for trace in gradient["data"]
    ]


def chain_link(make_app, locale="en-US", **query):
    return make_app({"x": "1,2,3", "program": CHAIN, **query}, page="autograd", locale=locale)


def test_issue_26s_chain_answers_with_a_summarised_graph_and_says_so(make_app):
    whole = draw_graph(forward_graph(CHAIN))
    assert (whole.total, whole.hidden > 0) == (482, True)
    at = chain_link(make_app)
    spec = graph_spec(at)
    drawn = [label for trace in spec["data"][1:] for label in trace["text"]]
    assert len(drawn) == len(whole.nodes) <= MAX_DRAWN_NODES
    assert len(spec["layout"]["annotations"]) == len(whole.edges) <= MAX_DRAWN_EDGES  # one arrow per drawn edge
    summary = next(trace for trace in spec["data"][1:] if trace["name"] == EN["autograd.graph.kind.summary"])
    assert summary["text"] == [EN["autograd.graph.summary"].format(count=whole.hidden)]
    assert summary["marker"]["symbol"] == "square"
    message = translate("en", "autograd.graph.summarised", total=whole.total, hidden=whole.hidden)
    assert message in [info.value for info in at.info]
    assert {"x", "SubBackward0"} <= {label.split("<br>")[0] for label in drawn}  # x and ops nearest z are kept
    at.button(key="autograd.run_backward").click().run()
    animation = next(s for s in specs(at) if "frames" in s)
    assert len(animation["frames"]) <= 2 * MAX_DRAWN_NODES + 1
    assert len(animation["data"][1]["text"]) <= MAX_DRAWN_NODES
    assert EN["autograd.steps.summarised"] in [c.value for c in at.caption]


def test_the_summary_speaks_spanish(make_app):
    whole = draw_graph(forward_graph(CHAIN))
    at = chain_link(make_app, locale="es-ES")
    message = translate("es", "autograd.graph.summarised", total=whole.total, hidden=whole.hidden)
    assert message in [info.value for info in at.info] and "PyTorch registró" in message
