"""The autograd graph PyTorch recorded for a Program run, as plain data (nodes, edges), in micrograd's style.

Nodes are the grad_fn objects reachable through `next_functions` from the program's tensors, AccumulateGrad
leaves included, each labelled with the statement that created it; inputs that do not require grad are
added as unconnected leaves, because PyTorch records nothing for them. What is drawn of it: core.autograd.drawing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import torch
from torch.overrides import TorchFunctionMode

from core.program import ProgramTrace

LEAF_GRAD, LEAF_NO_GRAD, OPERATION, OUTPUT = "leaf_grad", "leaf_no_grad", "operation", "output"
# a node carries this many of its tensor's first elements (and of its gradient's), as micrograd's drawings show data
NODE_SAMPLE = 3


@dataclass(frozen=True, kw_only=True)
class SavedTensor:
    """One tensor a node keeps for backward: its attribute name (e.g. `_saved_self`), shape and dtype."""

    attribute: str
    shape: tuple[int, ...]
    dtype: str


@dataclass(frozen=True, kw_only=True)
class GraphNode:
    """One node of the autograd graph; `variable` is the name it produced (None inside a statement).

    `values` are the first NODE_SAMPLE elements of the tensor the node stands for (an operation's output, a leaf
    itself); `grads` the first elements of the gradient backward brought to it (with respect to that tensor), None
    until backward ran through it. Plain floats, so the graph can leave the worker.
    """

    id: str
    label: str  # the grad_fn class name, e.g. MulBackward0, or the input's name for a leaf
    kind: str  # LEAF_GRAD, LEAF_NO_GRAD, OPERATION or OUTPUT
    variable: str | None
    line: int | None
    shape: tuple[int, ...] | None
    saved: tuple[SavedTensor, ...]
    values: tuple[float, ...] = ()
    grads: tuple[float, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class GraphEdge:
    """Forward data flow from `source` into input `slot` of `target` (backward runs the other way).

    `y = x * x` gives two edges from x's AccumulateGrad into MulBackward0, slots 0 and 1, as PyTorch's
    `next_functions` lists them.
    """

    source: str
    target: str
    slot: int = 0


@dataclass(frozen=True, kw_only=True)
class AutogradGraph:
    """Nodes and edges as plain data; `alive` holds PyTorch's node objects so their ids stay theirs (see node_id)."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    alive: tuple[object, ...] = field(default=(), repr=False, compare=False)

    @property
    def recorded(self) -> tuple[GraphNode, ...]:
        """The nodes PyTorch really recorded (leaves that don't require grad excluded)."""
        return tuple(n for n in self.nodes if n.kind != LEAF_NO_GRAD)

    def plain(self) -> AutogradGraph:
        """The graph without PyTorch's node objects: what leaves a worker (ids are final once extracted)."""
        return AutogradGraph(nodes=self.nodes, edges=self.edges)

    def node(self, node_id: str) -> GraphNode:
        return next(n for n in self.nodes if n.id == node_id)

    def reaching(self, root_id: str) -> AutogradGraph:
        """The part of the graph backward from `root_id` can reach: the nodes with a path into it."""
        sources: dict[str, list[str]] = {}
        for edge in self.edges:
            sources.setdefault(edge.target, []).append(edge.source)
        keep, frontier = {root_id}, [root_id]
        while frontier:
            for source in sources.get(frontier.pop(), ()):
                if source not in keep:
                    keep.add(source)
                    frontier.append(source)
        nodes = tuple(n for n in self.nodes if n.id in keep)
        edges = tuple(e for e in self.edges if e.source in keep and e.target in keep)
        return AutogradGraph(nodes=nodes, edges=edges, alive=self.alive)

    def with_grads(self, grads: Mapping[str, tuple[float, ...]]) -> AutogradGraph:
        """The same graph with each node's gradient sample from `grads` (by node id), e.g. from backward's visits."""
        nodes = tuple(replace(n, grads=grads[n.id]) if n.id in grads else n for n in self.nodes)
        return AutogradGraph(nodes=nodes, edges=self.edges, alive=self.alive)


