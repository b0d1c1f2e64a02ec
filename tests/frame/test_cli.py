"""`python -m core`: every subcommand prints the documented JSON, with the same numbers as core and as torch."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from core.cli import main
from core.grad_modes.modes import MODES, program_workload, saved_ledger
from core.pitfalls.mistakes import PITFALLS
from core.program import DEFAULT_PROGRAM, parse_program
from core.shared_spec import SETTINGS
from core.tensors import random_input
from tests.conftest import ROOT

DEFAULT_THREADS = SETTINGS.named("threads").default  # as the page: torch's default within a worker's cores
PROVENANCE = {"page", "settings", "torch_version", "device_name", "threads"}


def run_cli(capsys, *argv: str) -> dict:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_module_entry_prints_json_in_a_fresh_interpreter():
    done = subprocess.run(
        [sys.executable, "-m", "core", "steps", "--x", "1,2,3"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == PROVENANCE | {"inputs", "steps", "error"}
    assert report["torch_version"] == torch.__version__
    y = torch.tensor([1.0, 2.0, 3.0]) * 2 + 5
    assert [s["printed"] for s in report["steps"]] == [str(y), str(y**2 - 10)]


def test_steps_matches_core_and_records_settings(capsys):
    report = run_cli(capsys, "steps", "--n", "50", "--seed", "7", "--dtype", "float64", "--program", "y = x.exp()")
    x = random_input(50, "float64", "cpu", 7)
    expected = torch.exp(x)
    assert report["settings"] == {"device": "cpu", "dtype": "float64", "seed": 7, "program": "y = x.exp()", "n": 50}
    assert report["threads"] == DEFAULT_THREADS  # what the CLI ran under (another test may set this process's)
    (step,) = report["steps"]
    assert step["printed"] == str(expected)
    assert step["shape"] == [50] and step["dtype"] == "float64" and step["grad_fn"] is None
    assert step["mean"] == pytest.approx(expected.mean().item(), rel=1e-12)
    assert report["error"] is None


def test_steps_reports_a_runtime_error_with_the_steps_before_it(capsys):
    report = run_cli(capsys, "steps", "--x", "1,2", "--program", "y = x + 1;z = x @ torch.sum(x, dim=0)")
    assert [s["target"] for s in report["steps"]] == ["y"]
    assert report["error"]["code"] == "runtime" and report["error"]["line"] == 2


def test_autograd_grads_equal_torch_directly(capsys):
    report = run_cli(capsys, "autograd", "--x", "1,2,3", "--grad", "x", "--reduce", "mean")
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    ((x * 2 + 5) ** 2 - 10).mean().backward()
    assert report["output"] == "z"
    assert report["backward"]["grads"]["x"] == str(x.grad)
    assert report["backward"]["grad_values"]["x"] == x.grad.tolist()
    assert report["backward"]["visits"][0] == "MeanBackward0" and report["backward"]["visits"][-1] == "AccumulateGrad"
    assert {f["name"]: f["requires_grad"] for f in report["flags"]} == {"x": True, "y": True, "z": True}


def test_autograd_shows_pytorchs_refusal_when_nothing_requires_grad(capsys):
    report = run_cli(capsys, "autograd", "--x", "1,2,3", "--grad", "")
    with pytest.raises(RuntimeError) as expected:
        ((torch.tensor([1.0, 2.0, 3.0]) * 2 + 5) ** 2 - 10).sum().backward()
    assert report["backward"] == {"error_type": "RuntimeError", "error": str(expected.value)}


def test_loops_fields_sizes_and_agreement(capsys):
    report = run_cli(capsys, "loops", "--sizes", "10,100", "--budget", "0.05", "--program", "y = torch.sin(x) * 3")
    assert set(report) == PROVENANCE | {
        "output", "agreement", "points", "speedup_vs_lesson_loop", "bandwidth", "refused", "wall_s"
    }  # fmt: skip
    assert report["settings"]["sizes"] == [10, 100] and report["settings"]["budget"] == 0.05
    assert report["agreement"]["agrees"] is True
    assert {(p["implementation"], p["n"]) for p in report["points"]} == {
        (name, n) for name in ("lesson_loop", "float_loop", "vectorized") for n in (10, 100)
    }
    assert all(p["q1_s"] <= p["median_s"] <= p["q3_s"] for p in report["points"] if p["measured"])
    # two kernels (sin, then * 3), each reading and writing n float32 values
    assert {b["n"]: b["bytes_per_call"] for b in report["bandwidth"]} == {n: 2 * 2 * 4 * n for n in (10, 100)}


def test_grad_modes_saved_bytes_equal_core(capsys):
    report = run_cli(capsys, "grad-modes", "--size", "2000", "--budget", "0.05", "--seed", "3")
    workload = program_workload(parse_program(DEFAULT_PROGRAM), 2000, "float32", "cpu", 3)
    assert [m["mode"] for m in report["modes"]] == list(MODES)
    for mode in report["modes"]:
        ledger, output = saved_ledger(workload, mode["mode"])
        assert (mode["saved_bytes_anyway"], mode["saved_bytes_extra"]) == (ledger.anyway_bytes, ledger.extra_bytes)
        assert mode["is_inference"] == output.is_inference()
        assert mode["requires_grad"] == output.requires_grad
    assert report["modes"][0]["saved_bytes_extra"] > 0 and report["modes"][2]["saved_bytes_extra"] == 0


def test_grad_modes_mlp_records_its_shape(capsys):
    report = run_cli(capsys, "grad-modes", "--workload", "mlp", "--width", "16", "--depth", "2", "--batch", "8")
    assert report["settings"] | {"workload": "mlp", "width": 16, "depth": 2, "batch": 8} == report["settings"]
    assert report["work"] == 8 * 16


def test_pitfalls_outcomes_equal_the_cases_run_directly(capsys):
    report = run_cli(capsys, "pitfalls", "--x", "1,2,3")
    assert report["x"] == "tensor([1., 2., 3.])"
    assert set(report["cases"]) == {p.key for p in PITFALLS}
    assert report["sync_timing"]["size"] == 512 and report["sync_timing"]["naive_s"] > 0
    case = report["cases"]["non_scalar"]
    with pytest.raises(RuntimeError) as expected:
        (torch.tensor([1.0, 2.0, 3.0], requires_grad=True) * 2).backward()
    assert case["broken"]["error"] == str(expected.value)
    assert case["fixed"]["error_type"] is None


def test_bad_input_is_a_clear_message_and_exit_code(capsys):
    assert main(["steps", "--program", "import os"]) == 2
    error = json.loads(capsys.readouterr().err)
    assert error["error"] == "ProgramError" and "not_assignment" in error["detail"]
    with pytest.raises(SystemExit) as usage:
        main(["autograd", "--output", "nope"])
    assert usage.value.code == 2
    assert "--output 'nope' is not assigned" in capsys.readouterr().err


@pytest.mark.cuda
def test_loops_on_cuda_names_the_gpu(capsys):
    report = run_cli(capsys, "loops", "--device", "cuda", "--sizes", "1000,1000000", "--budget", "0.1")
    assert report["device_name"] == torch.cuda.get_device_name(0)
    assert report["agreement"]["agrees"] is True
    assert report["speedup_vs_lesson_loop"]["1000000"] > 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["steps", "--seed", "99999999999999999999999"],
            "argument --seed: “seed=99999999999999999999999” is not valid",
        ),
        (["loops", "--threads", "0"], "argument --threads: “threads=0” is out of range"),
        (
            ["loops", "--budget", "-1"],
            "argument --budget: “budget=-1” is out of range (expected a number from 0.05 to 2)",
        ),
        (["loops", "--budget", "nan"], "argument --budget: “budget=nan” is not valid"),
        (
            ["grad-modes", "--width", "99999"],
            "argument --width: “width=99999” is out of range (expected a whole number from 1 to 4,096)",
        ),
        (["steps", "--n", "0"], "argument --n: “n=0” is out of range"),
    ],
)
def test_out_of_range_options_are_refused_with_the_pages_limits(capsys, argv, message):
    with pytest.raises(SystemExit) as usage:
        main(argv)
    assert usage.value.code == 2 and message in capsys.readouterr().err


def test_autograd_defaults_to_the_last_statements_output_as_the_page_does(capsys):
    report = run_cli(capsys, "autograd", "--x", "1", "--program", "y = x * 2;z = y + 1;y = z * 3")
    assert report["output"] == "y" and report["settings"]["output"] == "y"
    assert report["backward"]["grads"]["x"] == str(torch.tensor([6.0]))


def test_loops_checks_agreement_on_the_given_x_and_grad_modes_records_no_x(capsys):
    typed = run_cli(capsys, "loops", "--x", "1,2,3", "--sizes", "10", "--budget", "0.05")
    drawn = run_cli(capsys, "loops", "--n", "1000", "--sizes", "10", "--budget", "0.05")
    # small integers are exact in every implementation; 1000 random values are not, for the loop over floats
    assert typed["settings"]["x"] == "1,2,3" and typed["agreement"]["max_abs_diff"]["float_loop"] == 0.0
    assert drawn["settings"]["n"] == 1000 and drawn["agreement"]["max_abs_diff"]["float_loop"] > 0.0
    report = run_cli(capsys, "grad-modes", "--x", "1,2", "--size", "100", "--budget", "0.02")
    assert "x" not in report["settings"] and "n" not in report["settings"]


def test_every_registered_page_is_a_sub_command_and_home_runs_the_lesson(capsys):
    from core.cli import build_parser
    from dashboard.registry import PAGES

    commands = build_parser()._subparsers._group_actions[0].choices
    assert list(commands) == [page.command for page in PAGES]
    report = run_cli(capsys, "home", "--dtype", "float64")
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    assert report["printed"] == str((x * 2 + 5) ** 2 - 10)
    assert report["example_source"].splitlines()[-1] == "print(z)"
    assert report["environment"]["torch_version"] == torch.__version__


def test_compiled_reports_what_dynamo_captures_and_the_cost_when_asked(capsys):
    program = "y = x * 2 + 5;if y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"
    code = main(["compiled", "--x", "1,2,3", "--program", program, "--cost", "--backends", "eager,aot_eager"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["explain"]["graph_count"], report["explain"]["break_count"]) == (2, 1)
    assert report["explain"]["breaks"][0]["line"] == 2
    assert not report["fullgraph"]["compiled"] and report["fullgraph"]["suggestions"] == ["where", "cond"]
    assert "torch.where(" in report["where_program"] and report["cond"]["agrees"] is True
    assert [c["backend"] for c in report["cost"]] == ["eager", "aot_eager"]
    assert all(c["per_call_s"] > 0 for c in report["cost"]) and report["cost"][1]["compile_s"] > 0
