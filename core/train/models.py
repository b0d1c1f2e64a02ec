"""The models the page trains: an MLP, an MLP whose depth each batch chooses, and the learner's own forward program.

Parameters are drawn from a generator seeded by the run's seed, so a run is a pure function of its settings.
"""

from __future__ import annotations

import torch
from torch import nn

from core.closures import TORCH, compile_program
from core.program import Program, ProgramError, parse_program, run_program
from core.script_parts.training import ProgramParameters, uniform_parameter

MODELS = ("mlp", "dynamic", "program")
ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
MAX_WIDTH, DEFAULT_WIDTH = 64, 8
MAX_DEPTH, DEFAULT_DEPTH = 4, 2  # hidden layers
# the learner's forward program reads x (the batch) and these parameters; its last statement is the model's output
PROGRAM_INPUTS = ("x", "W1", "b1", "W2", "b2")
DEFAULT_PROGRAM = "h = torch.tanh(x @ W1 + b1)\nout = h @ W2 + b2"


def _linear(fan_in: int, fan_out: int, g: torch.Generator) -> nn.Linear:
    layer = nn.Linear(fan_in, fan_out)
    with torch.no_grad():
        layer.weight.copy_(uniform_parameter((fan_out, fan_in), fan_in, g))
        layer.bias.copy_(uniform_parameter((fan_out,), fan_in, g))
    return layer


def build_mlp(in_features: int, width: int, depth: int, activation: str, seed: int) -> nn.Sequential:
    """`depth` hidden layers of `width` units with `activation`, then one output unit."""
    g = torch.Generator().manual_seed(seed)
    layers: list[nn.Module] = []
    fan_in = in_features
    for _ in range(depth):
        layers += [_linear(fan_in, width, g), ACTIVATIONS[activation]()]
        fan_in = width
    layers.append(_linear(fan_in, 1, g))
    return nn.Sequential(*layers)


class DynamicDepth(nn.Module):
    """Data-dependent control flow: each batch decides, from its own values, how many hidden layers it goes through.

    A static graph would have to contain every branch; eagerly, Python's `for` just runs `depth` times and autograd
    records the layers that actually ran, so the graph differs from one batch to the next.
    """

    def __init__(self, in_features: int, width: int, depth: int, activation: str, seed: int) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.first = _linear(in_features, width, g)
        self.hidden = nn.ModuleList(_linear(width, width, g) for _ in range(depth - 1))
        self.out = _linear(width, 1, g)
        self.activation = ACTIVATIONS[activation]()
        self.last_depth = 1

    def depth_for(self, x: torch.Tensor) -> int:
        """1 … len(hidden) + 1, read from the batch itself (a Python int: the branch is taken in Python)."""
        return 1 + int(x.detach().abs().sum().item() * 1000) % (len(self.hidden) + 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.last_depth = self.depth_for(x)
        h = self.activation(self.first(x))
        for layer in self.hidden[: self.last_depth - 1]:
            h = self.activation(layer(h))
        return self.out(h)


class ProgramModel(ProgramParameters):
    """The learner's forward program over x and W1 (in x width), b1 (width), W2 (width x 1), b2 (1).

    The program is parsed and checked by core.program and run by its interpreter: never eval or exec.
    """

    def __init__(self, program: Program, in_features: int, width: int, seed: int) -> None:
        super().__init__(in_features, width, seed)
        self.program = program
        self._run = None

    def _closures(self):
        """The program compiled once into closures over torch (the interpreter prints every intermediate: at every
        training step that was over half the step's time)."""
        if self._run is None:
            self._run = compile_program(self.program, TORCH)
        return self._run

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        return {**state, "_run": None}  # closures do not pickle: compiled again where the model lands

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        inputs = {"x": x, "W1": self.W1, "b1": self.b1, "W2": self.W2, "b2": self.b2}
        inputs = {name: inputs[name] for name in self.program.inputs}
        try:  # as closures (core.closures, held equal to the interpreter): no printed text of every intermediate
            out = self._closures()(inputs)[self.program.output]
        except (RuntimeError, TypeError, ValueError):
            trace = run_program(self.program, inputs)  # the interpreter names the line PyTorch refused
            if trace.error is None:
                raise
            raise trace.error from None
        last = self.program.statements[-1]
        if not isinstance(out, torch.Tensor) or out.shape not in ((x.shape[0], 1), (x.shape[0],)):
            shape = tuple(getattr(out, "shape", ()))
            detail = f"the output {last.target} has shape {shape}; the model needs ({x.shape[0]}, 1), one per point"
            raise ProgramError("runtime", last.line, 0, detail=detail)
        return out.reshape(x.shape[0], 1)


def parse_forward(text: str) -> Program:
    """The learner's forward program, checked (a program that ignores x fails at its output's shape).

    Raises:
        ProgramError: for a program the checker refuses.
    """
    return parse_program(text, PROGRAM_INPUTS)


def build_model(kind: str, in_features: int, width: int, depth: int, activation: str, program: str, seed: int):
    """The model of `kind`, its parameters drawn from `seed`."""
    if kind == "mlp":
        return build_mlp(in_features, width, depth, activation, seed)
    if kind == "dynamic":
        return DynamicDepth(in_features, width, depth, activation, seed)
    if kind == "program":
        return ProgramModel(parse_forward(program), in_features, width, seed)
    raise ValueError(f"unknown model {kind!r}")
