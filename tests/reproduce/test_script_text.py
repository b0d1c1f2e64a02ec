"""Every 'Reproduce this' script is Python that ruff passes, and imports torch and the standard library only."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from core.program import parse_program
from core.script_source import Import, import_lines, routines
from core.settings import Settings
from tests.conftest import ROOT

SCRIPT_PARTS = ROOT / "core" / "script_parts"
ALLOWED = {"torch", *sys.stdlib_module_names}
# every statement reaches the output (a statement a function never reads is ruff's F841 in the learner's own code)
PROGRAM = "y = torch.sin(x) * w + b\nz = y * 2 ** 3"
BLOCKS = "y = x * 2 - 1\nfor i in range(3):\n    y = y * 2 + i\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"


def page_scripts() -> dict[str, str]:
    """Each page's script in its variants: typed and random x, programs with and without blocks, every case."""
    from core.autograd.reproduce import script as autograd
    from core.compiled.reproduce import script as compiled
    from core.grad_modes.reproduce import script as grad_modes
    from core.home.reproduce import script as home
    from core.loops.reproduce import script as loops
    from core.pitfalls.mistakes import CASE_KEYS
    from core.pitfalls.reproduce import script as pitfalls
    from core.steps.reproduce import script as steps
    from core.train.loop import TrainConfig
    from core.train.reproduce import script as train

    settings = Settings(threads=1)
    program, blocks = parse_program(PROGRAM), parse_program(BLOCKS)
    scripts = {
        "home": home(settings),
        "steps": steps(program, None, 5, settings, 2),
        "steps, blocks": steps(blocks, "1, 2", 0, settings, 3),
        "steps, none run": steps(program, "1, 2", 0, settings, 0),
        "autograd": autograd(program, "1, 2", 0, settings, ("x", "w"), "z", "sum"),
        "autograd, no backward": autograd(blocks, None, 4, settings, ("x",), "z", None, backward=False),
        "loops": loops(program, (10, 100), 0.02, settings),
        "grad modes, program": grad_modes(program, settings, 100, 0, 0, 0, 0.01),
        "grad modes, mlp": grad_modes(None, settings, 0, 8, 2, 4, 0.01),
        "compiled": compiled(blocks, "1, 2, 3", 0, settings, ("eager", "aot_eager", "inductor"), 0.02),
        "compiled, random x": compiled(program, None, 8, settings, ("eager",), 0.02),
    }
    for case in CASE_KEYS:
        scripts[f"pitfalls, {case}"] = pitfalls(case, torch.tensor([0.5, -1.0, 2.0]), settings)
    configs = {
        "mlp": TrainConfig(),
        "dynamic": TrainConfig(model="dynamic", dataset="spiral", optimizer="sgd"),
        "program": TrainConfig(model="program", dataset="sine"),
    }
    for name, config in configs.items():
        scripts[f"train, {name}"] = train(config, settings, 20)
    return scripts


SCRIPTS = page_scripts()


def imported_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_script_parses_and_imports_torch_and_the_standard_library_only(name):
    modules = imported_modules(ast.parse(SCRIPTS[name]))
    assert "torch" in modules and {m for m in modules if m.split(".")[0] not in ALLOWED} == set()


def ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed here")
    return found


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_script_passes_ruff_with_the_projects_rules(name):
    done = subprocess.run(
        [ruff(), "check", "--no-cache", "--stdin-filename", "reproduce.py", "-"],
        input=SCRIPTS[name],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_script_routines_import_only_torch_the_standard_library_and_each_other():
    for path in sorted(SCRIPT_PARTS.glob("*.py")):
        for module in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            assert module.split(".")[0] in ALLOWED or module.startswith("core.script_parts."), (path.name, module)


def test_a_routine_that_reads_an_import_from_outside_torch_and_the_standard_library_is_refused():
    pytest.importorskip("redis")
    from core.queue import connect

    with pytest.raises(ValueError, match="not redis"):
        routines(connect)


def test_routines_come_after_what_they_use_once_each_with_their_imports():
    from core.script_parts.loops import lesson_loop, time_sizes

    parts = routines(time_sizes, lesson_loop)
    text = "\n".join(parts.lines)
    assert text.count("def lesson_loop(") == text.count("def median_seconds(") == 1
    assert text.index("CALIBRATION_N = 100") < text.index("def lesson_loop(") < text.index("def time_sizes(")
    assert text.index("def median_seconds(") < text.index("def time_sizes(")
    assert Import(module="torch.utils", name="benchmark") in parts.imports
    assert Import(module="functools") in parts.imports


def test_imports_are_grouped_and_ordered_as_isort_wants():
    imports = [
        Import(module="torch"),
        Import(module="torch.profiler", name="profile"),
        Import(module="time"),
        Import(module="collections.abc", name="Sequence"),
        Import(module="torch.profiler", name="ProfilerActivity"),
        Import(module="collections.abc", name="Callable"),
    ]
    assert import_lines(imports) == [
        "import time",
        "from collections.abc import Callable, Sequence",
        "",
        "import torch",
        "from torch.profiler import ProfilerActivity, profile",
    ]
