"""Graph extraction, backward order and the error cases, checked against PyTorch computed directly."""

import inspect

import pytest
import torch

from core.autograd.backward import (
    analytic_default_gradient,
    diagnose,
    differentiable_outputs,
    gradient_agrees,
    run_backward,
    run_forward,
)
from core.autograd.errors import AUTOGRAD_ERRORS
from core.autograd.graph import LEAF_GRAD, LEAF_NO_GRAD, OUTPUT, extract_graph, tensor_flags
from core.autograd.layout import graph_layout
from core.cases import run_demo, source_of
from core.program import DEFAULT_PROGRAM, parse_program
from core.steps.tracing import count_autograd_nodes

X = torch.tensor([1.0, 2.0, 3.0])


def test_the_default_programs_graph_has_pytorchs_nodes_labelled_by_statement():
    forward = run_forward(parse_program(DEFAULT_PROGRAM), {"x": X}, {"x"})
    graph = forward.graph
    labels = sorted(n.label for n in graph.nodes)
    assert labels == sorted(["x", "MulBackward0", "AddBackward0", "PowBackward0", "SubBackward0"])
    assert len(graph.nodes) == count_autograd_nodes(forward.trace.env["z"]) == 5
    assert len(graph.edges) == 4
    by_label = {n.label: n for n in graph.nodes}
    assert (by_label["AddBackward0"].variable, by_label["AddBackward0"].line) == ("y", 1)
    assert (by_label["MulBackward0"].variable, by_label["MulBackward0"].line) == (None, 1)
    assert by_label["SubBackward0"].kind == OUTPUT and by_label["x"].kind == LEAF_GRAD
    z = forward.trace.env["z"]
    assert type(z.grad_fn).__name__ == "SubBackward0"
    saved = by_label["PowBackward0"].saved
    assert [(s.attribute, s.shape) for s in saved] == [
        ("_saved_self", tuple(z.grad_fn.next_functions[0][0]._saved_self.shape))
    ]


def test_inputs_that_do_not_require_grad_are_unconnected_leaves():
    program = parse_program("y = x * w + b")
    values = {"x": X, "w": torch.ones(3), "b": torch.zeros(3)}
    graph = run_forward(program, values, {"x", "b"}).graph
    kinds = {n.label: n.kind for n in graph.nodes}
    assert kinds["w"] == LEAF_NO_GRAD and kinds["x"] == kinds["b"] == LEAF_GRAD
    w_node = next(n for n in graph.nodes if n.label == "w")
    assert all(w_node.id not in (e.source, e.target) for e in graph.edges)
    assert graph.recorded and w_node not in graph.recorded


def test_nothing_requiring_grad_records_nothing():
    graph = run_forward(parse_program(DEFAULT_PROGRAM), {"x": X}, set()).graph
    assert graph.recorded == () and [n.kind for n in graph.nodes] == [LEAF_NO_GRAD]


def test_layout_draws_every_edge_left_to_right():
    graph = run_forward(parse_program("y = x * w + b\nz = y.sum()"), {"x": X, "w": X, "b": X}, {"x", "w", "b"}).graph
    positions = graph_layout(graph).positions
    assert all(positions[e.source][0] < positions[e.target][0] for e in graph.edges)
    assert len(set(positions.values())) == len(positions)  # no two nodes on the same spot


def test_nodes_carry_their_first_values_and_backward_brings_each_its_gradient():
    program = parse_program("y = x * w + b\nz = y ** 2")
    values = {"x": X, "w": torch.tensor([2.0, -1.0, 0.5]), "b": torch.ones(3)}
    forward = run_forward(program, values, {"x", "w"})
    by_label = {n.label: n for n in forward.graph.nodes}
    y = X * values["w"] + values["b"]
    assert by_label["MulBackward0"].values == tuple((X * values["w"]).tolist())
    assert by_label["AddBackward0"].values == tuple(y.tolist()) and by_label["b"].values == (1.0, 1.0, 1.0)
    assert all(n.grads is None for n in forward.graph.nodes)
    result = run_backward(program, values, {"x", "w"}, "z", "sum")
    by_label = {n.label: n for n in result.graph.nodes}
    assert by_label["SumBackward0"].grads == (1.0,)
    assert by_label["PowBackward0"].grads == (1.0, 1.0, 1.0)
    assert by_label["AddBackward0"].grads == tuple((2 * y).tolist())  # dz/dy
    leaves = {leaf.name: leaf.grad for leaf in result.leaves}
    assert by_label["x"].grads == tuple(leaves["x"].tolist()) and by_label["w"].grads == tuple(leaves["w"].tolist())
    long = run_forward(parse_program("y = x.exp()"), {"x": torch.arange(10.0)}, {"x"}).graph
    assert [len(n.values) for n in long.nodes] == [3, 3]  # the first NODE_SAMPLE elements only


