"""Where each node of an autograd graph goes on the page: a left-to-right layered drawing (drawing, not PyTorch)."""

from __future__ import annotations

from core.autograd.graph import AutogradGraph


def layered_layout(graph: AutogradGraph) -> dict[str, tuple[float, float]]:
    """Positions for a left-to-right layered drawing: x is the longest path from a leaf, y spreads each layer.

    Unconnected nodes (inputs PyTorch did not record) stay in the first column.
    """
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
    # a leaf sits just before its first consumer, so its edge never runs through other layers' nodes
    for node in graph.nodes:
        consumers = [depth[e.target] for e in graph.edges if e.source == node.id]
        if not incoming[node.id] and consumers:
            depth[node.id] = min(consumers) - 1
    columns: dict[int, list[str]] = {}
    for node in graph.nodes:
        columns.setdefault(depth[node.id], []).append(node.id)
    positions = {}
    for column, keys in columns.items():
        for row, key in enumerate(keys):
            positions[key] = (float(column), (len(keys) - 1) / 2 - row)
    return positions
