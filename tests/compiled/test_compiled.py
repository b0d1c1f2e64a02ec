"""The Eager vs compiled core: explain, fullgraph, export, the rewrites and recompiles, checked against PyTorch
called directly on the same function."""

from __future__ import annotations

import ast
import logging

import pytest
import torch
from torch._dynamo.utils import guard_failures

from core.compiled.capture import explain, export, fullgraph
from core.compiled.cost import break_even_calls, unavailable_reason
from core.compiled.function import check_tree, program_function
from core.compiled.guards import recompiles
from core.compiled.rewrite import RewriteRefused, cond_function, where_program
from core.program import parse_program, run_program

BRANCHY = (
    "y = x * 2 + 5\nfor i in range(2):\n    y = y * 2 + i\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"
)
X = torch.tensor([1.0, -2.0, 3.0])


def direct(x: torch.Tensor) -> torch.Tensor:
    """BRANCHY written by hand."""
    y = x * 2 + 5
    for i in range(2):
        y = y * 2 + i
    if y.sum() > 0:
        z = y**2 - 10
    else:
        z = -y
    return z


def test_the_built_function_is_the_program_and_computes_what_eager_does():
    program = parse_program(BRANCHY)
    built = program_function(program)
    assert "if y.sum() > 0:" in built.code and "for i in range(2):" in built.code
    for x in (X, -X * 10):
        torch.testing.assert_close(built.function(x), direct(x), rtol=0, atol=0)
        torch.testing.assert_close(built.function(x), run_program(program, {"x": x}).env["z"], rtol=0, atol=0)


def test_a_built_tree_admits_nothing_outside_the_allow_list():
    for text in ("import os", "y = open('f')", "y = open", "y = x.__class__", "y = (lambda: 1)()", "y = [x]", "y = _x"):
        with pytest.raises(ValueError):
            check_tree(ast.parse(text))


def test_explain_matches_dynamo_called_directly_and_places_the_break_at_its_line():
    built = program_function(parse_program(BRANCHY))
    result = explain(built, {"x": X})
    torch._dynamo.reset()
    reference = torch._dynamo.explain(direct)(X)
    assert (result.graph_count, result.break_count) == (reference.graph_count, reference.graph_break_count) == (2, 1)
    assert [b.reason for b in result.breaks] == [str(r.reason) for r in reference.break_reasons]
    assert [(b.line, b.source) for b in result.breaks] == [(4, "if y.sum() > 0:")]
    expected_ops = [
        [getattr(n.target, "__name__", n.target) for n in g.graph.nodes if n.op in ("call_function", "call_method")]
        for g in reference.graphs
    ]
    assert [list(g.ops) for g in result.graphs] == expected_ops
    assert result.graphs[1].lines == (5, 5)  # pow and sub of `z = y ** 2 - 10`, the branch taken


def test_fullgraph_refusal_is_pytorchs_own_with_both_suggestions():
    built = program_function(parse_program(BRANCHY))
    result = fullgraph(built, {"x": X})
    torch._dynamo.reset()
    with pytest.raises(torch._dynamo.exc.Unsupported) as caught:
        torch.compile(direct, fullgraph=True, backend="eager")(X)
    assert not result.compiled and result.error_type == type(caught.value).__name__
    assert "Data-dependent branching" in result.error and "Data-dependent branching" in str(caught.value)
    assert result.suggestions == ("where", "cond")
    assert 'File "<program ' in result.error and "line 4" in result.error


@pytest.mark.parametrize("x", [X, -X * 10])
def test_the_where_rewrite_compiles_into_one_graph_with_the_same_values(x):
    text = where_program(parse_program(BRANCHY))
    rewritten = parse_program(text)
    assert not rewritten.branches and "torch.where(" in text
    built = program_function(rewritten)
    assert explain(built, {"x": x}).graph_count == 1
    result = fullgraph(built, {"x": x})
    assert result.compiled and result.printed == str(direct(x))
    torch.testing.assert_close(run_program(rewritten, {"x": x}).env["z"], direct(x), rtol=0, atol=0)


@pytest.mark.parametrize("x", [X, -X * 10])
def test_the_cond_version_is_one_graph_exports_and_agrees(x):
    built = cond_function(parse_program(BRANCHY))
    assert "torch.cond(" in built.code
    torch.testing.assert_close(built.function(x), direct(x), rtol=0, atol=0)
    assert explain(built, {"x": x}).graph_count == 1
    assert fullgraph(built, {"x": x}).compiled
    exported = export(built, {"x": x})
    assert exported.exported and "torch.ops.higher_order.cond" in exported.code
    assert exported.printed == str(direct(x))


