"""Where each node of an autograd graph goes on the page, and the path each edge takes (drawing, not PyTorch).

A left-to-right layered drawing: a node's column is its longest path from a leaf. An edge that spans several
columns gets a waypoint of its own in every column it crosses, in a row no node uses, so it never runs through a
node (with `e = d + a`, the edge a→e once hid behind d). Edges leave and enter a node level and bend only between
columns, so they stay clear of the labels drawn above the nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.autograd.graph import AutogradGraph, GraphEdge

Point = tuple[float, float]
# how far (in columns) an edge runs level out of and into a node: a label narrower than this either side is clear
LEVEL = 0.3
# how far apart (in rows) the middles of parallel edges (`y = x * x`: two edges x→Mul) are drawn
PARALLEL_SPREAD = 0.25


@dataclass(frozen=True)
class GraphLayout:
    """Node positions, each edge's route (a polyline from its source to its target) and the most rows a column has."""

    positions: dict[str, Point]
    routes: dict[GraphEdge, tuple[Point, ...]]
    rows: int


def layered_layout(graph: AutogradGraph) -> dict[str, Point]:
    """Positions for a left-to-right layered drawing (see graph_layout)."""
    return graph_layout(graph).positions


def graph_layout(graph: AutogradGraph) -> GraphLayout:
    """Columns by longest path, a waypoint per crossed column for long edges, rows ordered to follow neighbours.

    Unconnected nodes (inputs PyTorch did not record) stay in the first column.
    """
    depth = _columns(graph)
    chains = {edge: _chain(edge, depth) for edge in graph.edges}
    columns: dict[int, list] = {}
    for node in graph.nodes:
        columns.setdefault(depth[node.id], []).append(node.id)
    for chain in chains.values():
        for column, key in enumerate(chain[1:-1], start=depth[chain[0]] + 1):
            columns.setdefault(column, []).append(key)
    _order_rows(columns, chains)
    spots = {key: (float(c), (len(keys) - 1) / 2 - row) for c, keys in columns.items() for row, key in enumerate(keys)}
    routes = {edge: _route([spots[key] for key in chain], _bulge(edge, graph)) for edge, chain in chains.items()}
    positions = {node.id: spots[node.id] for node in graph.nodes}
    return GraphLayout(positions, routes, max((len(keys) for keys in columns.values()), default=1))


def _columns(graph: AutogradGraph) -> dict[str, int]:
    incoming: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for edge in graph.edges:
        incoming[edge.target].append(edge.source)
    depth: dict[str, int] = {}

    def layer(key: str) -> int:
        if key not in depth:
            depth[key] = 0  # provisional; the graph is a DAG so this never feeds back
            depth[key] = 1 + max((layer(s) for s in incoming[key]), default=-1)
        return depth[key]

    for node in graph.nodes:
        layer(node.id)
    # a leaf sits just before its first consumer
    for node in graph.nodes:
        consumers = [depth[e.target] for e in graph.edges if e.source == node.id]
        if not incoming[node.id] and consumers:
            depth[node.id] = min(consumers) - 1
    return depth


def _chain(edge: GraphEdge, depth: dict[str, int]) -> list:
    """The edge's source, one waypoint key per column it crosses, and its target."""
    start, end = depth[edge.source], depth[edge.target]
    return [edge.source, *((edge, column) for column in range(start + 1, end)), edge.target]


def _order_rows(columns: dict[int, list], chains: dict[GraphEdge, list]) -> None:
    """Sort each column by the mean row of its neighbours (left to right, then back), so edges cross little."""
    before: dict[object, list] = {}
    after: dict[object, list] = {}
    for chain in chains.values():
        for left, right in zip(chain, chain[1:], strict=False):
            after.setdefault(left, []).append(right)
            before.setdefault(right, []).append(left)
    order = sorted(columns)
    for sweep, neighbours in ((order[1:], before), (order[-2::-1], after)):
        for column in sweep:
            rows = {key: row for keys in columns.values() for row, key in enumerate(keys)}
            height = {key: (len(keys) - 1) / 2 - rows[key] for keys in columns.values() for key in keys}
            mine = columns[column]

            def place(key, mine=mine, height=height, neighbours=neighbours):
                near = neighbours.get(key, [])
                return -sum(height[k] for k in near) / len(near) if near else -height[key]

            mine.sort(key=place)


def _bulge(edge: GraphEdge, graph: AutogradGraph) -> float:
    """Parallel edges (same source and target) get their middles spread apart, so each one shows."""
    twins = [e for e in graph.edges if (e.source, e.target) == (edge.source, edge.target)]
    if len(twins) < 2:
        return 0.0
    return (twins.index(edge) - (len(twins) - 1) / 2) * PARALLEL_SPREAD


def _route(spots: list[Point], bulge: float) -> tuple[Point, ...]:
    """Level out of each spot, bend between columns, level into the next one."""
    points: list[Point] = [spots[0]]
    for (x0, y0), (x1, y1) in zip(spots, spots[1:], strict=False):
        middle = [((x0 + x1) / 2, (y0 + y1) / 2 + bulge)] if bulge else []
        points += [(x0 + LEVEL, y0), *middle, (x1 - LEVEL, y1), (x1, y1)]
    return tuple(points)
