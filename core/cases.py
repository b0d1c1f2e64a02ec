"""Run a small demonstration function and capture everything a learner should see: output, error, warnings.

The code shown on a page is `inspect.getsource` of the very function that runs, so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import inspect
import io
import textwrap
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import torch

from core.limits import SizeLimitError
from core.settings import Settings
from core.tensors import InputError, InputSpec, demo_vector


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What running a demo printed and returned, the exception it raised (PyTorch's exact message), its warnings."""

    printed: str
    error_type: str | None
    error: str | None
    warnings: tuple[str, ...]
    returned: str | None = None  # print() of the return value, when there is one

    @property
    def failed(self) -> bool:
        return self.error_type is not None


@dataclass(frozen=True, kw_only=True)
class Case:
    """A mistake and its fix, as two functions of the input tensor x."""

    key: str
    broken: Callable[[torch.Tensor], None]
    fixed: Callable[[torch.Tensor], None]


def source_of(function: Callable) -> str:
    """The function's own source text, dedented."""
    return textwrap.dedent(inspect.getsource(function)).strip()


@functools.cache  # the source of core's own functions: read once per process, not on every page rerun
def shown_source(function: Callable) -> str:
    """What a learner is shown: the function, then the imports and this project's helpers it calls, so it runs as is
    in plain PyTorch (`import torch` alone); without such helpers, exactly `source_of(function)`."""
    helpers = _helpers_of(function, {})
    if not helpers:
        return source_of(function)
    parts = [source_of(helper) for helper in helpers.values()]
    modules = _modules_used(list(helpers.values()))
    imports = [f"import {m.__name__}" + (f" as {n}" if n != m.__name__ else "") for n, m in modules.items()]
    return "\n\n\n".join([source_of(function), *(["\n".join(imports)] if imports else []), *parts])


def _helpers_of(function: Callable, found: dict[str, Callable]) -> dict[str, Callable]:
    """The functions and classes of this project (core.*) that `function`'s source names, helpers' helpers first."""
    for name in _global_names(function):
        value = _globals_of(function).get(name)
        if name in found or value is function or not (inspect.isfunction(value) or inspect.isclass(value)):
            continue
        if getattr(value, "__module__", "").startswith("core."):
            _helpers_of(value, found)
            found[name] = value
    return found


def _globals_of(function: Callable) -> dict:
    return vars(inspect.getmodule(function)) if inspect.isclass(function) else function.__globals__


def _global_names(obj: Callable) -> list[str]:
    """The global names a function (or a class's methods) reads, from its code objects: nothing is parsed."""
    if inspect.isfunction(obj):
        codes, names = [obj.__code__], []
    else:  # a class: its methods' code, and the modules its bases are read from (contextlib.AbstractContextManager)
        codes = [v.__code__ for v in vars(obj).values() if inspect.isfunction(v)]
        names = [
            name
            for name, value in vars(inspect.getmodule(obj)).items()
            if isinstance(value, types.ModuleType) and any(getattr(value, b.__name__, None) is b for b in obj.__bases__)
        ]
    while codes:
        code = codes.pop(0)
        names += code.co_names
        codes += [const for const in code.co_consts if isinstance(const, types.CodeType)]
    return list(dict.fromkeys(names))


def _modules_used(functions: list[Callable]) -> dict[str, types.ModuleType]:
    """The modules the shown helpers name, but torch (the one import a learner is assumed to have)."""
    modules: dict[str, types.ModuleType] = {}
    for function in functions:
        for name in _global_names(function):
            value = _globals_of(function).get(name)
            if isinstance(value, types.ModuleType) and name != "torch":
                modules.setdefault(name, value)
    return modules


def printing_to(function: Callable, buffer: io.StringIO) -> Callable:
    """A copy of `function` whose print() writes to `buffer`.

    Its output is captured for this call only: the process-wide sys.stdout is never swapped, so demos run by
    several sessions at once can neither mix their output nor crash the server (as swapping stdout from many
    threads did).
    """

    def captured_print(*args, sep=" ", end="\n", file=None, flush=False):
        print(*args, sep=sep, end=end, file=buffer if file is None else file, flush=flush)

    namespace = {**function.__globals__, "print": captured_print}
    return types.FunctionType(
        function.__code__, namespace, function.__name__, function.__defaults__, function.__closure__
    )


def run_demo(function: Callable[[torch.Tensor], None], x: torch.Tensor) -> Outcome:
    """Call `function(x)` and capture what it prints, any exception and any warnings."""
    buffer = io.StringIO()
    error_type = error = returned = None
    # fork_rng: a demo that seeds torch leaves the process's random state as it found it
    with warnings.catch_warnings(record=True) as caught, torch.random.fork_rng(devices=[]):
        warnings.simplefilter("always")
        try:
            value = printing_to(function, buffer)(x)
            returned = None if value is None else str(value)
        except Exception as exc:  # noqa: BLE001 - the demo's point is to show whatever PyTorch raises
            error_type, error = type(exc).__name__, str(exc)
    warned = tuple(str(w.message) for w in caught)
    printed = buffer.getvalue().rstrip("\n")
    return Outcome(printed=printed, error_type=error_type, error=error, warnings=warned, returned=returned)


@dataclass(frozen=True, kw_only=True)
class Demos:
    """The small input every demo got (at most 8 elements of x) and each demo's outcome, in order."""

    x: torch.Tensor
    outcomes: tuple[Outcome, ...]
    substituted: bool = False  # x had fewer than two elements, so the demos got [1., 2., 3.]


def run_demos(functions: tuple[Callable[[torch.Tensor], None], ...], spec: InputSpec, settings: Settings) -> Demos:
    """Each function run on the demo vector of x (built here, from the typed values or the seed), as one job."""
    try:
        x = spec.build(("x",), settings.dtype, settings.device, settings.seed)["x"]
    except (InputError, SizeLimitError):
        x = torch.empty(0, dtype=settings.torch_dtype, device=settings.device)
    substituted = x.numel() < 2
    x = demo_vector(x)
    return Demos(x=x, outcomes=tuple(run_demo(function, x) for function in functions), substituted=substituted)


def outcome_dict(outcome: Outcome) -> dict[str, object]:
    """An outcome as JSON-ready data, for reports."""
    return {
        "printed": outcome.printed,
        "returned": outcome.returned,
        "error_type": outcome.error_type,
        "error": outcome.error,
        "warnings": list(outcome.warnings),
    }
