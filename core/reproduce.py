"""'Reproduce this': each page as a standalone Python script that needs only torch and prints what the page shows.

Scripts are assembled from checked material only: the program's statements are re-emitted from their checked
syntax tree (never the learner's raw text, whose comments could hold anything), values go through repr(), and
the demo functions are core's own source. Nothing here runs the script; the learner does, on their machine.
"""

from __future__ import annotations

import ast
import copy
import inspect
from collections.abc import Sequence

import torch

from core import lesson, pitfalls
from core.cases import source_of
from core.program import INPUT_NAMES, Program
from core.reports import RunSettings
from core.tensors import parse_values

LOOP_LIMIT = 10_000
THREADS_NOTE = "# the thread count the page measured with; remove this line to use torch's default"


def _header(title: str, settings: RunSettings, extra: dict[str, object]) -> list[str]:
    described = {"device": settings.device, "dtype": settings.dtype, "seed": settings.seed, **extra}
    lines = [
        f'"""Eager Lab, {title}: reproduced as a standalone script (needs only torch).',
        "",
        "Made with torch " + torch.__version__ + ". Settings:",
        *(f"    {name} = {value!r}" for name, value in described.items()),
        '"""',
        "",
        "import torch",
        "",
        THREADS_NOTE,
        f"torch.set_num_threads({settings.threads})",
        f"DEVICE, DTYPE, SEED = {settings.device!r}, torch.{settings.dtype}, {settings.seed}",
        "_print, _type, _float = print, type, float  # the program may give these names to its own tensors",
        "",
    ]
    return lines


def _input_lines(values: str | None, n: int | str, names: Sequence[str]) -> list[str]:
    """x typed or drawn from the seed (on the CPU, so every device sees the same numbers), then w and b."""
    if values is not None:
        numbers = ", ".join(repr(v) for v in parse_values(values))
        lines = [f"x = torch.tensor([{numbers}], dtype=DTYPE, device=DEVICE)"]
    else:
        lines = [
            f"x = torch.randn({n}, generator=torch.Generator().manual_seed(SEED), dtype=torch.float32)",
            "x = x.to(device=DEVICE, dtype=DTYPE)",
        ]
    for offset, name in enumerate(INPUT_NAMES[1:], 1):
        if name in names:
            lines += [
                f"{name} = torch.randn(x.shape, generator=torch.Generator().manual_seed((SEED + {offset}) % 2**63))",
                f"{name} = {name}.to(device=x.device, dtype=x.dtype)",
            ]
    return lines


class _FloatPowers(ast.NodeTransformer):
    """Powers of two plain numbers in float, as the page's interpreter computes them (an int power could grow
    without bound). A side with no name in it is a plain number: tensors only enter through names."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow) and not any(_has_name(side) for side in (node.left, node.right)):
            node.left = ast.Call(ast.Name("_float", ast.Load()), [node.left], [])
        return node


def _has_name(node: ast.AST) -> bool:
    return any(isinstance(child, ast.Name) for child in ast.walk(node))


def statement_lines(program: Program, count: int | None = None) -> list[str]:
    """The first `count` statements as code, re-emitted from the checked syntax tree."""
    chosen = program.statements if count is None else program.statements[:count]
    return [f"{s.target} = {ast.unparse(_FloatPowers().visit(copy.deepcopy(s.expression)))}" for s in chosen]


def home_script(settings: RunSettings) -> str:
    """The lesson's first example on the chosen device and dtype."""
    body = lesson.lesson_example_source().replace("device=device, dtype=dtype", "device=DEVICE, dtype=DTYPE")
    return "\n".join([*_header("home", settings, {}), body.rstrip(), ""])


