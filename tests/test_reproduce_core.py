"""Generated scripts against core directly (no Streamlit), so they also run on the GPU machine."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.program import parse_program
from core.reports import RunSettings, autograd_report, build_x, steps_report
from core.reproduce import autograd_script, loops_script, steps_script

DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)]


def run_script(script: str, tmp_path) -> str:
    path = tmp_path / "reproduce.py"
    path.write_text(script)
    done = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("device", DEVICES)
def test_steps_script_prints_what_core_computes(device, tmp_path):
    settings = RunSettings(device=device, dtype="float32", seed=3, threads=1)
    program = parse_program("y = torch.sin(x) * w\nz = y.sum() + 2 ** 3")
    output = run_script(steps_script(program, None, 50, settings, 2), tmp_path)
    report = steps_report(program, build_x(None, 50, settings), settings)
    assert len(report["steps"]) == 2
    for step in report["steps"]:
        assert f"line {step['line']}: {step['target']} =\n{step['printed']}\n" in output


@pytest.mark.parametrize("device", DEVICES)
def test_autograd_script_prints_the_gradients_core_computes(device, tmp_path):
    settings = RunSettings(device=device, dtype="float64", seed=1, threads=1)
    program = parse_program("y = x * w + b\nz = (y ** 2).mean()")
    output = run_script(autograd_script(program, "1, -2, 0.5", 0, settings, ("x", "b"), "z", "sum"), tmp_path)
    report = autograd_report(program, build_x("1, -2, 0.5", 0, settings), settings, {"x", "b"}, "z", "sum")
    for name, printed in report["backward"]["grads"].items():
        assert f"{name}.grad =\n{printed}\n" in output


@pytest.mark.parametrize("device", DEVICES)
def test_loops_script_runs_on_the_device(device, tmp_path):
    settings = RunSettings(device=device, dtype="float32", seed=0, threads=1)
    output = run_script(loops_script(parse_program("y = x.exp() - 1"), (10, 1000), 0.05, settings), tmp_path)
    lines = [line for line in output.splitlines() if line.startswith("n=")]
    assert [line.split(":")[0] for line in lines] == ["n=10", "n=1000"]
    assert all(float(line.rsplit(" ", 1)[1]) <= 1e-5 for line in lines)  # one element at a time, same values
