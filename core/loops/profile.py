"""Where eager's time goes: torch.profiler on the lesson's loop and on the vectorized call, at one size n.

The issue's measurement, made live: the lesson's 10-element loop shows 10 each of select/mul/add (plus copies),
and most of its wall time is spent outside any operator, in Python. For each implementation this records:
- the operators it called (torch.profiler's key averages): how many times, and their self CPU time;
- the share of the wall time outside operators: 1 - (time inside top-level operators) / wall time, where a
  top-level operator is one no other operator called (its own time includes its children's);
- a timeline of the events (name, start, duration, depth), capped at MAX_EVENTS so a browser draws it well;
- the Chrome trace torch.profiler writes (for ui.perfetto.dev), capped at MAX_TRACE_BYTES and kept gzip-compressed
  (JSON traces shrink ~10x; kept results are held in memory by the UI server).

Both run once unprofiled first (a warm-up: first calls pay for lazy initialisation), then UNPROFILED_RUNS times timed
without the profiler (the wall time it would take anyway), then once under the profiler. Most of the time "outside
operators" under the profiler is the profiler's own cost: for the lesson's loop it exceeds the whole unprofiled call.
Results are plain data: names, counts and microseconds, never tensors.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import time
from dataclasses import dataclass

import torch
from torch.profiler import ProfilerActivity, profile

from core.devices import synchronize
from core.loops.implementations import build_implementations
from core.loops.sweep import input_maker
from core.program import parse_program
from core.settings import Settings

PROFILED = ("lesson_loop", "vectorized")
DEFAULT_PROFILE_N = 10
MAX_PROFILE_N = 1_000  # ~20 profiler events per element; 10^4 elements make 2 * 10^5 events, ~15 s to process
MAX_EVENTS = 2_000  # timeline events sent to the browser, per implementation
MAX_TRACE_BYTES = 5_000_000  # the Chrome trace offered for download, per implementation
UNPROFILED_RUNS = 5  # timed calls without the profiler; their median is the unprofiled wall time


@dataclass(frozen=True, kw_only=True)
class ProfileRequest:
    """What a profile depends on, hashable: also the key its result is kept under."""

    program: str
    n: int
    settings: Settings


@dataclass(frozen=True, kw_only=True)
class OperatorRow:
    """One operator as torch.profiler sums it: calls, self CPU time (without its children) and total time."""

    name: str
    count: int
    self_us: float
    total_us: float


@dataclass(frozen=True, kw_only=True)
class TimelineEvent:
    """One profiler event: start (µs from the first event), duration (µs) and depth (0: called by no operator)."""

    name: str
    start_us: float
    duration_us: float
    depth: int


@dataclass(frozen=True, kw_only=True)
class ImplementationProfile:
    """One implementation under the profiler."""

    implementation: str
    wall_us: float
    operators_us: float  # time inside top-level operators (children included)
    operators: tuple[OperatorRow, ...]  # by self time, largest first
    events: tuple[TimelineEvent, ...]  # by start time; at most MAX_EVENTS
    event_count: int  # all events the profiler recorded
    trace_gzip: bytes  # the Chrome trace's JSON, UTF-8, gzip-compressed
    trace_capped: bool
    unprofiled_us: float = 0.0  # the median wall time of the same call without the profiler

    @property
    def outside_us(self) -> float:
        """Wall time under the profiler outside every operator: Python, and mostly the profiler's own bookkeeping."""
        return max(0.0, self.wall_us - self.operators_us)

    @property
    def profiler_us(self) -> float:
        """What the profiler added to the call's wall time (under it, minus without it)."""
        return max(0.0, self.wall_us - self.unprofiled_us)

    @property
    def chrome_trace(self) -> str:
        """The Chrome trace's JSON text, as torch.profiler exported it (or cut, when `trace_capped`)."""
        return gzip.decompress(self.trace_gzip).decode("utf-8")

    @property
    def python_share(self) -> float:
        """The share of the wall time spent outside operators: Python, and the profiler's own bookkeeping."""
        if self.wall_us <= 0:
            return 0.0
        return min(1.0, max(0.0, 1.0 - self.operators_us / self.wall_us))

    @property
    def events_capped(self) -> bool:
        return len(self.events) < self.event_count

    @property
    def calls(self) -> int:
        return sum(row.count for row in self.operators)

    def count(self, name: str) -> int:
        return sum(row.count for row in self.operators if row.name == name)


@dataclass(frozen=True, kw_only=True)
class ProfileReport:
    """The lesson's loop and the vectorized call, profiled at the same n on the same inputs."""

    n: int
    output: str
    profiles: tuple[ImplementationProfile, ...]

    def profile(self, implementation: str) -> ImplementationProfile:
        return next(p for p in self.profiles if p.implementation == implementation)