def test_export_refuses_the_branch_as_pytorch_does():
    built = program_function(parse_program(BRANCHY))
    result = export(built, {"x": X})

    class Direct(torch.nn.Module):
        def forward(self, x):
            return direct(x)

    torch._dynamo.reset()
    with pytest.raises(Exception) as caught:  # noqa: PT011 - whichever PyTorch raises is the expected one
        torch.export.export(Direct(), (X,))
    assert not result.exported and result.error_type == type(caught.value).__name__


def test_a_program_without_branches_exports_and_needs_no_rewrite():
    program = parse_program("y = x * 2 + 5\nz = y ** 2 - 10")
    built = program_function(program)
    assert explain(built, {"x": X}).graph_count == 1
    assert export(built, {"x": X}).exported
    with pytest.raises(RewriteRefused) as refused:
        where_program(program)
    assert refused.value.code == "no_branch"
    with pytest.raises(RewriteRefused) as nested:
        cond_function(parse_program("y = x\nif y.sum() > 0:\n    for i in range(2):\n        y = y * 2"))
    assert (nested.value.code, nested.value.line) == ("nested", 2)


def test_where_keeps_names_set_before_and_on_one_side_only():
    program = parse_program("y = x * 2\nif y.sum() > 0:\n    y = y + 1\nz = y * 3")
    rewritten = parse_program(where_program(program))
    for x in (X, -X * 10):
        expected = run_program(program, {"x": x}).env["z"]
        torch.testing.assert_close(run_program(rewritten, {"x": x}).env["z"], expected, rtol=0, atol=0)


def test_a_size_change_recompiles_once_by_default_and_never_with_dynamic_true():
    built = program_function(parse_program("y = x * 2 + 5\nz = y ** 2 - 10"))
    default = recompiles(built, {"x": X}, None)
    assert [c.compiled_graphs for c in default.calls] == [1, 0, 1, 0, 1]
    assert default.calls[2].reasons == ("0/0: tensor 'x' size mismatch at index 0. expected 3, actual 4",)
    assert "dtype mismatch" in " ".join(default.calls[4].reasons)
    dynamic = recompiles(built, {"x": X}, True)
    assert [c.compiled_graphs for c in dynamic.calls] == [1, 0, 0, 0, 1]

    # the same calls on torch.compile directly: the same recompiles, the same reasons
    torch._dynamo.reset()
    guard_failures.clear()
    count = []

    def counting(module, example_inputs):
        count.append(1)
        return module.forward

    compiled = torch.compile(lambda x: (x * 2 + 5) ** 2 - 10, backend=counting)
    for x in (X, X, torch.cat([X, X[:1]])):
        compiled(x)
    assert len(count) == 2
    assert [r.split(": ", 1)[1] for rs in guard_failures.values() for r in rs] == [
        "tensor 'x' size mismatch at index 0. expected 3, actual 4"
    ]


def test_break_even_is_compile_time_over_time_saved():
    from core.compiled.cost import BackendCost
    from core.timing import Measurement

    def timing(seconds):
        return Measurement(
            median=seconds, iqr=0.0, runs=1, block_times=(seconds,), threads=1, device="cpu", q1=seconds, q3=seconds
        )

    eager = BackendCost(backend="eager", compile_s=None, per_call=timing(3e-5))
    faster = BackendCost(backend="inductor", compile_s=1.5, per_call=timing(1e-5))
    slower = BackendCost(backend="aot_eager", compile_s=0.1, per_call=timing(4e-5))
    assert break_even_calls(eager, faster) == pytest.approx(1.5 / 2e-5)
    assert break_even_calls(eager, slower) is None
    assert unavailable_reason("eager", "cpu") is None and unavailable_reason("aot_eager", "cpu") is None


# --- what a review found: each case once broke the page or differed from eager ----------------------------


