"""Backward's visits as the frames of its animation, bounded by the drawing: a run of visits to nodes a summary
gathered is one frame on the summary node, so there are at most about twice as many frames as drawn nodes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.autograd.backward import BackwardVisit
from core.autograd.drawing import SUMMARY, GraphDrawing


@dataclass(frozen=True, kw_only=True)
class BackwardStep:
    """One frame: the drawn node backward reached (the summary node for a run of gathered visits), the visits it
    covers (`first` in backward's order, `count` of them) and what the first of them received."""

    node_id: str
    label: str
    first: int
    count: int = 1
    incoming: tuple[str, ...] = ()


def backward_steps(drawing: GraphDrawing, visits: Sequence[BackwardVisit]) -> tuple[BackwardStep, ...]:
    """One step per visit of a drawn node, and one per run of consecutive visits to gathered nodes."""
    drawn = {node.id for node in drawing.nodes}
    steps: list[BackwardStep] = []
    for visit in visits:
        if visit.node_id in drawn:
            steps.append(
                BackwardStep(node_id=visit.node_id, label=visit.label, first=visit.order, incoming=visit.incoming)
            )
        elif steps and steps[-1].node_id == SUMMARY:
            steps[-1] = replace(steps[-1], count=steps[-1].count + 1)
        else:
            steps.append(BackwardStep(node_id=SUMMARY, label=visit.label, first=visit.order, incoming=visit.incoming))
    return tuple(steps)
