"""Every challenge taken home: its notebook validates and runs headless in plain PyTorch on the CPU; with the
challenge's solution as the learner's code its check passes, with the starting code it fails.

One kernel serves the whole module (tests/conftest.py's `kernel`), each notebook run after `%reset -f`. The costly
cells run once each way: train-spiral's 1,000 steps only for the starting code (the solution reaches 95 % at step
100), vectorize's timing only for the solution (the starting code fails on the values first).
"""

from __future__ import annotations

import ast

import nbformat
import pytest
import torch
from nbclient.exceptions import CellExecutionError

from core.challenges.catalog import BY_ID, IDS, challenge_of
from core.challenges.reproduce import cells, script
from core.script_parts import challenges as parts
from core.tensors import program_inputs, random_input
from dashboard.i18n import catalog
from pages.challenges.notebook import notebook_in

# the starting code of these makes backward() fail in the learner's own cell: PyTorch's refusal is the lesson
REFUSED_IN_THE_LEARNERS_CELL = {
    "autograd-scalar": "grad can be implicitly created only for scalar outputs",
    "autograd-leaf": "does not require grad",
    "autograd-twice": "backward through the graph a second time",
}


def solved_notebook(challenge_id: str) -> str:
    """The page's notebook, the challenge's solution in place of its starting code."""
    download = notebook_in(challenge_of(challenge_id), "en")
    setup, starting, check = cells(challenge_id, solved=True)
    assert (download.keywords["setup_code"], download.keywords["check_code"]) == (setup, check)
    return download(starting_code=starting)


def test_a_notebook_per_challenge_in_the_learners_language():
    challenge = challenge_of("vectorize-loop")
    for lang in ("en", "es"):
        document = nbformat.reads(notebook_in(challenge, lang)(), as_version=4)
        nbformat.validate(document)
        words = catalog(lang)
        assert document.cells[0].source.startswith(f"# Eager Lab: {words[challenge.title]}\n")
        assert words[challenge.task] in document.cells[0].source and document.metadata.eager_lab.lang == lang


@pytest.mark.parametrize("challenge_id", IDS)
def test_the_cells_are_python_and_the_script_is_the_cells_in_order(challenge_id):
    """Each cell parses alone; the script runs them in order; hidden inputs never reach the learner."""
    for solved in (False, True):
        setup, starting, check = cells(challenge_id, solved=solved)
        assert all(ast.parse(cell).body for cell in (setup, starting, check))
        joined = script(challenge_id, solved=solved)
        assert ast.dump(ast.parse(joined)) == ast.dump(ast.parse("\n".join((setup, starting, check))))
        for values in BY_ID[challenge_id].hidden:
            assert f"[{', '.join(repr(float(v)) for v in values)}]" not in joined


@pytest.mark.parametrize("challenge_id", IDS)
def test_the_notebook_validates_and_its_check_passes_with_the_solution_and_fails_with_the_start(challenge_id, kernel):
    starting = notebook_in(challenge_of(challenge_id), "en")()
    nbformat.validate(nbformat.reads(starting, as_version=4))
    solved = solved_notebook(challenge_id)
    nbformat.validate(nbformat.reads(solved, as_version=4))
    kernel(solved)  # raises on any cell's error
    _, start_code, check = cells(challenge_id)
    with pytest.raises(CellExecutionError) as failed:
        kernel(starting)
    if challenge_id in REFUSED_IN_THE_LEARNERS_CELL:
        assert failed.value.ename == "RuntimeError" and start_code.splitlines()[-1] in str(failed.value)
        assert REFUSED_IN_THE_LEARNERS_CELL[challenge_id] in failed.value.evalue
    else:
        assert failed.value.ename == "AssertionError" and check.splitlines()[-1] in str(failed.value)


def test_the_notebooks_inputs_are_the_graders():
    x = torch.tensor([1.0, 2.0, 3.0])
    drawn = parts.drawn_inputs(x, 0)
    graders = program_inputs(("x", "w", "b"), x, 0)
    assert drawn.keys() == graders.keys() and all(torch.equal(drawn[k], graders[k]) for k in drawn)
    assert torch.equal(parts.seeded_x(1_000, 7), random_input(1_000, "float32", "cpu", 7))


def test_the_notebooks_trainer_is_the_graders_step_for_step():
    """The solution on the grader's spiral: the notebook's trainer reaches the goal at the grader's step, with its
    accuracy."""
    from core.challenges.measured import check_accuracy
    from core.train.datasets import DEFAULT_POINTS, DEFAULT_TEST, make_dataset
    from core.train.loop import DEFAULT_LR

    challenge = challenge_of("train-spiral")
    verdict = check_accuracy(challenge, challenge.solution, "float32")
    seed, goal = challenge.seeds[0], challenge.param("accuracy")
    data = make_dataset("spiral", DEFAULT_POINTS, int(challenge.param("noise")), DEFAULT_TEST, seed)

    def forward(x, W1, b1, W2, b2):  # noqa: N803 - the challenge's names
        h = torch.sin(x @ W1 * 10 + b1 * 3)
        return h @ W2 + b2

    model = parts.ForwardModel(forward, 2, int(challenge.param("width")), seed)
    splits = (data.x_train, data.y_train, data.x_test, data.y_test)
    steps = (int(challenge.param("steps")), int(challenge.param("every")))
    reached, accuracy = parts.train_until(model, splits, goal, steps, int(challenge.param("batch")), seed, DEFAULT_LR)
    assert verdict.passed and (reached, accuracy) == (verdict.steps, verdict.accuracy)
