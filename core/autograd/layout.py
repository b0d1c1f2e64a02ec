"""Where each node of an autograd graph goes, and the path each edge takes: plain coordinates, computed in the worker.

A left-to-right layered drawing: a node's column is its longest path from a leaf. An edge that spans several
columns gets a waypoint of its own in every column it crosses, in a row no node uses, so it never runs through a
node (with `e = d + a`, the edge a→e once hid behind d). Edges leave and enter a node level and bend only between
columns, so they stay clear of the labels drawn above the nodes. Every pass is linear in nodes + edges + waypoints
(sorting aside); core.autograd.drawing keeps the waypoints bounded.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.autograd.graph import AutogradGraph, GraphEdge

Point = tuple[float, float]
# how far (in columns) an edge runs level out of and into a node: a label narrower than this either side is clear
LEVEL = 0.3
# how far apart (in rows) the middles of parallel edges (`y = x * x`: two edges x→Mul) are drawn
PARALLEL_SPREAD = 0.25


@dataclass(frozen=True, kw_only=True)
class EdgeRoute:
    """One edge and the polyline it is drawn along, from its source's spot to its target's."""

    edge: GraphEdge
    points: tuple[Point, ...]


@dataclass(frozen=True, kw_only=True)
class GraphLayout:
    """Node positions by id, each edge's route (in the graph's edge order) and the most rows a column has."""

    positions: Mapping[str, Point]
    routes: tuple[EdgeRoute, ...]
    rows: int


@dataclass(frozen=True, kw_only=True)
class LayoutSize:
    """What a layout would hold, known before building it: waypoints in all, and the most rows a column has."""

    waypoints: int
    rows: int


def columns(graph: AutogradGraph) -> dict[str, int]:
    """Each node's column: its longest path from a leaf (Kahn's order, linear); a leaf sits just before its first
    consumer, and an unconnected node in the first column."""
    incoming = {node.id: 0 for node in graph.nodes}
    consumers: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        incoming[edge.target] += 1
        consumers[edge.source].append(edge.target)
    depth = dict.fromkeys(incoming, 0)
    ready = deque(key for key, count in incoming.items() if count == 0)
    while ready:
        key = ready.popleft()
        for target in consumers.get(key, ()):
            depth[target] = max(depth[target], depth[key] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    sources = {edge.target for edge in graph.edges}
    for key, targets in consumers.items():
        if key not in sources:
            depth[key] = min(depth[t] for t in targets) - 1
    return depth


def layout_size(graph: AutogradGraph, depth: Mapping[str, int]) -> LayoutSize:
    """Waypoints and rows of graph_layout(graph), counted without placing anything (a difference array per column)."""
    change: dict[int, int] = defaultdict(int)
    for column in depth.values():
        change[column] += 1
        change[column + 1] -= 1
    waypoints = 0
    for edge in graph.edges:
        start, end = depth[edge.source], depth[edge.target]
        if end - start > 1:
            waypoints += end - start - 1
            change[start + 1] += 1
            change[end] -= 1
    rows, running = 1, 0
    for column in sorted(change):
        running += change[column]
        rows = max(rows, running)
    return LayoutSize(waypoints=waypoints, rows=rows)


def graph_layout(graph: AutogradGraph, depth: Mapping[str, int] | None = None) -> GraphLayout:
    """Columns by longest path, a waypoint per crossed column for long edges, rows ordered to follow neighbours.

    `depth` is columns(graph) when the caller has it already. Unconnected nodes stay in the first column.
    """
    depth = depth if depth is not None else columns(graph)
    chains = [_chain(edge, depth) for edge in graph.edges]
    by_column: dict[int, list] = {}
    for node in graph.nodes:
        by_column.setdefault(depth[node.id], []).append(node.id)
    for chain in chains:
        for column, key in enumerate(chain[1:-1], start=depth[chain[0]] + 1):
            by_column.setdefault(column, []).append(key)
    _order_rows(by_column, chains)
    spots = {
        key: (float(c), (len(keys) - 1) / 2 - row) for c, keys in by_column.items() for row, key in enumerate(keys)
    }
    bulges = _bulges(graph.edges)
    routes = tuple(
        EdgeRoute(edge=edge, points=_route([spots[key] for key in chain], bulge))
        for edge, chain, bulge in zip(graph.edges, chains, bulges, strict=True)
    )
    positions = {node.id: spots[node.id] for node in graph.nodes}
    return GraphLayout(
        positions=positions, routes=routes, rows=max((len(keys) for keys in by_column.values()), default=1)
    )


def _chain(edge: GraphEdge, depth: Mapping[str, int]) -> list:
    """The edge's source, one waypoint key per column it crosses, and its target."""
    start, end = depth[edge.source], depth[edge.target]
    return [edge.source, *((edge, column) for column in range(start + 1, end)), edge.target]


def _order_rows(by_column: dict[int, list], chains: Sequence[list]) -> None:
    """Sort each column by the mean row of its neighbours (left to right, then back), so edges cross little.

    Heights are kept up to date column by column, so a sweep costs its columns' keys and their neighbours only.
    """
    before: dict[object, list] = defaultdict(list)
    after: dict[object, list] = defaultdict(list)
    for chain in chains:
        for left, right in zip(chain, chain[1:], strict=False):
            after[left].append(right)
            before[right].append(left)
    height: dict[object, float] = {}
    for keys in by_column.values():
        _measure(keys, height)
    order = sorted(by_column)
    for sweep, neighbours in ((order[1:], before), (order[-2::-1], after)):
        for column in sweep:
            mine = by_column[column]

            def place(key, neighbours=neighbours):
                near = neighbours.get(key, [])
                return -sum(height[k] for k in near) / len(near) if near else -height[key]

            mine.sort(key=place)
            _measure(mine, height)


def _measure(keys: list, height: dict[object, float]) -> None:
    """Each key's height in its column: the middle row at 0, the first row highest."""
    for row, key in enumerate(keys):
        height[key] = (len(keys) - 1) / 2 - row


def _bulges(edges: Sequence[GraphEdge]) -> list[float]:
    """Parallel edges (same source and target) get their middles spread apart, so each one shows."""
    twins: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, edge in enumerate(edges):
        twins[edge.source, edge.target].append(index)
    bulges = [0.0] * len(edges)
    for indices in twins.values():
        if len(indices) > 1:
            for rank, index in enumerate(indices):
                bulges[index] = (rank - (len(indices) - 1) / 2) * PARALLEL_SPREAD
    return bulges


def _route(spots: list[Point], bulge: float) -> tuple[Point, ...]:
    """Level out of each spot, bend between columns, level into the next one."""
    points: list[Point] = [spots[0]]
    for (x0, y0), (x1, y1) in zip(spots, spots[1:], strict=False):
        middle = [((x0 + x1) / 2, (y0 + y1) / 2 + bulge)] if bulge else []
        points += [(x0 + LEVEL, y0), *middle, (x1 - LEVEL, y1), (x1, y1)]
    return tuple(points)
