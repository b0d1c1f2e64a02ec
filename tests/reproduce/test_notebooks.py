"""'Reproduce this' as a notebook: every page's script, cut into cells, validates and runs headless in plain PyTorch,
printing what the script prints; the page offers it in English and Spanish.

One kernel serves the whole module (tests/conftest.py's `kernel`: starting one and importing torch costs about 4 s
of CPU): each notebook runs in it after `%reset -f`. The plain scripts run meanwhile in one isolated interpreter
(`python -I`, as test_reproduce_core.run_script runs them), one after another, each with a fresh namespace.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import nbformat
import pytest
import torch
from streamlit.delta_generator import DeltaGenerator

from core.notebooks import ChallengeTexts, NotebookTexts, notebook_of
from core.program import DEFAULT_PROGRAM, parse_program
from core.settings import Settings
from core.shared_spec import DEFAULT_N, DEFAULT_X
from dashboard.i18n import catalog
from dashboard.registry import PAGES
from tests.reproduce.test_script_text import SCRIPTS as SCRIPT_VARIANTS

# a timing and its unit (3.356e-04 s, 35.4 us, speedup 1,386x, 52%): the only numbers two runs may disagree on
TIMING = re.compile(r"\d[\d,.]*(?:e[-+]\d+)?(?=(?: ?(?:s|ms|us|µs|x)\b)|%)")


def default_scripts() -> dict[str, str]:
    """Each registered page's script as the page builds it by default, with its measurements made short (a budget of
    a few hundredths of a second, the loops' two smallest sizes, the compiled page's cheapest backend: inductor
    alone compiles for a minute on this machine)."""
    from core.autograd.reproduce import script as autograd
    from core.challenges.catalog import IDS
    from core.challenges.reproduce import script as challenge
    from core.compiled.reproduce import script as compiled
    from core.grad_modes.reproduce import script as grad_modes
    from core.home.reproduce import script as home
    from core.loops.reproduce import script as loops
    from core.pitfalls.mistakes import CASE_KEYS
    from core.pitfalls.reproduce import script as pitfalls
    from core.steps.reproduce import script as steps
    from core.train.loop import TrainConfig
    from core.train.reproduce import script as train

    settings, program = Settings(threads=1), parse_program(DEFAULT_PROGRAM)
    x = torch.tensor([float(v) for v in DEFAULT_X.split(",")])
    return {
        "home": home(settings),
        "steps": steps(program, DEFAULT_X, DEFAULT_N, settings, len(program.statements)),
        "autograd": autograd(program, DEFAULT_X, DEFAULT_N, settings, ("x",), "z", "sum"),
        "loops": loops(program, (10, 100), 0.02, settings, 10),
        "grad_modes": grad_modes(program, settings, 1000, 0, 0, 0, 0.01),
        "pitfalls": pitfalls(CASE_KEYS[0], x, settings),
        "compiled": compiled(program, DEFAULT_X, DEFAULT_N, settings, ("eager",), 0.02),
        "train": train(TrainConfig(), settings, 20),
        "challenges": challenge(IDS[0], solved=True),  # the others: tests/challenges/test_challenge_notebooks.py
    }


SCRIPTS = default_scripts()


def texts(lang: str) -> NotebookTexts:
    words = catalog(lang)
    return NotebookTexts(
        run_note=words["export.notebook_how"],
        settings=words["export.notebook_settings"],
        routines=words["export.notebook_routines"],
        run=words["export.notebook_run"],
    )


def page_notebook(name: str, lang: str = "en") -> str:
    words = catalog(lang)
    return notebook_of(
        SCRIPTS[name], title=words[f"page.{name}"], explanation_md=words[f"{name}.intro"], lang=lang, texts=texts(lang)
    )


def code_cells(notebook: str) -> list[str]:
    return [cell.source for cell in nbformat.reads(notebook, as_version=4).cells if cell.cell_type == "code"]


def same_program(a: str, b: str) -> bool:
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


def comparable(output: str) -> str:
    """Timings masked, spaces squeezed (columns fit their numbers); the rows of a table the profiler sorts by time
    (a run of indented lines) sorted."""
    lines, rows = [], []
    for line in re.sub(r"(?<=\S) +", " ", TIMING.sub("#", output)).splitlines():
        if line.startswith("    "):
            rows.append(line)
            continue
        lines += [*sorted(rows), line]
        rows = []
    return "\n".join([*lines, *sorted(rows)])


@pytest.fixture(scope="module")
def plain_outputs(tmp_path_factory):
    """What each script prints run as a file by `python -I` (started now, read when a test needs it)."""
    folder = tmp_path_factory.mktemp("plain")
    for name, script in SCRIPTS.items():
        (folder / f"{name}.py").write_text(script)
    runner = folder / "run_all.py"
    runner.write_text(
        "import contextlib, io, json, runpy, sys\n"
        "outputs = {}\n"
        "for name in sys.argv[1:]:\n"
        "    buffer = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buffer):\n"
        "        runpy.run_path(name + '.py', run_name='__main__')\n"
        "    outputs[name] = buffer.getvalue()\n"
        "with open('outputs.json', 'w') as fh:\n"
        "    json.dump(outputs, fh)\n"
    )
    process = subprocess.Popen([sys.executable, "-I", str(runner), *SCRIPTS], cwd=folder, stderr=subprocess.PIPE)
    cache: dict[str, str] = {}

    def output(name: str) -> str:
        if not cache:
            _, stderr = process.communicate(timeout=300)
            assert process.returncode == 0, stderr.decode()
            cache.update(json.loads((folder / "outputs.json").read_text()))
        return cache[name]

    yield output
    if process.poll() is None:
        process.kill()
        process.wait()


def test_every_registered_page_has_a_notebook_here():
    assert set(SCRIPTS) == {page.name for page in PAGES}


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_notebook_validates_runs_and_prints_what_the_script_prints(name, kernel, plain_outputs):
    notebook = page_notebook(name)
    nbformat.validate(nbformat.reads(notebook, as_version=4))
    printed = kernel(notebook)
    assert printed.strip() and comparable(printed) == comparable(plain_outputs(name))


@pytest.mark.parametrize("name", SCRIPT_VARIANTS)
def test_cells_are_top_level_blocks_of_the_script_in_order(name):
    """Every variant of every page's script (typed and random x, blocks, each case, each model): each cell is valid
    Python alone, and the cells in order are the script."""
    script = SCRIPT_VARIANTS[name]
    cells = code_cells(notebook_of(script, title="t", explanation_md="e", lang="en", texts=texts("en")))
    assert len(cells) >= 3 and cells[0].startswith('"""Eager Lab') and "import torch" in cells[0]
    assert all(ast.parse(cell).body for cell in cells)
    assert same_program("\n".join(cells), script)