def test_a_long_edge_gets_a_row_of_its_own_in_every_column_it_crosses():
    graph = run_forward(parse_program("a = x * 2\nd = a + 1\ne = d + a"), {"x": X}, {"x"}).graph
    layout = graph_layout(graph)
    taken = {(x, y) for x, y in layout.positions.values()}
    for route in layout.routes:
        points = route.points
        assert points[0] == layout.positions[route.edge.source] and points[-1] == layout.positions[route.edge.target]
        assert not taken & set(points[1:-1])  # it passes no node's spot
    twins = graph_layout(run_forward(parse_program("y = x * x"), {"x": X}, {"x"}).graph).routes
    assert len(twins) == 2 and len({r.points for r in twins}) == 2  # both of x's edges into MulBackward0 show


GRAD_PROGRAMS = [
    DEFAULT_PROGRAM,
    "y = torch.sin(x) * w\nz = y.sum() + b.mean()",
    "m = x > 1.5\ny = torch.where(m, x * w, b)\nz = y.exp()",
    "y = x @ w + b.sum()",
]


@pytest.mark.parametrize("text", GRAD_PROGRAMS)
def test_gradients_match_torch_autograd_grad(text):
    program = parse_program(text)
    generator = torch.Generator().manual_seed(0)
    values = {name: torch.randn(4, generator=generator, dtype=torch.float64) for name in program.inputs}
    output = program.statements[-1].target
    result = run_backward(program, values, set(program.inputs), output, "sum")
    leaves = {name: v.clone().requires_grad_(True) for name, v in values.items()}
    from core.program import run_program

    direct_out = run_program(program, leaves).env[output].sum()
    expected = torch.autograd.grad(direct_out, [leaves[n] for n in program.inputs])
    got = {leaf.name: leaf.grad for leaf in result.leaves}
    for name, gradient in zip(program.inputs, expected, strict=True):
        torch.testing.assert_close(got[name], gradient)


def test_default_program_passes_gradcheck_and_matches_the_analytic_derivative():
    program = parse_program(DEFAULT_PROGRAM)
    from core.program import run_program

    x = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: run_program(program, {"x": t}).env["z"], (x,))
    result = run_backward(program, {"x": x.detach()}, {"x"}, "z", "sum")
    analytic = analytic_default_gradient(program, "z", x.detach(), "sum")
    assert torch.equal(result.leaves[0].grad, analytic)
    assert torch.equal(analytic, 4 * (2 * x.detach() + 5))
    mean = run_backward(program, {"x": x.detach()}, {"x"}, "z", "mean")
    torch.testing.assert_close(mean.leaves[0].grad, analytic_default_gradient(program, "z", x.detach(), "mean"))
    assert analytic_default_gradient(parse_program("y = x * 3"), "y", x, "sum") is None


def test_backward_order_is_a_topological_order_of_the_graph_it_ran():
    program = parse_program("y = x * w + b\nz = (y ** 2).sum() + y.mean()")
    values = {"x": X, "w": X + 1, "b": X - 1}
    result = run_backward(program, values, {"x", "w", "b"}, "z", None)
    position = {v.node_id: v.order for v in result.visits}
    assert set(position) == {n.id for n in result.graph.recorded}
    for edge in result.graph.edges:  # forward edge source -> target: backward reaches the target first
        assert position[edge.target] < position[edge.source]
    x_grad = next(leaf for leaf in result.leaves if leaf.name == "x")
    accumulate_x = [v for v in result.visits if v.label == "AccumulateGrad"]
    assert x_grad.printed in [v.incoming[0] for v in accumulate_x]