def steps_script(program: Program, values: str | None, n: int, settings: RunSettings, executed: int) -> str:
    """The first `executed` statements, each followed by print() of its result, as the page's cards show.

    Like the page, the run stops at the first statement PyTorch refuses and shows its message.
    """
    lines = [*_header("step by step", settings, {"x": values, "n": n if values is None else None})]
    lines += _input_lines(values, n, program.inputs)
    lines += [f'_print("{name} =", {name})' for name in program.inputs]
    lines += ["", "try:"]
    for statement, code in zip(program.statements[:executed], statement_lines(program, executed), strict=True):
        lines += [f"    {code}", f'    _print("line {statement.line}: {statement.target} =")']
        lines.append(f"    _print({statement.target})")
    lines += [
        "    pass",
        "except Exception as _exc:  # PyTorch's refusal, as the page shows it",
        '    _print(f"{_type(_exc).__name__}: {_exc}")',
        "",
    ]
    return "\n".join(lines)


def autograd_script(
    program: Program,
    values: str | None,
    n: int,
    settings: RunSettings,
    requires_grad: Sequence[str],
    output: str,
    reduction: str | None,
    backward: bool = True,
) -> str:
    """Flags of every tensor after the forward, then (when asked) backward and each leaf's .grad, or its refusal."""
    chosen = [name for name in program.inputs if name in requires_grad]
    extra = {"x": values, "requires_grad": ",".join(chosen), "output": output, "reduce": reduction or "none"}
    lines = [*_header("autograd", settings, extra), *_input_lines(values, n, program.inputs)]
    lines += [f"{name}.requires_grad_(True)" for name in chosen]
    leaves = ", ".join(f'"{name}": {name}' for name in chosen)
    lines += [f"_leaves = {{{leaves}}}  # the inputs as created: a statement may reuse their names", ""]
    lines += ["try:", *(f"    {code}" for code in statement_lines(program))]
    lines += ["except Exception as _exc:", '    raise SystemExit(f"{_type(_exc).__name__}: {_exc}")', ""]
    for name in dict.fromkeys((*program.inputs, *program.targets)):
        grad_fn = f"_type({name}.grad_fn).__name__ if {name}.grad_fn is not None else None"
        lines.append(f'_print("{name}: requires_grad =", {name}.requires_grad, "is_leaf =", {name}.is_leaf, '
                     f'"grad_fn =", {grad_fn})')  # fmt: skip
    if not backward:
        return "\n".join([*lines, ""])
    root = f"{output}.{reduction}() if {output}.numel() != 1 else {output}" if reduction else output
    lines += [
        "",
        "try:",
        f"    _root = {root}",
        "    _root.backward()",
        "except RuntimeError as _exc:  # PyTorch's own refusal, as the page shows it",
        '    _print(f"{_type(_exc).__name__}: {_exc}")',
        "else:",
        "    for _name, _leaf in _leaves.items():",
        "        if _leaf.grad is not None:",
        '            _print(f"{_name}.grad =")',
        "            _print(_leaf.grad)",
        "",
    ]
    return "\n".join(lines)