def test_the_notebook_speaks_the_learners_language_around_the_code():
    document = nbformat.reads(page_notebook("autograd", "es"), as_version=4)
    markdown = [cell.source for cell in document.cells if cell.cell_type == "markdown"]
    es = catalog("es")
    assert (
        markdown[0] == f"# {es['page.autograd']}\n\n{es['autograd.intro']}" and markdown[1] == es["export.notebook_how"]
    )
    assert [f"## {es[f'export.notebook_{k}']}" for k in ("settings", "routines", "run")] == markdown[2:]
    assert document.metadata.eager_lab.lang == "es" and document.metadata.kernelspec.name == "python3"
    assert page_notebook("autograd", "es") == page_notebook("autograd", "es")  # same input, same file


def test_a_challenge_notebook_has_the_task_the_starting_code_and_a_check_that_fails_until_solved(kernel):
    from core.notebooks import challenge_notebook

    words = ChallengeTexts(run_note="Run all.", task="Task", your_code="Your code", check="Check")
    setup = SCRIPTS["home"].split("\n\n\nlesson_first_example")[0]  # a header and a routine, cut like a page's

    def notebook(starting_code: str) -> str:
        return challenge_notebook(
            title="Vectorize",
            task_md="Make `y` equal `x * 2` without a loop.",
            setup_code=setup,
            starting_code=starting_code,
            check_code="assert torch.equal(y, torch.arange(3.0) * 2)",
            lang="en",
            texts=words,
        )

    solved = notebook("x = torch.arange(3.0)\ny = x * 2")
    nbformat.validate(nbformat.reads(solved, as_version=4))
    headings = [c.source for c in nbformat.reads(solved, as_version=4).cells if c.cell_type == "markdown"]
    assert headings == [
        "# Vectorize\n\n## Task\n\nMake `y` equal `x * 2` without a loop.",
        "Run all.",
        "## Your code",
        "## Check",
    ]
    kernel(solved)
    with pytest.raises(Exception, match="AssertionError"):
        kernel(notebook("x = torch.arange(3.0)\ny = x + 2"))


@pytest.fixture
def downloads(monkeypatch):
    """The download buttons a page offers, by key: label, file name and data (a callable for a deferred one)."""
    offered: dict[str, tuple[str, str, object]] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        offered[kwargs["key"]] = (label, file_name, data)
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    return offered


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_page_offers_its_script_as_a_notebook_in_the_learners_language(make_app, downloads, kernel, lang):
    words = catalog(lang)
    at = make_app({"lang": lang}, page="steps")
    (expander,) = [e for e in at.expander if e.label == words["export.reproduce"]]
    (script,) = [c.value for c in expander.code]
    label, file_name, data = downloads["steps.notebook"]
    assert (label, file_name) == (words["export.notebook_download"], "eager_lab_steps.ipynb")
    assert downloads["steps.reproduce"][1] == "eager_lab_steps.py"
    notebook = data()  # built when the learner clicks
    document = nbformat.reads(notebook, as_version=4)
    nbformat.validate(document)
    assert document.cells[0].source == f"# Eager Lab: {words['page.steps']}\n\n{words['steps.intro']}"
    assert same_program("\n".join(code_cells(notebook)), script)
    if lang == "en":  # the page's own default script, run as a notebook, prints the cards the page shows
        printed = kernel(notebook)
        cards = [c.value for c in at.tabs[0].code if c.language == "text" and c.value.startswith("tensor(")]
        assert cards and all(card in printed for card in cards)