def test_the_reduction_is_drawn_as_the_output():
    result = run_backward(parse_program(DEFAULT_PROGRAM), {"x": X}, {"x"}, "z", "mean")
    outputs = [n for n in result.graph.nodes if n.kind == OUTPUT]
    assert [(n.label, n.variable) for n in outputs] == [("MeanBackward0", "z.mean()")]
    assert result.visits[0].label == "MeanBackward0" and result.visits[0].incoming == (str(torch.tensor(1.0)),)


def test_backward_refusals_are_pytorchs_own_errors():
    program = parse_program(DEFAULT_PROGRAM)
    with pytest.raises(RuntimeError, match="does not require grad"):
        run_backward(program, {"x": X}, set(), "z", "sum")
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        run_backward(program, {"x": X}, {"x"}, "z", None)


def test_flags_after_backward_show_leaf_grads_and_read_non_leaves_without_warning(recwarn):
    result = run_backward(parse_program(DEFAULT_PROGRAM), {"x": X}, {"x"}, "z", "sum")
    flags = {f.name: f for f in result.forward.flags()}
    assert flags["x"].grad == str(4 * (2 * X + 5)) and flags["x"].is_leaf
    assert flags["z"].grad is None and flags["z"].grad_fn == "SubBackward0" and flags["z"].version == 0
    assert not [w for w in recwarn if "not a leaf" in str(w.message)]
    assert tensor_flags("t", torch.ones(1)).requires_grad is False


def _direct_error(fn):
    try:
        fn()
    except RuntimeError as exc:
        return str(exc)
    raise AssertionError("expected PyTorch to refuse")


def test_each_error_case_fails_with_pytorchs_exact_message_and_its_fix_works():
    outcomes = {case.key: (run_demo(case.broken, X), run_demo(case.fixed, X)) for case in AUTOGRAD_ERRORS}
    leaf = X.clone().requires_grad_(True)
    assert outcomes["nothing_requires_grad"][0].error == _direct_error(lambda: ((X * 2 + 5) - 10).mean().backward())
    assert outcomes["non_scalar"][0].error == _direct_error(lambda: ((leaf * 2 + 5) ** 2 - 10).backward())

    def twice():
        loss = ((leaf * 2 + 5) ** 2).sum()
        loss.backward()
        loss.backward()

    assert outcomes["backward_twice"][0].error == _direct_error(twice)
    inplace_broken, inplace_fixed = outcomes["inplace"]
    assert inplace_broken.error_type == "RuntimeError" and "modified by an inplace operation" in inplace_broken.error
    assert inplace_broken.printed == "y._version before: 0\ny._version after:  1"
    assert inplace_fixed.printed.startswith("y._version before: 0\ny._version after:  0")
    non_leaf_broken, non_leaf_fixed = outcomes["non_leaf_grad"]
    assert non_leaf_broken.printed == "None" and not non_leaf_broken.failed
    assert any("not a leaf Tensor" in w for w in non_leaf_broken.warnings)
    assert non_leaf_fixed.printed == str(2 * (X * 2 + 5)) and not non_leaf_fixed.warnings
    assert outcomes["backward_twice"][1].printed == str(2 * 4 * (2 * X + 5))  # accumulated twice
    assert not any(fixed.failed for _, fixed in outcomes.values())
    assert all(o[0].failed for k, o in outcomes.items() if k != "non_leaf_grad")


def test_the_code_shown_is_the_code_that_runs():
    """The shown text is the defining lines in the module file, and running it is running the function."""
    module_lines = inspect.getsourcefile(AUTOGRAD_ERRORS[0].broken)
    with open(module_lines, encoding="utf-8") as fh:
        file_lines = fh.read().splitlines()
    for case in AUTOGRAD_ERRORS:
        for function in (case.broken, case.fixed):
            first = function.__code__.co_firstlineno
            shown = source_of(function).splitlines()
            assert shown == [line for line in file_lines[first - 1 : first - 1 + len(shown)]]
            assert shown[0] == f"def {function.__name__}(x):"
    assert run_demo(AUTOGRAD_ERRORS[0].fixed, X).printed == str(torch.full((3,), 2 / 3))


def test_extract_graph_without_grad_has_only_the_unrecorded_leaves():
    program = parse_program("y = x * w")
    from core.program import run_program

    values = {"x": X, "w": X}
    trace = run_program(program, values)
    graph = extract_graph(trace, values)
    assert sorted(n.label for n in graph.nodes) == ["w", "x"] and graph.edges == ()