def loops_script(program: Program, sizes: Sequence[int], budget_s: float, settings: RunSettings) -> str:
    """The lesson's loop (one element at a time) against the vectorized statements, timed per size."""
    output = program.statements[-1].target
    extra = {"sizes": ",".join(str(n) for n in sizes), "budget_s": budget_s}
    names = ", ".join(program.inputs)
    lines = [
        *_header("loops vs vectorized", settings, extra),
        "from torch.utils import benchmark",
        "",
        "",
        f"def vectorized({names}):",
        *(f"    {code}" for code in statement_lines(program)),
        f"    return {output}",
        "",
        "",
        f"def lesson_loop({names}):",
        '    """The same statements, one element at a time, as the lesson\'s loop does."""',
        "    results = []",
        "    for i in range(len(x)):",
        f"        results.append(vectorized({', '.join(f'{name}[i]' for name in program.inputs)}))",
        "    return torch.tensor(results, dtype=x.dtype, device=x.device)",
        "",
        "",
        "def seconds(function, inputs):",
        '    """Median seconds per call, by torch.utils.benchmark with the budget the page used."""',
        "    timer = benchmark.Timer(stmt='function(*inputs)', globals={'function': function, 'inputs': inputs},",
        "                            num_threads=torch.get_num_threads())",
        f"    return timer.adaptive_autorange(max_run_time={budget_s!r}).median",
        "",
        "",
        f"LOOP_LIMIT = {LOOP_LIMIT}  # beyond this the loop is estimated from its cost per element, as on the page",
        "per_element = None",
        f"for n in {list(sizes)!r}:",
        *(f"    {line}" for line in _input_lines(None, "n", program.inputs)),
        "",
    ]
    inputs = "(" + ", ".join(program.inputs) + ",)"
    sample = "(" + ", ".join(f"{name}[:1000]" for name in program.inputs) + ",)"
    calibration = "(" + ", ".join(f"{name}[:100]" for name in program.inputs) + ",)"
    lines += [
        f"    inputs, sample, calibration = {inputs}, {sample}, {calibration}",
        "    # agreement on (up to) the first 1000 elements, as the page checks it",
        "    difference = (lesson_loop(*sample).double() - vectorized(*sample).double()).abs().max().item()",
        "    vectorized_s = seconds(vectorized, inputs)",
        "    if n <= LOOP_LIMIT:",
        "        loop_s, how = seconds(lesson_loop, inputs), 'measured'",
        "        per_element = loop_s / n",
        "    else:",
        "        if per_element is None:  # a large first size: calibrate on 100 elements, as the page does",
        "            per_element = seconds(lesson_loop, calibration) / len(calibration[0])",
        "        loop_s, how = per_element * n, 'estimated'",
        '    _print(f"n={n}: lesson loop {loop_s:.3e} s ({how}), vectorized {vectorized_s:.3e} s, "',
        '           f"speedup {loop_s / vectorized_s:,.0f}x, max abs difference {difference:g}")',
        "",
    ]
    return "\n".join(lines)


def grad_modes_script(
    program: Program | None, settings: RunSettings, size: int, width: int, depth: int, batch: int, budget_s: float
) -> str:
    """The forward under each grad mode: output flags, bytes autograd saved beyond what exists anyway, time."""
    if program is not None:
        extra = {"workload": "program", "size": size}
        lines = [*_header("grad modes", settings, extra), "from torch.utils import benchmark", ""]
        lines += _input_lines(None, size, program.inputs)
        names = ", ".join(program.inputs)
        lines += [f"for tensor in ({names},):", "    tensor.requires_grad_(True)", "anyway = [" + names + "]", ""]
        lines += ["", "def forward():", *(f"    {c}" for c in statement_lines(program))]
        lines += [f"    return {program.statements[-1].target}", ""]
    else:
        extra = {"workload": "mlp", "width": width, "depth": depth, "batch": batch}
        lines = [*_header("grad modes", settings, extra), "from torch.utils import benchmark", ""]
        lines += [
            "with torch.random.fork_rng(devices=[]):",
            "    torch.manual_seed(SEED)",
            "    layers = []",
            f"    for index in range({depth}):",
            f"        layers.append(torch.nn.Linear({width}, {width}))",
            f"        if index < {depth} - 1:",
            "            layers.append(torch.nn.ReLU())",
            "model = torch.nn.Sequential(*layers).to(device=DEVICE, dtype=DTYPE)",
            f"batch = torch.randn({batch}, {width}, generator=torch.Generator().manual_seed(SEED + 1))",
            "batch = batch.to(device=DEVICE, dtype=DTYPE)",
            "anyway = [*model.parameters(), batch]",
            "",
            "",
            "def forward():",
            "    return model(batch)",
            "",
        ]
    lines += [
        "",
        "MODES = {'grad': torch.enable_grad, 'no_grad': torch.no_grad, 'inference_mode': torch.inference_mode}",
        "for mode, context in MODES.items():",
        "    storages = {}",
        "",
        "    def pack(tensor):",
        "        storage = tensor.untyped_storage()",
        "        storages[storage.data_ptr()] = storage.nbytes()",
        "        return tensor",
        "",
        "    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor), context():",
        "        output = forward()",
        "    exists_anyway = {t.untyped_storage().data_ptr() for t in (*anyway, output)}",
        "    extra = sum(size for ptr, size in storages.items() if ptr not in exists_anyway)",
        "    timer = benchmark.Timer(stmt='with context(): forward()',",
        "                            globals={'context': context, 'forward': forward},",
        "                            num_threads=torch.get_num_threads())",
        f"    median = timer.adaptive_autorange(max_run_time={budget_s!r}).median",
        '    print(f"{mode}: requires_grad={output.requires_grad} is_inference={output.is_inference()} "',
        '          f"saved beyond what exists anyway={extra} bytes, forward {median:.3e} s")',
        "",
    ]
    return "\n".join(lines)


