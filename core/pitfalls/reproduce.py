"""The pitfalls page's script: the chosen mistake and its fix run as the page runs them, or the timing demo."""

from __future__ import annotations

import inspect

import torch

from core.cases import source_of
from core.pitfalls import mistakes
from core.scripts import header
from core.settings import Settings


def script(case: str, x: torch.Tensor, settings: Settings) -> str:
    """The chosen mistake and its fix, run as the page runs them; or the unsynchronised timing demo."""
    lines = [*header("typical mistakes", settings, {"case": case})]
    if case == mistakes.SYNC_TIMING:
        return "\n".join([*lines, *_sync_timing_lines(settings)])
    pitfall = next(p for p in mistakes.PITFALLS if p.key == case)
    values = ", ".join(repr(v) for v in x.detach().cpu().double().tolist())
    lines += ["import contextlib", "import warnings", ""]
    if any("count_saved_bytes" in source_of(f) for f in pitfall.functions):
        lines += ["", _class_source(), ""]
    for function in pitfall.functions:
        lines += ["", source_of(function), ""]
    lines += [""]
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
    ]
    for function in pitfall.functions:
        lines += [f'print("--- {function.__name__} ---")', f"show({function.__name__}, x)"]
    lines += [""]
    return "\n".join(lines)


def _class_source() -> str:
    """core's saved-bytes counter, without the lint comment on its first line."""
    rest = inspect.getsource(mistakes.count_saved_bytes).split("\n", 1)[1]
    return "class count_saved_bytes(contextlib.AbstractContextManager):\n" + rest.rstrip()


def _sync_timing_lines(settings: Settings) -> list[str]:
    size = mistakes.sync_size(settings.device)
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
