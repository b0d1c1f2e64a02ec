"""The autograd graph's drawing: bounded by its caps, summarised beyond them, linear in the graph's size, and the
small graphs laid out exactly as before the layout moved into the worker."""

import sys

import pytest
import torch

from core.autograd import drawing as drawing_module
from core.autograd import layout as layout_module
from core.autograd.backward import run_backward, run_forward
from core.autograd.drawing import (
    MAX_DRAWN_EDGES,
    MAX_DRAWN_NODES,
    MAX_ROWS,
    MAX_WAYPOINTS,
    SUMMARY,
    draw_graph,
)
from core.autograd.frames import backward_steps
from core.autograd.graph import LEAF_GRAD, OPERATION, OUTPUT, AutogradGraph, GraphEdge, GraphNode
from core.autograd.layout import columns, graph_layout, layout_size
from core.program import DEFAULT_PROGRAM, parse_program

X = torch.tensor([1.0, 2.0, 3.0])
# issue #26's chain: 482 nodes, whose layout once took 23.6 s of the UI process
CHAIN = (
    "y = x * 1.0\nfor i in range(15):\n    for j in range(4):\n"
    "        y = torch.sin(y) * x + torch.cos(y) * x - x * y + x\nz = y"
)
# forty reads of x per loop body (four statements of ten), 782 nodes
BODY = "y = x * 1.0\nfor i in range(15):\n" + ("    y = " + " + ".join(["y * x"] * 7) + "\n") * 4 + "z = y"


def forward_graph(text: str, grad=("x",)) -> AutogradGraph:
    program = parse_program(text)
    return run_forward(program, {name: X for name in program.inputs}, set(grad)).graph.plain()


def assert_bounded(drawing) -> None:
    layout = drawing.layout
    waypoints = sum(len(route.points) for route in layout.routes)
    assert len(drawing.nodes) <= MAX_DRAWN_NODES and len(drawing.edges) <= MAX_DRAWN_EDGES
    assert layout.rows <= MAX_ROWS and waypoints <= 4 * (MAX_WAYPOINTS + 2 * MAX_DRAWN_EDGES)
    assert set(layout.positions) == {n.id for n in drawing.nodes}
    # drawn left to right: every edge leaves its source's column for a later one (the summary made no cycle)
    assert all(layout.positions[e.source][0] < layout.positions[e.target][0] for e in drawing.edges)


@pytest.mark.parametrize("text", [CHAIN, BODY])
def test_a_large_graph_is_summarised_within_the_caps(text):
    graph = forward_graph(text)
    assert layout_size(graph, columns(graph)).waypoints > 100 * MAX_WAYPOINTS  # whole, it would never draw
    drawing = draw_graph(graph)
    assert_bounded(drawing)
    kept = {n.id for n in drawing.nodes} - {SUMMARY}
    assert drawing.total == len(graph.nodes) and drawing.hidden == len(graph.nodes) - len(kept) > 0
    kinds = [n.kind for n in drawing.nodes]
    assert kinds.count(SUMMARY) == 1 and LEAF_GRAD in kinds and OUTPUT in kinds  # the leaves and the output stay
    assert all(n in graph.nodes for n in drawing.nodes if n.kind != SUMMARY)  # kept nodes as PyTorch recorded them
    depth = columns(graph)
    operations = [n for n in graph.nodes if n.kind in (OPERATION, OUTPUT)]
    deepest = max(operations, key=lambda n: depth[n.id])
    first = min(operations, key=lambda n: depth[n.id])
    assert {deepest.id, first.id} <= kept  # nearest the output and nearest the leaves


def test_backward_frames_cover_every_visit_and_stay_bounded():
    program = parse_program(CHAIN)
    result = run_backward(program, {"x": X}, {"x"}, "z", "sum")
    drawing = draw_graph(result.graph.plain())
    steps = backward_steps(drawing, result.visits)
    assert drawing.hidden and len(result.visits) > 400
    assert len(steps) <= 2 * len(drawing.nodes) + 1
    assert sum(s.count for s in steps) == len(result.visits)
    assert [s.first for s in steps] == sorted(s.first for s in steps)  # in backward's order
    drawn = {n.id for n in drawing.nodes}
    assert all(s.node_id in drawn for s in steps) and any(s.node_id == SUMMARY and s.count > 1 for s in steps)


