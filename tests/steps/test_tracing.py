"""The torch.fx contrast: traced graphs agree with eager, control flow is refused, define-by-run grows the graph."""

import operator

import pytest
import torch
from torch import fx

from core.program import DEFAULT_PROGRAM, ProgramError, parse_program, run_program
from core.steps.tracing import (
    branch_on_value,
    compare_with_eager,
    control_flow_contrast,
    count_autograd_nodes,
    define_by_run,
    trace_program,
)

PROGRAMS = [
    DEFAULT_PROGRAM,
    "y = torch.sin(x) + x.cos()\nz = y.sum()",
    "m = x > 1\ny = torch.where(m, x * 3, -x)\nz = y.clamp(min=0, max=5)",
    "y = x.exp().log() @ x",
    "y = x * 2\ny = y * 2\nz = y.mean()",
]


@pytest.mark.parametrize("text", PROGRAMS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_traced_module_agrees_with_eager(text, dtype):
    program = parse_program(text)
    x = torch.linspace(-2, 3, 7, dtype=dtype)
    eager = run_program(program, {"x": x})
    traced = trace_program(program)
    outputs = traced.run({"x": x})
    assert set(outputs) == set(program.targets)
    for name, value in outputs.items():
        torch.testing.assert_close(value, eager.env[name], rtol=0, atol=0)
    assert all(a.agrees and a.max_abs_diff == 0 for a in compare_with_eager(outputs, eager.env))


def test_the_default_program_traces_to_the_expected_fx_nodes():
    traced = trace_program(parse_program(DEFAULT_PROGRAM))
    graph = traced.module.graph
    ops = [(n.op, n.target) for n in graph.nodes]
    assert ops == [
        ("placeholder", "x"),
        ("call_function", operator.mul),
        ("call_function", operator.add),
        ("call_function", operator.pow),
        ("call_function", operator.sub),
        ("output", "output"),
    ]
    assert [n.line for n in traced.nodes] == [None, 1, 1, 2, 2, None]
    assert traced.code == traced.module.code.strip() and "def forward(self, x)" in traced.code


def test_a_method_call_is_recorded_as_call_method():
    traced = trace_program(parse_program("y = x.sum()"))
    assert [(n.op, n.target) for n in traced.nodes][1] == ("call_method", "sum")


def test_disagreement_is_reported_with_its_size():
    rows = compare_with_eager({"y": torch.tensor([1.0, 2.0])}, {"y": torch.tensor([1.0, 2.5])})
    assert rows[0].name == "y" and not rows[0].agrees and rows[0].max_abs_diff == 0.5


def test_control_flow_runs_eagerly_and_symbolic_tracing_refuses_with_pytorchs_message():
    x = torch.tensor([1.0, -3.0])
    contrast = control_flow_contrast(x)
    assert contrast.eager_printed == str(branch_on_value(x)) == str(x - 1)
    with pytest.raises(fx.proxy.TraceError) as direct:
        fx.symbolic_trace(branch_on_value)
    assert contrast.trace_error_type == "TraceError"
    assert contrast.trace_error == str(direct.value)
    assert "if x.sum() > 0:" in contrast.source


def test_define_by_run_records_the_operations_the_learners_program_ran():
    program = parse_program("y = x * 2\nif y.sum() > 0:\n    for i in range(3):\n        y = y * 2\nz = y + 1")
    positive, negative = define_by_run(program, ({"x": torch.tensor([1.0, 2.0])}, {"x": torch.tensor([-1.0, -2.0])}))
    assert positive.decisions == ((2, True),) and negative.decisions == ((2, False),)
    assert (positive.executed, negative.executed) == (5, 2)
    leaf = torch.tensor([1.0, 2.0], requires_grad=True)
    y = leaf * 2
    for _ in range(3):
        y = y * 2
    assert positive.graph_nodes == count_autograd_nodes(y + 1)  # four MulBackward0, an AddBackward0, the leaf
    leaf = torch.tensor([-1.0, -2.0], requires_grad=True)
    assert negative.graph_nodes == count_autograd_nodes(leaf * 2 + 1) == 3
    assert positive.output_printed == str((y + 1).detach())


def test_an_if_cannot_be_traced_and_fxs_own_error_is_kept_at_its_line():
    program = parse_program("y = x * 2\nif y.sum() > 0:\n    z = y\nelse:\n    z = -y")
    with pytest.raises(ProgramError) as caught:
        trace_program(program)
    with pytest.raises(fx.proxy.TraceError) as direct:
        bool(fx.Proxy(fx.Graph().placeholder("x")) > 0)
    assert (caught.value.code, caught.value.line) == ("fx_control_flow", 2)
    assert caught.value.params["detail"] == f"TraceError: {direct.value}"


def test_a_for_loop_traces_unrolled_and_agrees_with_eager():
    program = parse_program("y = x\nfor i in range(4):\n    y = y * 2 + i")
    traced = trace_program(program)
    x = torch.tensor([1.0, -2.0])
    assert [n.target for n in traced.nodes if n.op == "call_function"].count("mul") == 4
    eager = run_program(program, {"x": x})
    assert all(a.agrees for a in compare_with_eager(traced.run({"x": x}), eager.env))


def test_count_autograd_nodes_matches_a_hand_built_graph():
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    out = (a * b + a).sum()
    # SumBackward0, AddBackward0, MulBackward0, and one AccumulateGrad per leaf
    assert count_autograd_nodes(out) == 5
    assert count_autograd_nodes(torch.ones(2)) == 0