def pitfalls_script(case: str, x: torch.Tensor, settings: RunSettings) -> str:
    """The chosen mistake and its fix, run as the page runs them; or the unsynchronised timing demo."""
    lines = [*_header("typical mistakes", settings, {"case": case})]
    if case == pitfalls.SYNC_TIMING:
        return "\n".join([*lines, *_sync_timing_lines(settings)])
    pitfall = next(p for p in pitfalls.PITFALLS if p.key == case)
    values = ", ".join(repr(v) for v in x.detach().cpu().double().tolist())
    lines += ["import contextlib", "import warnings", ""]
    if "count_saved_bytes" in source_of(pitfall.case.broken) + source_of(pitfall.case.fixed):
        lines += ["", _class_source(), ""]
    lines += ["", source_of(pitfall.case.broken), "", "", source_of(pitfall.case.fixed), "", ""]
    lines += [
        "def show(function, x):",
        '    """Run one demo: what it prints, its return value, its warnings and the error it raises."""',
        "    with warnings.catch_warnings(record=True) as caught:",
        "        warnings.simplefilter('always')",
        "        try:",
        "            value = function(x)",
        "            if value is not None:",
        "                print(value)",
        "        except Exception as exc:",
        '            print(f"{type(exc).__name__}: {exc}")',
        "    for warning in caught:",
        '        print(f"UserWarning: {warning.message}")',
        "",
        "",
        f"x = torch.tensor([{values}], dtype=DTYPE, device=DEVICE)",
        f'print("--- {pitfall.case.broken.__name__} ---")',
        f"show({pitfall.case.broken.__name__}, x)",
        f'print("--- {pitfall.case.fixed.__name__} ---")',
        f"show({pitfall.case.fixed.__name__}, x)",
        "",
    ]
    return "\n".join(lines)


def _class_source() -> str:
    """core's saved-bytes counter, without the lint comment on its first line."""
    rest = inspect.getsource(pitfalls.count_saved_bytes).split("\n", 1)[1]
    return "class count_saved_bytes(contextlib.AbstractContextManager):\n" + rest.rstrip()


def _sync_timing_lines(settings: RunSettings) -> list[str]:
    size = pitfalls.sync_size(settings.device)
    return [
        "import time",
        "",
        "from torch.utils import benchmark",
        "",
        "generator = torch.Generator().manual_seed(0)",
        f"a = torch.randn({size}, {size}, generator=generator).to(device=DEVICE, dtype=DTYPE)",
        f"b = torch.randn({size}, {size}, generator=generator).to(device=DEVICE, dtype=DTYPE)",
        "a @ b  # warm-up",
        "if DEVICE == 'cuda':",
        "    torch.cuda.synchronize()",
        "start = time.perf_counter()",
        "a @ b",
        "naive = time.perf_counter() - start  # no synchronise: on a GPU this only sees the launch",
        "timer = benchmark.Timer(stmt='a @ b', globals={'a': a, 'b': b}, num_threads=torch.get_num_threads())",
        "synced = timer.adaptive_autorange(max_run_time=0.3).median  # torch.utils.benchmark synchronises",
        'print(f"naive {naive:.3e} s, synchronised {synced:.3e} s, under-report {synced / naive:.1f}x")',
        "",
    ]
