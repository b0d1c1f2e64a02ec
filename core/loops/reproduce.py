"""The loops page's script: the lesson's loop against the vectorized statements, timed per size, then profiled."""

from __future__ import annotations

from collections.abc import Sequence

from core.loops.profile import DEFAULT_PROFILE_N
from core.program import Program
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings

LOOP_LIMIT = 10_000


def script(
    program: Program, sizes: Sequence[int], budget_s: float, settings: Settings, profile_n: int = DEFAULT_PROFILE_N
) -> str:
    """The lesson's loop (one element at a time) against the vectorized statements, timed per size; then both under
    torch.profiler at `profile_n`, as the page's "where eager's time goes" shows them."""
    extra = {"sizes": ",".join(str(n) for n in sizes), "budget_s": budget_s, "profile_n": profile_n}
    lines = [*header("loops vs vectorized", settings, extra), *_definitions(program, budget_s)]
    return "\n".join([*lines, *_size_loop(program, sizes), *_profile(program, profile_n)])


def _definitions(program: Program, budget_s: float) -> list[str]:
    """The vectorized statements as a function, the lesson's loop over them, and the timer the page uses."""
    names = ", ".join(program.inputs)
    return [
        "from torch.utils import benchmark",
        "",
        "",
        f"def vectorized({names}):",
        *(f"    {code}" for code in statement_lines(program)),
        f"    return {program.output}",
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
    ]


def _size_loop(program: Program, sizes: Sequence[int]) -> list[str]:
    """Per size: agreement on a sample, the vectorized time, and the loop measured or estimated past LOOP_LIMIT."""
    lines = [
        f"LOOP_LIMIT = {LOOP_LIMIT}  # beyond this the loop is estimated from its cost per element, as on the page",
        "per_element = None",
        f"for n in {list(sizes)!r}:",
        *(f"    {line}" for line in input_lines(None, "n", program.inputs)),
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
    return lines


def _profile(program: Program, n: int) -> list[str]:
    """Both implementations at n under torch.profiler (after a warm-up): operator counts and self time, the share
    of the wall time outside operators, and each Chrome trace written beside the script (for ui.perfetto.dev)."""
    return [
        "",
        "# Where eager's time goes: both under torch.profiler at one size, as the page profiles them",
        "import time",
        "",
        "from torch.profiler import ProfilerActivity, profile",
        "",
        "",
        "def profiled(name, function, inputs):",
        '    """Operator counts and self CPU time, and the share of the wall time outside operators (Python)."""',
        "    function(*inputs)  # warm-up: first calls pay for lazy initialisation",
        "    with profile(activities=[ProfilerActivity.CPU]) as prof:",
        "        start = time.perf_counter()",
        "        function(*inputs)",
        "        wall_us = (time.perf_counter() - start) * 1e6",
        "    inside_us = sum(e.time_range.elapsed_us() for e in prof.events() if e.cpu_parent is None)",
        "    rows = sorted(prof.key_averages(), key=lambda a: (-a.self_cpu_time_total, a.key))",
        '    _print(f"profile {name} at n={len(inputs[0])}: wall {wall_us:.1f} us, "',
        '           f"outside operators (Python) {max(0.0, 1 - inside_us / wall_us):.0%}")',
        "    for row in rows:",
        '        _print(f"    {row.key:<32} {row.count:>8} calls {row.self_cpu_time_total:>12.1f} us self")',
        '    prof.export_chrome_trace(f"eager_lab_loops_{name}_trace.json")  # open it in ui.perfetto.dev',
        "",
        "",
        *input_lines(None, n, program.inputs),
        f"inputs = ({', '.join(program.inputs)},)",
        "profiled('lesson_loop', lesson_loop, inputs)",
        "profiled('vectorized', vectorized, inputs)",
    ]