def test_powers_of_plain_numbers_compute_in_float_as_eager_does():
    from core.compiled.run import CompiledRequest, capture_view, recompile_view
    from core.settings import Settings
    from core.tensors import InputSpec

    for text in ("y = x * 1000000 ** 10", "y = x\nfor i in range(2):\n    y = x * (i * 1000000) ** 10"):
        program = parse_program(text)
        x = torch.tensor([1.0, 2.0])
        eager = run_program(program, {"x": x}).env["y"]
        torch.testing.assert_close(program_function(program).function(x), eager, rtol=0, atol=0)
    # a huge power on the branch eager never takes: the recompile calls do take it, in float, quickly
    hostile = "y = x * 2\nif x.sum() > 6.5:\n    z = y * 0 * ((((1000000 ** 10) ** 10) ** 10) ** 10)\nelse:\n    z = y"
    request = CompiledRequest(program=hostile, inputs=InputSpec(values="1,2,3", n=0), settings=Settings())
    runs = recompile_view(request)  # returns: PyTorch's refusal is kept as text, nothing raises or runs away
    assert all(run.error == "" or "Error" in run.error.split(":")[0] for run in runs)
    assert capture_view(request).explained.graph_count >= 1


def test_a_program_that_does_not_read_x_compiles():
    from core.compiled.run import CompiledRequest, capture_view, recompile_view
    from core.settings import Settings
    from core.tensors import InputSpec

    request = CompiledRequest(
        program="y = w * 2\nif y.sum() > 0:\n    z = y * 3\nelse:\n    z = y * 4",
        inputs=InputSpec(values="1,2,3", n=0),
        settings=Settings(),
    )
    view = capture_view(request)
    assert (view.explained.graph_count, view.explained.break_count) == (2, 1)
    assert all(not run.error for run in recompile_view(request))


def test_an_if_inside_a_loop_is_said_to_be_skipped_and_cond_still_captures_it():
    program = parse_program(
        "y = x\nfor i in range(3):\n    if y.sum() > 0:\n        y = y - i\n    else:\n        y = y + i * 2"
    )
    explained = explain(program_function(program), {"x": X})
    assert explained.skipped
    built = cond_function(program)
    for x in (X, -X):
        torch.testing.assert_close(built.function(x), run_program(program, {"x": x}).env["y"], rtol=0, atol=0)
    assert fullgraph(built, {"x": X}).compiled


def test_a_where_rewrite_that_fails_eagerly_is_refused_with_pytorchs_error():
    from core.compiled.run import CompiledRequest, capture_view
    from core.program import ProgramError
    from core.settings import Settings
    from core.tensors import InputSpec

    text = "s = x.sum()\nif s > 1000:\n    z = s @ s\nelse:\n    z = s + 1"
    view = capture_view(CompiledRequest(program=text, inputs=InputSpec(values="1,2,3", n=0), settings=Settings()))
    assert view.where_text is None and isinstance(view.where_refused, ProgramError)
    assert view.where_refused.code == "runtime"


def _file(path, size: int, age_s: float):
    import os
    import time

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    moment = time.time() - age_s
    os.utime(path, (moment, moment))


def test_the_inductor_cache_is_pruned_oldest_first_to_its_cap(tmp_path):
    from core.compiled.cache import prune

    _file(tmp_path / "ab" / "oldest.so", 400, 300)
    _file(tmp_path / "cd" / "middle.cpp", 300, 200)
    _file(tmp_path / "cd" / "newest.py", 300, 100)
    pruned = prune(tmp_path, 700)
    assert pruned.removed_files == 1 and pruned.kept_bytes == 600 and not (tmp_path / "ab").exists()
    assert (tmp_path / "cd" / "newest.py").exists() and (tmp_path / "cd" / "middle.cpp").exists()
    assert prune(tmp_path, 0).kept_bytes == 0 and tmp_path.is_dir() and not any(tmp_path.iterdir())


def test_only_dead_workers_folders_of_this_host_are_removed(tmp_path):
    import subprocess
    import sys

    from core.compiled.cache import remove_dead, worker_dir

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead, alive = worker_dir(tmp_path, int(ended.stdout)), worker_dir(tmp_path)
    other_host = tmp_path / "another-host-1"
    for folder in (dead, alive, other_host):
        _file(folder / "a" / "kernel.so", 10, 0)
    assert remove_dead(tmp_path) == 1
    assert not dead.exists() and alive.exists() and other_host.exists()


def test_a_compile_job_points_inductor_at_its_own_bounded_folder(tmp_path, monkeypatch):
    from core.compiled.cache import CAP_ENV, ROOT_ENV, use_bounded_cache, worker_dir

    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    monkeypatch.setenv(CAP_ENV, "0.001")  # about 1 kB
    monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", "/nowhere")  # restored after the test
    _file(worker_dir(tmp_path) / "ab" / "old.so", 4000, 100)
    folder = use_bounded_cache()
    assert folder == worker_dir(tmp_path) and not any(folder.iterdir())
    from torch._inductor.runtime.cache_dir_utils import cache_dir

    assert cache_dir() == str(folder)  # where Inductor itself will write