@pytest.mark.parametrize("output", ["y", "z"])
@pytest.mark.parametrize("reduction", ["sum", "mean", None])
def test_backward_visits_exactly_the_graph_it_draws(output, reduction):
    program = parse_program("y = x * w + b\nz = (y ** 2).sum() + y.mean()")
    values = {"x": X, "w": X + 1, "b": X - 1}
    if output == "y" and reduction is None:
        with pytest.raises(RuntimeError, match="only for scalar outputs"):
            run_backward(program, values, {"x", "w", "b"}, output, reduction)
        return
    result = run_backward(program, values, {"x", "w", "b"}, output, reduction)
    assert {v.node_id for v in result.visits} == {n.id for n in result.graph.recorded}
    assert result.reduction == (reduction if output == "y" else None)  # z is already a scalar: no extra node


def test_backward_from_a_leaf_visits_no_node():
    result = run_backward(parse_program("y = x"), {"x": torch.tensor([2.0])}, {"x"}, "y", "sum")
    assert result.visits == () and result.graph.nodes == () and result.reduction is None
    assert result.leaves[0].printed == str(torch.ones(1))


def test_repeated_inputs_give_one_edge_per_slot_and_inner_nodes_have_shapes():
    forward = run_forward(parse_program("y = x * x + 1"), {"x": X}, {"x"})
    labels = {n.id: n.label for n in forward.graph.nodes}
    into_mul = [e for e in forward.graph.edges if labels[e.target] == "MulBackward0"]
    assert sorted(e.slot for e in into_mul) == [0, 1] and {labels[e.source] for e in into_mul} == {"x"}
    mul = next(n for n in forward.graph.nodes if n.label == "MulBackward0")
    assert mul.variable is None and mul.shape == (3,)


def test_inputs_the_program_does_not_read_are_left_out():
    forward = run_forward(parse_program("y = w * 2"), {"x": X, "w": X}, {"x"})
    assert set(forward.inputs) == {"w"} and forward.graph.recorded == ()
    assert diagnose(forward, "y", "sum", {"x"}) == "enable_grad"


def test_diagnose_names_the_fix_for_each_refusal():
    program = parse_program("m = x > 1.5\ny = x * 2")
    forward = run_forward(program, {"x": X}, {"x"})
    assert diagnose(forward, "m", "sum", {"x"}) == "choose_output"
    assert differentiable_outputs(forward) == ("y",)
    assert diagnose(forward, "y", None, {"x"}) == "reduce_sum"
    assert diagnose(forward, "y", "sum", {"x"}) is None
    assert diagnose(run_forward(program, {"x": X}, set()), "y", "sum", set()) == "enable_grad"


def test_the_analytic_check_follows_the_dtype_and_can_fail():
    program = parse_program("y=x*2+5\nz = y**2-10")  # the lesson's program, spaced differently
    for dtype in (torch.float32, torch.bfloat16, torch.float16):
        x = torch.randn(50, generator=torch.Generator().manual_seed(1)).to(dtype)
        for reduction in ("sum", "mean"):
            result = run_backward(program, {"x": x}, {"x"}, "z", reduction)
            analytic = analytic_default_gradient(program, "z", x, reduction)
            assert gradient_agrees(result.leaves[0].grad, analytic), (dtype, reduction)
            assert not gradient_agrees(torch.zeros_like(result.leaves[0].grad), analytic)
            assert not gradient_agrees(result.leaves[0].grad * 1.1, analytic)


def test_backward_through_loops_and_the_branch_taken_matches_pytorch():
    program = parse_program(
        "y = x * 2\nfor i in range(3):\n    y = y * x\nif y.sum() > 0:\n    z = y.sum()\nelse:\n    z = -y.sum()"
    )
    for values in ([1.0, 2.0], [-1.0, -2.0, 0.5]):
        result = run_backward(program, {"x": torch.tensor(values)}, {"x"}, "z", None)
        leaf = torch.tensor(values, requires_grad=True)
        y = leaf * 2
        for _ in range(3):
            y = y * leaf
        (y.sum() if y.sum() > 0 else -y.sum()).backward()
        (gradient,) = [g for g in result.leaves if g.name == "x"]
        torch.testing.assert_close(gradient.grad, leaf.grad)