def test_small_graphs_are_drawn_whole_and_where_they_always_were():
    graph = forward_graph("a = x * 2\nd = a + 1\ne = d + a")
    drawing = draw_graph(graph)
    assert (drawing.nodes, drawing.edges, drawing.hidden, drawing.total) == (graph.nodes, graph.edges, 0, 4)
    by_variable = {n.variable: drawing.layout.positions[n.id] for n in graph.nodes}
    # the coordinates pages/autograd/layout.py gave before the layout moved into core (d above e's long edge a→e)
    assert by_variable == {"x": (0.0, 0.0), "a": (1.0, 0.0), "d": (2.0, 0.5), "e": (3.0, 0.0)}
    long_edge = next(r for r in drawing.layout.routes if r.points[0][0] == 1.0 and r.points[-1][0] == 3.0)
    assert long_edge.points == ((1.0, 0.0), (1.3, 0.0), (1.7, -0.5), (2.0, -0.5), (2.3, -0.5), (2.7, 0.0), (3.0, 0.0))
    twins = draw_graph(forward_graph("y = x * x")).layout.routes
    assert [r.points for r in twins] == [
        ((0.0, 0.0), (0.3, 0.0), (0.5, -0.125), (0.7, 0.0), (1.0, 0.0)),
        ((0.0, 0.0), (0.3, 0.0), (0.5, 0.125), (0.7, 0.0), (1.0, 0.0)),
    ]
    lesson = draw_graph(forward_graph(DEFAULT_PROGRAM))
    assert lesson.hidden == 0 and lesson.layout.rows == 1
    assert sorted(lesson.layout.positions.values()) == [(float(c), 0.0) for c in range(5)]


def chain_graph(n: int) -> AutogradGraph:
    """Issue #26's shape without PyTorch: n operations in a row, each also reading the leaf x (long edges)."""
    nodes = [_leaf("x")]
    edges = []
    for i in range(n):
        nodes.append(_operation(f"o{i}", "MulBackward0", OUTPUT if i == n - 1 else OPERATION))
        edges += [
            GraphEdge(source=f"o{i - 1}" if i else "x", target=f"o{i}", slot=0),
            GraphEdge(source="x", target=f"o{i}", slot=1),
        ]
    return AutogradGraph(nodes=tuple(nodes), edges=tuple(edges))


def ladder_graph(n: int) -> AutogradGraph:
    """Two rows of n operations, each reading both of the previous column: no long edges at all."""
    nodes = [_leaf(key) for key in ("a-1", "b-1")]
    edges = []
    for i in range(n):
        for mine, other in (("a", "b"), ("b", "a")):
            nodes.append(_operation(f"{mine}{i}", "AddBackward0", OPERATION))
            edges += [
                GraphEdge(source=f"{mine}{i - 1}", target=f"{mine}{i}", slot=0),
                GraphEdge(source=f"{other}{i - 1}", target=f"{mine}{i}", slot=1),
            ]
    return AutogradGraph(nodes=tuple(nodes), edges=tuple(edges))


def _leaf(key: str) -> GraphNode:
    return GraphNode(id=key, label=key, kind=LEAF_GRAD, variable=key, line=None, shape=(3,), saved=())


def _operation(key: str, label: str, kind: str) -> GraphNode:
    return GraphNode(id=key, label=label, kind=kind, variable=None, line=1, shape=(3,), saved=())


def executed_lines(function, *args) -> int:
    """How many lines of core.autograd.layout and .drawing a call executes: an operation count, never a time."""
    files = {layout_module.__file__, drawing_module.__file__}
    count = 0

    def local(frame, event, arg):
        nonlocal count
        count += event == "line"
        return local

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: local if frame.f_code.co_filename in files else None)
    try:
        function(*args)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize(("build", "work"), [(chain_graph, draw_graph), (ladder_graph, graph_layout)])
def test_layout_work_grows_linearly_with_the_graph(build, work):
    small, large = build(150), build(600)
    ratio = executed_lines(work, large) / executed_lines(work, small)
    assert ratio < 6  # 4x the graph: about 4x the work (a quadratic pass would be about 16x)


def test_a_summarised_chain_does_bounded_layout_work_however_long_the_chain():
    whole = [layout_size(g, columns(g)).waypoints for g in (chain_graph(150), chain_graph(600))]
    assert whole[1] > 15 * whole[0]  # drawn whole, the waypoints would grow with the square of the chain
    for n in (150, 600):
        assert_bounded(draw_graph(chain_graph(n)))