@dataclass(frozen=True, kw_only=True)
class TensorFlags:
    """The autograd attributes of one named tensor."""

    name: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    retains_grad: bool
    version: int
    grad: str | None  # what print(t.grad) shows, or None


def node_id(node: object) -> str:
    """A graph node's id. Some PyTorch builds give a node a new Python object once the last one is freed, and
    a freed object's id is reused: whoever walks the graph keeps every node object alive while ids matter."""
    return f"n{id(node):x}"


def tensor_flags(name: str, tensor: torch.Tensor) -> TensorFlags:
    """Read a tensor's flags; reading .grad of a non-leaf is done without triggering PyTorch's warning."""
    grad = tensor.grad if tensor.is_leaf or tensor.retains_grad else None
    return TensorFlags(
        name=name,
        requires_grad=tensor.requires_grad,
        is_leaf=tensor.is_leaf,
        grad_fn=type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else None,
        retains_grad=tensor.retains_grad,
        version=tensor._version,
        grad=None if grad is None else str(grad),
    )


def first_values(tensor: torch.Tensor) -> tuple[float, ...]:
    """The first NODE_SAMPLE elements of a tensor as plain floats (what a graph node shows of it)."""
    return tuple(tensor.detach().reshape(-1)[:NODE_SAMPLE].to("cpu", torch.float64).tolist())


def saved_tensors(node: object) -> tuple[SavedTensor, ...]:
    """The tensors a node saved for backward, read from its `_saved_*` attributes (empty once freed)."""
    saved = []
    for attribute in sorted(a for a in dir(node) if a.startswith("_saved_")):
        try:
            value = getattr(node, attribute)
        except RuntimeError:  # freed by an earlier backward
            continue
        values = value if isinstance(value, tuple | list) else (value,)
        for item in values:
            if isinstance(item, torch.Tensor):
                dtype = str(item.dtype).removeprefix("torch.")
                saved.append(SavedTensor(attribute=attribute, shape=tuple(item.shape), dtype=dtype))
    return tuple(saved)


@dataclass(frozen=True, kw_only=True)
class _Producer:
    """Who created a group of nodes: a statement, or the reduction applied before backward."""

    target: str
    line: int | None
    shape: tuple[int, ...]
    tensor: torch.Tensor


class ShapeRecorder(TorchFunctionMode):
    """Remembers the output shape and first values of every operation run under it, by the grad_fn the output carries.

    The autograd graph itself keeps no outputs, so this is how nodes inside a statement get a shape and values.
    """

    def __init__(self) -> None:
        super().__init__()
        self.shapes: dict[int, tuple[int, ...]] = {}
        self.values: dict[int, tuple[float, ...]] = {}
        self.alive: list[object] = []  # keeps each grad_fn's id its own while the recorder lives (see node_id)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        result = func(*args, **(kwargs or {}))
        if isinstance(result, torch.Tensor) and result.grad_fn is not None:
            self.alive.append(result.grad_fn)
            self.shapes[id(result.grad_fn)] = tuple(result.shape)
            self.values[id(result.grad_fn)] = first_values(result)
        return result