def profile_loop_and_vectorized(request: ProfileRequest) -> ProfileReport:
    """Profile the lesson's loop and the vectorized call of the request's program at size n (random x from the seed).

    Raises:
        ProgramError: "not_elementwise" for programs a loop cannot rebuild; ValueError: n outside 1 ... MAX_PROFILE_N;
        SizeLimitError: inputs that would not fit.
    """
    if not 1 <= request.n <= MAX_PROFILE_N:
        raise ValueError(f"n must be within 1 ... {MAX_PROFILE_N:,}, got {request.n}")
    program = parse_program(request.program)
    settings = request.settings
    implementations = build_implementations(program)
    inputs = input_maker(program, settings.dtype, settings.device, settings.seed)(request.n)
    profiles = tuple(
        profile_call(name, lambda f=implementations.functions[name]: f(inputs), settings.device) for name in PROFILED
    )
    return ProfileReport(n=request.n, output=implementations.output, profiles=profiles)


def profile_call(name: str, call, device: str = "cpu") -> ImplementationProfile:
    """`call()` once to warm up, timed without the profiler, then once under torch.profiler: its operators, timeline
    and Chrome trace."""
    call()
    synchronize(device)
    unprofiled_us = _unprofiled_us(call, device)
    activities = [ProfilerActivity.CPU]
    if torch.device(device).type == "cuda":
        activities.append(ProfilerActivity.CUDA)
    with profile(activities=activities) as prof:
        start = time.perf_counter()
        call()
        synchronize(device)
        wall_us = (time.perf_counter() - start) * 1e6
    events = list(prof.events())
    top_level = [e for e in events if e.cpu_parent is None and e.device_type == torch.autograd.DeviceType.CPU]
    operators_us = sum(e.time_range.elapsed_us() for e in top_level)
    rows = sorted(
        (
            OperatorRow(
                name=a.key, count=a.count, self_us=float(a.self_cpu_time_total), total_us=float(a.cpu_time_total)
            )
            for a in prof.key_averages()
        ),
        key=lambda row: (-row.self_us, row.name),
    )
    trace, capped = _chrome_trace(prof)
    trace_gzip = gzip.compress(trace.encode("utf-8"))
    return ImplementationProfile(
        implementation=name,
        wall_us=wall_us,
        operators_us=operators_us,
        operators=tuple(rows),
        events=timeline(events),
        event_count=len(events),
        trace_gzip=trace_gzip,
        trace_capped=capped,
        unprofiled_us=unprofiled_us,
    )


def _unprofiled_us(call, device: str) -> float:
    """The median wall time of UNPROFILED_RUNS calls without the profiler, in µs."""
    times = []
    for _ in range(UNPROFILED_RUNS):
        start = time.perf_counter()
        call()
        synchronize(device)
        times.append((time.perf_counter() - start) * 1e6)
    return sorted(times)[len(times) // 2]


def _depth(event) -> int:
    depth, parent = 0, event.cpu_parent
    while parent is not None:
        depth, parent = depth + 1, parent.cpu_parent
    return depth


def timeline(events, limit: int = MAX_EVENTS) -> tuple[TimelineEvent, ...]:
    """The events as plain rows, times from the first event's start; past `limit`, the shallowest are kept (the
    top-level calls tell the story; their children fill in detail), earliest first within a depth."""
    if not events:
        return ()
    origin = min(e.time_range.start for e in events)
    rows = [
        TimelineEvent(
            name=e.name, start_us=e.time_range.start - origin, duration_us=e.time_range.elapsed_us(), depth=_depth(e)
        )
        for e in events
    ]
    if len(rows) > limit:
        rows = sorted(rows, key=lambda r: (r.depth, r.start_us))[:limit]
    return tuple(sorted(rows, key=lambda r: (r.start_us, r.depth)))


def _chrome_trace(prof) -> tuple[str, bool]:
    """The profiler's Chrome trace (written to a temporary file, read back); past MAX_TRACE_BYTES, the earliest
    events that fit are kept, with the metadata, and the trace says it was cut."""
    handle, path = tempfile.mkstemp(suffix=".json", prefix="eager-lab-trace-")
    os.close(handle)
    try:
        prof.export_chrome_trace(path)
        with open(path, encoding="utf-8") as file:
            text = file.read()
    finally:
        os.unlink(path)
    if len(text.encode()) <= MAX_TRACE_BYTES:
        return text, False
    return cap_trace(json.loads(text), MAX_TRACE_BYTES), True


def cap_trace(document: dict, max_bytes: int) -> str:
    """`document` (a Chrome trace) with only its earliest events, so that its JSON stays under `max_bytes`."""
    events = document.get("traceEvents", [])
    metadata = [e for e in events if e.get("ph") == "M"]
    timed = sorted((e for e in events if e.get("ph") != "M"), key=lambda e: e.get("ts", 0))
    capped = {
        **document,
        "traceEvents": metadata,
        "eagerLabNote": f"cut to the earliest events under {max_bytes} bytes",
    }
    budget = max_bytes - len(json.dumps(capped).encode())
    kept = []
    for event in timed:
        size = len(json.dumps(event).encode()) + 2
        if size > budget:
            break
        kept.append(event)
        budget -= size
    capped["traceEvents"] = metadata + kept
    return json.dumps(capped)