@pytest.fixture(scope="module")
def inductor_twice(tmp_path_factory):
    """The same program compiled twice by Inductor, each time after `torch._dynamo.reset()`, the first into a fresh
    bounded cache folder: the module's only Inductor compiles (each costs seconds of CPU; the cold one 10-40 s)."""
    from core.compiled.cache import ROOT_ENV, worker_dir
    from core.compiled.cost import backend_cost

    if unavailable_reason("inductor", "cpu") is not None:
        pytest.skip("Inductor needs a C++ compiler here")
    root = tmp_path_factory.mktemp("inductor")
    built = program_function(parse_program("y = torch.sin(x) * 3 + x * x\nz = torch.tanh(y) - 1"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ROOT_ENV, str(root))
        patch.setenv("TORCHINDUCTOR_CACHE_DIR", "/nowhere")  # restored after the module
        first = backend_cost(built, {"x": torch.arange(7.0)}, "inductor", "cpu", budget_s=0.01)
        written = sum(f.stat().st_size for f in worker_dir(root).rglob("*") if f.is_file())
        second = backend_cost(built, {"x": torch.arange(7.0)}, "inductor", "cpu", budget_s=0.01)
    return root, written, (first, second)


def test_inductor_writes_into_the_worker_folder_and_the_next_job_prunes_it(inductor_twice, monkeypatch):
    from core.compiled.cache import CAP_ENV, ROOT_ENV, use_bounded_cache, worker_dir

    root, written, (cost, _) = inductor_twice
    assert cost.error == "" and cost.compile_s is not None
    assert written > 0  # Inductor's generated code went to this worker's folder, not /tmp/torchinductor_<user>
    monkeypatch.setenv(ROOT_ENV, str(root))
    monkeypatch.setenv("TORCHINDUCTOR_CACHE_DIR", "/nowhere")
    monkeypatch.setenv(CAP_ENV, str(written / 2 / 1024**2))
    use_bounded_cache()
    kept = sum(f.stat().st_size for f in worker_dir(root).rglob("*") if f.is_file())
    assert 0 < kept <= written / 2


def test_each_inductor_compile_says_whether_its_cache_was_cold_or_warm(inductor_twice):
    """Only Dynamo is reset between compiles: Inductor's FX graph cache survives, so the same program compiles warm."""
    _, _, (first, second) = inductor_twice
    assert (first.cache, second.cache) == ("cold", "warm")
    assert first.error == second.error == "" and second.per_call is not None


def test_only_inductor_compiles_report_a_cache():
    from core.compiled.cost import backend_cost, cache_state

    built = program_function(parse_program("y = x * 2 + 5"))
    for backend in ("eager", "aot_eager"):
        assert backend_cost(built, {"x": X}, backend, "cpu", budget_s=0.01).cache is None
    counts = {"hit": 3, "miss": 1, "bypass": 0}
    assert cache_state(counts, {**counts, "hit": 5}) == "warm"
    assert cache_state(counts, {**counts, "hit": 4, "miss": 2}) == "cold"  # one graph generated anew: cold
    assert cache_state(counts, {**counts, "bypass": 1}) == "cold"
    assert cache_state(counts, counts) is None


def test_each_recompile_shows_exactly_the_guard_failures_dynamo_logs_for_that_call():
    """With a graph break (two code objects), each call's reasons are what `TORCH_LOGS=recompiles` logs for it."""
    logged: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            logged.append(record.getMessage())

    keep = Keep()
    logger = logging.getLogger("torch._dynamo.guards.__recompiles")
    torch._logging.set_logs(recompiles=True)
    logger.addHandler(keep)
    try:
        built = program_function(parse_program(BRANCHY))
        calls = [call.reasons for call in recompiles(built, {"x": X}, None).calls]
    finally:
        logger.removeHandler(keep)
        torch._logging.set_logs()
    # each logged recompile: "Recompiling function ...", "triggered by ...", then one "- <reason>" line per failure
    failures = [line.strip().removeprefix("- ") for message in logged for line in message.splitlines()[2:]]
    assert [reason for reasons in calls for reason in reasons] == failures
    assert calls[3] == ()
    assert calls[4] == (
        "0/1: tensor 'x' dtype mismatch. expected Float, actual Double",
        "0/0: tensor 'x' dtype mismatch. expected Float, actual Double",
        "1/1: tensor 'y' dtype mismatch. expected Float, actual Double",
        "1/0: tensor 'y' dtype mismatch. expected Float, actual Double",
    )
