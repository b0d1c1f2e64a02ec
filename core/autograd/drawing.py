"""What the page draws of an autograd graph: the whole graph when it fits the caps, else a bounded summary.

A summary keeps the leaves, the operations nearest them and those nearest the output (by column, so the kept
front and back stay closed under the graph's edges and the drawing stays acyclic), and gathers every other node into
one counted summary node. Everything here is linear in the graph's size; the layout then only sees a bounded graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.autograd.graph import LEAF_GRAD, LEAF_NO_GRAD, AutogradGraph, GraphEdge, GraphNode
from core.autograd.layout import GraphLayout, columns, graph_layout, layout_size

SUMMARY = "summary"  # the kind (and id) of the node that stands for every node a summary leaves out
# caps on one drawing: beyond any of them the graph is summarised (a browser draws this many with labels legibly)
MAX_DRAWN_NODES = 40
MAX_DRAWN_EDGES = 80
MAX_WAYPOINTS = 120
MAX_ROWS = 12
# of the operations a summary keeps, this share comes from the front (nearest the leaves), the rest from the back
FRONT_SHARE = 1 / 3


@dataclass(frozen=True, kw_only=True)
class GraphDrawing:
    """The nodes and edges drawn (a summary node among them when `hidden`), with their layout; `total` counts the
    graph's nodes and `hidden` those gathered into the summary node."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    layout: GraphLayout
    total: int
    hidden: int = 0

    @property
    def recorded(self) -> tuple[GraphNode, ...]:
        """The drawn nodes PyTorch really recorded (or that stand for recorded ones): inputs without grad excluded."""
        return tuple(n for n in self.nodes if n.kind != LEAF_NO_GRAD)


def draw_graph(graph: AutogradGraph) -> GraphDrawing:
    """The whole graph if it fits the caps, else the largest summary (fewer kept operations each try) that does."""
    depth = columns(graph)
    if _fits(graph, depth):
        return GraphDrawing(
            nodes=graph.nodes, edges=graph.edges, layout=graph_layout(graph, depth), total=len(graph.nodes)
        )
    leaves = [n for n in graph.nodes if n.kind in (LEAF_GRAD, LEAF_NO_GRAD)]
    order = {node.id: index for index, node in enumerate(graph.nodes)}
    operations = sorted((n for n in graph.nodes if n.kind not in (LEAF_GRAD, LEAF_NO_GRAD)), key=_rank(depth, order))
    keep = min(MAX_DRAWN_NODES - len(leaves) - 1, len(operations) - 1)
    while True:
        summary, summary_depth = _summarise(graph, operations, keep)
        if keep <= 0 or _fits(summary, summary_depth):
            hidden = len(graph.nodes) - len(summary.nodes) + 1
            layout = graph_layout(summary, summary_depth)
            return GraphDrawing(
                nodes=summary.nodes, edges=summary.edges, layout=layout, total=len(graph.nodes), hidden=hidden
            )
        keep = keep * 2 // 3


def _rank(depth: dict[str, int], order: dict[str, int]):
    return lambda node: (depth[node.id], order[node.id])


def _fits(graph: AutogradGraph, depth: dict[str, int]) -> bool:
    if len(graph.nodes) > MAX_DRAWN_NODES or len(graph.edges) > MAX_DRAWN_EDGES:
        return False
    size = layout_size(graph, depth)
    return size.waypoints <= MAX_WAYPOINTS and size.rows <= MAX_ROWS


def _summarise(graph: AutogradGraph, operations: list[GraphNode], keep: int) -> tuple[AutogradGraph, dict[str, int]]:
    """The leaves, the first and last operations in column order (`keep` of them) and one summary node between.

    Edges into or out of gathered nodes become one edge per (source, target) pair through the summary node.
    """
    front = round(keep * FRONT_SHARE)
    back = max(0, keep - front)
    gathered = {n.id for n in operations[front : len(operations) - back]}
    nodes = [n for n in graph.nodes if n.id not in gathered]
    nodes.append(GraphNode(id=SUMMARY, label="…", kind=SUMMARY, variable=None, line=None, shape=None, saved=()))
    edges: list[GraphEdge] = []
    through: set[tuple[str, str]] = set()
    for edge in graph.edges:
        source = SUMMARY if edge.source in gathered else edge.source
        target = SUMMARY if edge.target in gathered else edge.target
        if source == target:
            continue
        if SUMMARY in (source, target):
            if (source, target) in through:
                continue
            through.add((source, target))
            edge = GraphEdge(source=source, target=target)
        edges.append(edge)
    summary = AutogradGraph(nodes=tuple(nodes), edges=tuple(edges))
    return summary, columns(summary)
