"""A sweep, and a profile, as rows of plain figures: what the page's tables show and what the CSV downloads carry."""

from __future__ import annotations

from core.loops.implementations import IMPLEMENTATIONS, LOOPS
from core.loops.profile import PROFILED, ProfileReport
from core.loops.sweep import SweepResult

COLUMNS = (
    "n",
    *(f"{name}_s" for name in IMPLEMENTATIONS),
    *(f"{name}_iqr_s" for name in IMPLEMENTATIONS),
    *(f"{name}_estimated" for name in LOOPS),
    *(f"{name}_runs" for name in IMPLEMENTATIONS),
    *(f"{name}_noisy" for name in IMPLEMENTATIONS),
    "speedup_lesson_loop",
    "speedup_float_loop",
    *(f"{name}_ns_per_element" for name in IMPLEMENTATIONS),
    "vectorized_bytes_per_call",
    "vectorized_GB_per_s",
    "copy_GB_per_s",
    "share_of_copy_bandwidth",
)


def sweep_rows(result: SweepResult) -> list[dict[str, object]]:
    """One row per size that was run, with every figure under a stable column name."""
    rows = []
    for band in result.bandwidth:
        n = band.n
        row: dict[str, object] = {"n": n}
        for name in IMPLEMENTATIONS:
            point = result.point(name, n)
            row[f"{name}_s"] = point.median
            row[f"{name}_iqr_s"] = point.iqr
            row[f"{name}_ns_per_element"] = point.per_element * 1e9
            row[f"{name}_runs"] = point.runs
            row[f"{name}_noisy"] = point.noisy
            if name != "vectorized":
                row[f"{name}_estimated"] = not point.measured
        row["speedup_lesson_loop"] = result.speedup("lesson_loop", n)
        row["speedup_float_loop"] = result.speedup("float_loop", n)
        row["vectorized_bytes_per_call"] = band.bytes_per_call
        row["vectorized_GB_per_s"] = band.vectorized / 1e9
        row["copy_GB_per_s"] = band.copy / 1e9
        row["share_of_copy_bandwidth"] = band.share_of_copy
        rows.append({column: row[column] for column in COLUMNS})
    return rows


PROFILE_COLUMNS = (
    "operator",
    *(f"{name}_{figure}" for name in PROFILED for figure in ("calls", "self_us", "total_us")),
)


def profile_rows(report: ProfileReport) -> list[dict[str, object]]:
    """One row per operator either implementation called: its calls, self and total CPU time (µs) in each, in the
    order of the loop's self time (then the vectorized call's operators the loop never called)."""
    names = [row.name for name in PROFILED for row in report.profile(name).operators]
    rows = []
    for operator in dict.fromkeys(names):
        row: dict[str, object] = {"operator": operator}
        for name in PROFILED:
            found = {r.name: r for r in report.profile(name).operators}.get(operator)
            row[f"{name}_calls"] = found.count if found else 0
            row[f"{name}_self_us"] = found.self_us if found else 0.0
            row[f"{name}_total_us"] = found.total_us if found else 0.0
        rows.append(row)
    return rows