def extract_graph(
    trace: ProgramTrace,
    inputs: Mapping[str, torch.Tensor],
    outputs: tuple[str, ...] = (),
    reduced: tuple[str, torch.Tensor] | None = None,
    shapes: Mapping[int, tuple[int, ...]] | None = None,
    values: Mapping[int, tuple[float, ...]] | None = None,
) -> AutogradGraph:
    """Walk `next_functions` from each executed statement's tensor, in program order, and label what each created.

    Args:
        trace: an eager run of the program.
        inputs: the program's input tensors by name (to name AccumulateGrad leaves).
        outputs: names whose grad_fn is drawn as an output node; default the last statement's target.
        reduced: (label, tensor) of a reduction such as `z.sum()` applied before backward, drawn as the output.
        shapes: output shape by id(grad_fn), from a ShapeRecorder around the run.
        values: output's first values by id(grad_fn), from the same recorder.
    """
    leaf_names = {id(t): name for name, t in inputs.items()}
    outputs = outputs or ((trace.steps[-1].target,) if trace.steps else ())
    output_tensors = [trace.env[name] for name in outputs if name in trace.env]
    producers = [_Producer(target=s.target, line=s.line, shape=s.shape, tensor=s.tensor) for s in trace.steps]
    if reduced is not None:
        label, tensor = reduced
        producers.append(_Producer(target=label, line=None, shape=tuple(tensor.shape), tensor=tensor))
        output_tensors = [tensor]
    output_objects = [t.grad_fn for t in output_tensors if t.grad_fn is not None]  # alive while ids are compared
    output_fns = {id(fn) for fn in output_objects}
    shapes, values = shapes or {}, values or {}
    nodes: dict[str, GraphNode] = {}
    edges: set[GraphEdge] = set()
    alive: list[object] = list(output_objects)
    for producer in producers:
        root = producer.tensor.grad_fn
        stack = [root] if root is not None else []
        while stack:
            fn = stack.pop()
            key = node_id(fn)
            if key in nodes:
                continue
            alive.append(fn)
            nodes[key] = _node(fn, producer, root, leaf_names, output_fns, shapes, values)
            for slot, (child, _) in enumerate(fn.next_functions):
                if child is not None:
                    edges.add(GraphEdge(source=node_id(child), target=key, slot=slot))
                    stack.append(child)
    nodes |= _untracked_inputs(inputs)
    # in the order the nodes were found (program order), not by id: ids are memory addresses, and a drawing that
    # followed them would change from run to run
    rank = {key: index for index, key in enumerate(nodes)}
    ordered = tuple(sorted(edges, key=lambda e: (rank.get(e.source, len(rank)), rank[e.target], e.slot)))
    return AutogradGraph(nodes=tuple(nodes.values()), edges=ordered, alive=tuple(alive))


def _untracked_inputs(inputs: Mapping[str, torch.Tensor]) -> dict[str, GraphNode]:
    """The inputs that do not require grad: drawn as leaves autograd never records."""
    return {
        f"input-{name}": _leaf(f"input-{name}", name, LEAF_NO_GRAD, tensor)
        for name, tensor in inputs.items()
        if not tensor.requires_grad
    }


def _leaf(key: str, name: str, kind: str, tensor: torch.Tensor, grads: tuple[float, ...] | None = None) -> GraphNode:
    """An input as a node: its name, shape and first values (and its .grad's, once backward filled it)."""
    return GraphNode(
        id=key,
        label=name,
        kind=kind,
        variable=name,
        line=None,
        shape=tuple(tensor.shape),
        saved=(),
        values=first_values(tensor),
        grads=grads,
    )


def _node(fn, producer: _Producer, root, leaf_names, output_fns, shapes, values) -> GraphNode:
    if type(fn).__name__ == "AccumulateGrad":
        leaf = fn.variable
        name = leaf_names.get(id(leaf), "?")
        grads = None if leaf.grad is None else first_values(leaf.grad)
        return _leaf(node_id(fn), name, LEAF_GRAD, leaf, grads)
    kind = OUTPUT if id(fn) in output_fns else OPERATION
    is_root = fn is root
    return GraphNode(
        id=node_id(fn),
        label=type(fn).__name__,
        kind=kind,
        variable=producer.target if is_root else None,
        line=producer.line,
        shape=producer.shape if is_root else shapes.get(id(fn)),
        saved=saved_tensors(fn),
        values=first_values(producer.tensor) if is_root else values.get(id(fn), ()),
    )
