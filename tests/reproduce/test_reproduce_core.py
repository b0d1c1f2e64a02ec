"""Generated scripts against core directly (no Streamlit), so they also run on the GPU machine."""

from __future__ import annotations

import pytest
import torch

from core.autograd.cli import autograd_report
from core.autograd.reproduce import script as autograd_script
from core.loops.reproduce import script as loops_script
from core.program import parse_program
from core.settings import Settings
from core.steps.cli import steps_report
from core.steps.reproduce import script as steps_script
from core.tensors import build_x
from tests.script_runner import run_isolated

DEVICES = ["cpu", pytest.param("cuda", marks=pytest.mark.cuda)]


def run_script(script: str, tmp_path) -> str:
    """Run a generated script isolated (tests/script_runner.py): nothing from this repository can be imported."""
    path = tmp_path / "reproduce.py"
    path.write_text(script)
    return run_isolated(path)


@pytest.mark.parametrize("device", DEVICES)
def test_steps_script_prints_what_core_computes(device, tmp_path):
    settings = Settings(device=device, dtype="float32", seed=3, threads=1)
    program = parse_program("y = torch.sin(x) * w\nz = y.sum() + 2 ** 3")
    output = run_script(steps_script(program, None, 50, settings, 2), tmp_path)
    report = steps_report(program, build_x(None, 50, settings.dtype, settings.device, settings.seed), settings)
    assert len(report["steps"]) == 2
    for step in report["steps"]:
        assert f"line {step['line']}: {step['target']} =\n{step['printed']}\n" in output


@pytest.mark.parametrize("device", DEVICES)
def test_autograd_script_prints_the_gradients_core_computes(device, tmp_path):
    settings = Settings(device=device, dtype="float64", seed=1, threads=1)
    program = parse_program("y = x * w + b\nz = (y ** 2).mean()")
    output = run_script(autograd_script(program, "1, -2, 0.5", 0, settings, ("x", "b"), "z", "sum"), tmp_path)
    report = autograd_report(
        program,
        build_x("1, -2, 0.5", 0, settings.dtype, settings.device, settings.seed),
        settings,
        {"x", "b"},
        "z",
        "sum",
    )
    for name, printed in report["backward"]["grads"].items():
        assert f"{name}.grad =\n{printed}\n" in output


@pytest.mark.parametrize("device", DEVICES)
def test_loops_script_runs_on_the_device(device, tmp_path):
    settings = Settings(device=device, dtype="float32", seed=0, threads=1)
    output = run_script(loops_script(parse_program("y = x.exp() - 1"), (10, 1000), 0.05, settings), tmp_path)
    lines = [line for line in output.splitlines() if line.startswith("n=")]
    assert [line.split(":")[0] for line in lines] == ["n=10", "n=1000"]
    assert all(float(line.rsplit(" ", 1)[1]) <= 1e-5 for line in lines)  # one element at a time, same values


def test_nothing_from_the_program_text_reaches_a_script_but_its_checked_statements():
    program = parse_program('y = x * 2  # """; import os; os.system("echo hacked") \\\nz = y + 1')
    settings = Settings()
    scripts = [
        steps_script(program, "1, 2", 0, settings, 2),
        autograd_script(program, "1, 2", 0, settings, ("x",), "z", "sum"),
        loops_script(program, (10,), 0.05, settings),
    ]
    for script in scripts:
        assert "import os" not in script and "hacked" not in script
        assert "y = x * 2\n" in script or "    y = x * 2\n" in script


def test_integer_powers_stay_float_as_on_the_page(tmp_path):
    settings = Settings(dtype="float64", threads=1)
    program = parse_program("y = x * ((10 * 10) ** 10)\nz = y * 2 ** 9")
    output = run_script(steps_script(program, "1, 2", 0, settings, 2), tmp_path)
    report = steps_report(program, build_x("1, 2", 0, settings.dtype, settings.device, settings.seed), settings)
    y = torch.tensor([1.0, 2.0], dtype=torch.float64) * 1e20
    assert [s["printed"] for s in report["steps"]] == [str(y), str(y * 512.0)]
    for step in report["steps"]:
        assert step["printed"] in output


def test_grad_modes_script_runs_a_program_that_reassigns_its_input(tmp_path):
    """`x = x * 2` inside the script's forward() once raised UnboundLocalError."""
    from core.grad_modes.reproduce import script

    program = parse_program("x = x * 2\ny = x + 1")
    output = run_script(script(program, Settings(threads=1), 10, 0, 0, 0, 0.01), tmp_path)
    lines = output.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["grad", "no_grad", "inference_mode"]
    assert "requires_grad=True" in lines[0] and "requires_grad=False" in lines[1]


def test_a_script_runs_where_nothing_of_this_repository_can_be_imported(tmp_path):
    probe = "import importlib.util\nprint([importlib.util.find_spec(m) is None for m in ('core', 'dashboard')])"
    assert run_script(probe, tmp_path).strip() == "[True, True]"
