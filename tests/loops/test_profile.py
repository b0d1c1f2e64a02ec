"""Where eager's time goes: the profile of the lesson's loop and the vectorized call, checked against torch.profiler
called directly on the lesson's own code."""

import json
import re
from collections import Counter

import pytest
import torch
from torch.profiler import ProfilerActivity, profile

from core.loops.profile import (
    MAX_EVENTS,
    MAX_PROFILE_N,
    ProfileRequest,
    cap_trace,
    profile_call,
    profile_loop_and_vectorized,
    timeline,
)
from core.loops.run import profile_loops
from core.program import ProgramError
from core.settings import Settings

LESSON_PROGRAM = "y = x * 2 + 5"  # the lesson's loop body: result.append(x[i] * 2 + 5)
SETTINGS = Settings(threads=1)


def lesson_loop(x):
    """The lesson's loop, as the lesson writes it (torch.tensor keeps x's dtype and device, as the page's does)."""
    result = []
    for i in range(len(x)):
        result.append(x[i] * 2 + 5)
    return torch.tensor(result, dtype=x.dtype, device=x.device)


def direct_counts(call) -> tuple[Counter, list[str]]:
    """Operator counts and the top-level operators' names, in order, from torch.profiler itself (after a warm-up)."""
    call()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        call()
    counts = Counter({a.key: a.count for a in prof.key_averages()})
    top = [e.name for e in sorted(prof.events(), key=lambda e: e.time_range.start) if e.cpu_parent is None]
    return counts, top


@pytest.fixture(scope="module")
def report():
    return profile_loop_and_vectorized(ProfileRequest(program=LESSON_PROGRAM, n=10, settings=SETTINGS))


def test_the_lesson_loop_at_n_10_calls_what_torch_profiler_counts(report):
    x = torch.randn(10, generator=torch.Generator().manual_seed(0))
    expected, top = direct_counts(lambda: lesson_loop(x))
    # 3 calls per element (x[i] is a select, then mul, then add) ...
    assert top[:30] == ["aten::select", "aten::mul", "aten::add"] * 10
    assert expected["aten::select"] == expected["aten::mul"] == expected["aten::add"] == 10
    # ... plus the final torch.tensor(result), which reads each element back with item()
    assert expected["aten::item"] == 10 and "aten::select" not in top[30:] and len(top) > 30
    loop = report.profile("lesson_loop")
    assert Counter({row.name: row.count for row in loop.operators}) == expected
    assert loop.count("aten::mul") == 10 and loop.calls == sum(expected.values())


def test_the_vectorized_call_is_one_call_per_operation(report):
    x = torch.randn(10, generator=torch.Generator().manual_seed(0))
    expected, top = direct_counts(lambda: x * 2 + 5)
    assert top == ["aten::mul", "aten::add"]
    vectorized = report.profile("vectorized")
    assert Counter({row.name: row.count for row in vectorized.operators}) == expected


def test_times_shares_and_timeline_are_consistent(report):
    for implementation in report.profiles:
        assert implementation.wall_us > 0 and 0 <= implementation.python_share <= 1
        assert 0 < implementation.operators_us <= implementation.wall_us * 1.05
        assert all(row.self_us >= 0 and row.total_us >= row.self_us - 1e-6 for row in implementation.operators)
        selfs = [row.self_us for row in implementation.operators]
        assert selfs == sorted(selfs, reverse=True)
        events = implementation.events
        assert len(events) == implementation.event_count and not implementation.events_capped
        assert [e.start_us for e in events] == sorted(e.start_us for e in events) and events[0].start_us == 0
        assert {e.depth for e in events if e.name == "aten::mul"} == {0}
        assert all(e.depth >= 1 for e in events if e.name == "aten::as_strided")  # select's child
    assert report.output == "y" and report.n == 10


def test_the_chrome_trace_is_the_profilers_own(report):
    trace = json.loads(report.profile("lesson_loop").chrome_trace)
    names = Counter(e["name"] for e in trace["traceEvents"] if e.get("ph") == "X")
    assert names["aten::select"] == names["aten::mul"] == names["aten::add"] == 10
    assert not report.profile("lesson_loop").trace_capped


def test_a_long_timeline_keeps_the_shallowest_events():
    x = torch.randn(50)
    profiled = profile_call("lesson_loop", lambda: lesson_loop(x))
    assert profiled.event_count > 150
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        lesson_loop(x)
    kept = timeline(list(prof.events()), limit=150)
    assert len(kept) == 150 and max(e.depth for e in kept) <= 1
    assert [e.start_us for e in kept] == sorted(e.start_us for e in kept)
    assert MAX_EVENTS >= 1000


def test_a_trace_past_its_cap_is_cut_to_valid_json_under_the_cap():
    document = {"traceEvents": [{"ph": "M", "name": "process_name"}]}
    document["traceEvents"] += [{"ph": "X", "name": f"op{i}", "ts": i, "dur": 1} for i in range(5000)]
    text = cap_trace(document, 20_000)
    assert len(text.encode()) <= 20_000
    cut = json.loads(text)
    assert cut["traceEvents"][0]["ph"] == "M" and cut["traceEvents"][1]["name"] == "op0"
    assert 100 < len(cut["traceEvents"]) < 5000 and "eagerLabNote" in cut


@pytest.mark.parametrize("n", [0, MAX_PROFILE_N + 1])
def test_n_outside_the_range_is_refused(n):
    with pytest.raises(ValueError, match="n must be within"):
        profile_loops(ProfileRequest(program=LESSON_PROGRAM, n=n, settings=SETTINGS))


def test_a_reduction_cannot_be_profiled_as_a_loop():
    with pytest.raises(ProgramError) as raised:
        profile_loops(ProfileRequest(program="y = x.sum()", n=10, settings=SETTINGS))
    assert raised.value.code == "not_elementwise"


def test_the_cli_profiles_instead_of_sweeping_and_writes_the_traces(capsys, tmp_path):
    from core.cli import main

    argv = ["loops", "--profile", "--program", LESSON_PROGRAM, "--threads", "1", "--trace-dir", str(tmp_path)]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["settings"]["profile_n"] == 10 and "sizes" not in report["settings"]
    assert "points" not in report and report["agreement"]["agrees"] is True
    x = torch.randn(10, generator=torch.Generator().manual_seed(0))
    expected, _ = direct_counts(lambda: lesson_loop(x))
    loop = report["profile"]["lesson_loop"]
    assert {row["name"]: row["count"] for row in loop["operators"]} == dict(expected)
    assert 0 <= loop["python_share"] <= 1 and loop["operator_calls"] == sum(expected.values())
    trace = json.loads((tmp_path / "eager-lab-loops-lesson_loop-trace.json").read_text())
    assert sum(e.get("name") == "aten::select" for e in trace["traceEvents"]) == 10
    assert main(["loops", "--profile", "--prof-n", "100", "--program", LESSON_PROGRAM]) == 0
    assert json.loads(capsys.readouterr().out)["profile"]["vectorized"]["operator_calls"] > 0


def test_the_cli_refuses_a_profile_size_past_the_limit(capsys):
    from core.cli import main

    with pytest.raises(SystemExit):
        main(["loops", "--profile", "--prof-n", str(MAX_PROFILE_N + 1)])
    assert f"argument --prof-n: “prof_n={MAX_PROFILE_N + 1}” is out of range" in capsys.readouterr().err


def test_the_reproduce_script_profiles_the_same_operators(tmp_path):
    from core.loops.reproduce import script
    from core.program import parse_program
    from tests.reproduce.test_reproduce_core import run_script

    output = run_script(script(parse_program(LESSON_PROGRAM), (10,), 0.02, SETTINGS, 10), tmp_path)
    report = profile_loop_and_vectorized(ProfileRequest(program=LESSON_PROGRAM, n=10, settings=SETTINGS))
    for implementation in report.profiles:
        section = output.split(f"profile {implementation.implementation} at n=10: ")[1].split("profile ")[0]
        assert "outside operators (Python)" in section.splitlines()[0]
        printed = dict(re.findall(r"^ +(\S+) +(\d+) calls", section, re.MULTILINE))
        assert {name: int(count) for name, count in printed.items()} == {
            row.name: row.count for row in implementation.operators
        }
    assert (tmp_path / "eager_lab_loops_lesson_loop_trace.json").exists()


def test_a_profiled_trace_past_the_cap_says_so_and_stays_valid(monkeypatch):
    import core.loops.profile as profile_module

    monkeypatch.setattr(profile_module, "MAX_TRACE_BYTES", 20_000)
    x = torch.randn(50)
    profiled = profile_call("lesson_loop", lambda: lesson_loop(x))
    assert profiled.trace_capped and len(profiled.chrome_trace.encode()) <= 20_000
    events = json.loads(profiled.chrome_trace)["traceEvents"]
    assert any(e.get("name") == "aten::select" for e in events)


@pytest.mark.serial  # it compares two timings: four parallel test processes made the unprofiled call 18x slower
def test_the_profilers_own_cost_is_told_apart_from_the_unprofiled_call(report):
    """Most of the time outside operators under the profiler is the profiler's: the unprofiled call is timed too."""
    for implementation in report.profiles:
        assert 0 < implementation.unprofiled_us < implementation.wall_us
        assert implementation.profiler_us == implementation.wall_us - implementation.unprofiled_us
        assert implementation.outside_us == implementation.wall_us - implementation.operators_us
    loop = report.profile("lesson_loop")
    assert loop.outside_us > loop.unprofiled_us  # at n = 10: more than the whole loop takes without the profiler
