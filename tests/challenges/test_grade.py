"""Grading: each solution passes, each typical wrong answer fails with its feedback, values checked against PyTorch
computed here; printed text, programs outside the language and bombs never pass."""

import dataclasses
import pickle
from types import SimpleNamespace

import pytest
import torch

from core.challenges import catalog
from core.challenges.cases import inplace_analytic
from core.challenges.catalog import CHALLENGES, challenge_of
from core.challenges.grade import GradeRequest, grade, solution_request
from core.home.lesson import LESSON_CLAIM
from core.jobs import Job, execute
from dashboard.i18n import catalog as text_catalog

SLOW = {"vectorize-loop", "compile-branch", "train-spiral"}  # graded in their own tests, with small budgets
QUICK = [c.id for c in CHALLENGES if c.id not in SLOW]

# the typical wrong answer of each quick challenge, its switches, and the feedback it must get
WRONG = {
    "predict-lesson": (LESSON_CLAIM, (), "wrong_value"),
    "predict-mean": ("tensor([1., 2., 3., 6.])", (), "wrong_value"),
    "autograd-scalar": (catalog.LESSON_PROGRAM, ("x",), "backward_refused"),
    "autograd-leaf": ("y = x * w + b\nloss = y.sum()", (), "backward_refused"),
    "autograd-twice": ("y = x * 2 + 5\nloss = (y ** 2).sum()", ("x",), "backward_refused"),
    "autograd-inplace": ("b", (), "wrong_gradient"),
    "grad-modes-inference": (catalog.LESSON_PROGRAM, ("grad",), "saves_bytes"),
    "pitfall-zero-grad": ("9", (), "wrong_line"),
    "pitfall-eval-grad": ("4", (), "wrong_line"),
    "pitfall-dropout": ("6", (), "wrong_line"),
}


def _grade(challenge_id, answer, options=(), **kwargs):
    return grade(GradeRequest(challenge=challenge_id, answer=answer, options=options, **kwargs))


@pytest.mark.parametrize("challenge_id", QUICK)
def test_the_solution_passes(challenge_id):
    result = grade(solution_request(challenge_id))
    assert result.passed and result.feedback == "passed" and result.error_code is None
    assert result.challenge == challenge_id and result.check == f"challenges.check.{challenge_of(challenge_id).check}"


@pytest.mark.parametrize("challenge_id", QUICK)
def test_the_typical_wrong_answer_fails_with_its_feedback(challenge_id):
    answer, options, feedback = WRONG[challenge_id]
    result = _grade(challenge_id, answer, options)
    assert not result.passed and result.feedback == feedback


def test_the_lessons_claim_is_shown_beside_what_pytorch_prints_with_the_difference():
    result = _grade("predict-lesson", LESSON_CLAIM)
    z = (torch.tensor([1.0, 2.0, 3.0]) * 2 + 5) ** 2 - 10
    claim = torch.tensor([9.0, 47.0, 135.0])
    assert result.expected == str(z) and result.learner == str(claim) and result.difference == str(claim - z)
    assert result.max_abs_diff == (claim - z).abs().max().item()


def test_a_prediction_may_be_typed_as_plain_numbers_but_not_as_anything_else():
    assert _grade("predict-lesson", "39, 71, 111").passed
    refused = _grade("predict-lesson", "__import__('os')")
    assert refused.feedback == "bad_tensor" and refused.error_code == "value_not_number"
    assert _grade("predict-lesson", "tensor([39., 71.])").feedback == "wrong_shape"
    assert _grade("predict-lesson", "tensor([[39., 71., 111.]])").error_code == "values_nested"


def test_a_wrong_gradient_is_shown_beside_the_analytic_one():
    result = _grade("autograd-inplace", "b")
    x = torch.tensor([1.0, 2.0, 3.0])
    assert result.expected == str(inplace_analytic(x).float())
    assert _grade("autograd-inplace", "c").feedback == "backward_refused"


def test_a_leaf_left_out_has_no_gradient():
    result = _grade("autograd-leaf", "y = x * w + b\nloss = y.sum()", ("w",))
    assert result.feedback == "missing_gradient" and dict(result.error_params) == {"name": "b"}


def test_mean_instead_of_sum_gives_the_wrong_gradient():
    result = _grade("autograd-scalar", catalog.LESSON_PROGRAM + "\nloss = z.mean()", ("x",))
    assert result.feedback == "wrong_gradient"
    assert result.expected == str(4 * (2 * torch.tensor([1.0, 2.0, 3.0]) + 5))


def test_both_grad_modes_that_save_nothing_pass_and_the_ledger_is_the_judge():
    assert _grade("grad-modes-inference", catalog.LESSON_PROGRAM, ("no_grad",)).saved_bytes == 0
    tracked = _grade("grad-modes-inference", catalog.LESSON_PROGRAM, ("grad",))
    assert tracked.saved_bytes == 1_000 * 4  # y ** 2 saves y: n float32 values
    changed = _grade("grad-modes-inference", "y = x * 2 + 5\nz = y ** 2", ("no_grad",))
    assert changed.feedback == "wrong_value"


@pytest.mark.parametrize(
    ("challenge_id", "answer"),
    [
        ("autograd-scalar", "tensor([ 39.,  71., 111.])"),  # what print(z) writes, as a program
        ("autograd-scalar", "loss = torch.tensor(1.0)"),
        ("grad-modes-inference", 'z = "tensor([ 39.,  71., 111.])"'),
    ],
)
def test_printed_text_is_no_answer(challenge_id, answer):
    result = _grade(challenge_id, answer, challenge_of(challenge_id).solution_options)
    assert not result.passed and result.feedback == "refused" and result.error_code


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("import os", "not_assignment"),
        ("y = x.__class__", "forbidden"),
        ("y = open('/etc/passwd')", "forbidden_call"),
        ("y = x.exp()\nloss = y.backward()", "unknown_function"),
    ],
)
def test_a_program_outside_the_language_is_refused_with_its_code(answer, code):
    result = _grade("autograd-scalar", answer, ("x",))
    assert not result.passed and result.feedback == "refused" and result.error_code == code


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ("y = x\nfor i in range(16):\n    for j in range(16):\n        y = y * 2\nloss = y.sum()", "too_many_executed"),
        ("y = x ** 1000\nloss = y.sum()", "exponent_too_large"),
        ("y = x * 100000000000\nloss = y.sum()", "constant_too_large"),
        ("y = x\n" * 20 + "loss = y.sum()", "too_many_statements"),
    ],
)
def test_a_bomb_ends_in_the_usual_limit_error(answer, code):
    result = _grade("autograd-scalar", answer, ("x",))
    assert not result.passed and result.error_code == code


def test_a_program_that_pytorch_refuses_fails_with_its_line():
    result = _grade("autograd-scalar", "y = x @ x.sum(dim=0, keepdim=True)\nloss = y.sum()", ("x",))
    assert result.feedback == "failed" and result.error_code == "runtime" and result.error_line == 1


def test_grading_is_a_job_of_plain_picklable_data():
    request = solution_request("autograd-twice")
    result = execute(Job(routine=grade, args=(pickle.loads(pickle.dumps(request)),))).value
    assert pickle.loads(pickle.dumps(result)) == result and result.passed
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.passed = False  # type: ignore[misc]


def test_an_option_the_challenge_does_not_offer_is_refused():
    with pytest.raises(ValueError, match="not offered"):
        _grade("predict-lesson", "39, 71, 111", ("retain_graph",))


# --- vectorize: equality first (no timing), then the speedup, measured honestly --------------------------------


def _fake_measure(medians, noisy=False):
    """A swappable timer: the loop's median first, then the vectorized one, in turn."""
    calls = []

    def measure(fn, **_):
        calls.append(fn)
        return SimpleNamespace(median=medians[(len(calls) - 1) % 2], noisy=noisy)

    return measure, calls


def test_vectorize_solution_passes_measured_for_real():
    result = grade(solution_request("vectorize-loop", budget_s=0.02))
    assert result.passed and result.speedup >= 100
    assert dict(result.check_params)["n"] == "100000"


def test_vectorize_checks_equality_on_hidden_inputs_before_timing():
    measure, calls = _fake_measure((1.0, 1.0))
    result = grade(GradeRequest(challenge="vectorize-loop", answer="y = x * 2 + 5.5"), measure_fn=measure)
    assert result.feedback == "wrong_value" and result.failed_on == "shown" and calls == []
    result = grade(GradeRequest(challenge="vectorize-loop", answer="y = torch.abs(x) * 2 + 5"), measure_fn=measure)
    assert result.feedback == "wrong_value" and calls == []


def test_a_noisy_measurement_is_measured_again_and_never_graded():
    measure, calls = _fake_measure((1.0, 1e-9), noisy=True)
    result = grade(solution_request("vectorize-loop"), measure_fn=measure)
    assert not result.passed and result.noisy and result.feedback == "noisy" and len(calls) == 2 * 3


def test_equal_but_not_100_times_faster_fails():
    # the loop measured at 1,000 elements: 1 ms, so 100 ms at 10^5; the program 10 ms: 10x
    measure, _ = _fake_measure((1e-3, 1e-2))
    result = grade(solution_request("vectorize-loop"), measure_fn=measure)
    assert result.feedback == "too_slow" and result.speedup == pytest.approx(10)


# --- compile: one graph, exported, equal to eager on every x ------------------------------------------------------


def test_compile_solution_passes_and_the_branch_breaks_the_graph_at_its_line():
    assert grade(solution_request("compile-branch")).passed
    result = _grade("compile-branch", catalog.BRANCH_PROGRAM)
    assert result.feedback == "graph_break" and [line for line, _ in result.graph_breaks] == [2]


def test_a_rewrite_that_only_fits_the_shown_x_fails_on_a_hidden_one():
    result = _grade("compile-branch", "y = x * 2 + 5\nz = y ** 2")
    assert result.feedback == "wrong_value" and result.failed_on == "hidden" and result.learner == ""


# --- train: the seeded trainer is the judge -----------------------------------------------------------------------


def test_train_solution_reaches_the_accuracy_within_the_steps():
    result = grade(solution_request("train-spiral"))
    assert result.passed and result.accuracy >= 0.95 and result.steps <= 1000


def test_a_linear_forward_stays_below_the_accuracy(monkeypatch):
    short = dataclasses.replace(
        challenge_of("train-spiral"), params=(*challenge_of("train-spiral").params, ("steps", 100))
    )
    monkeypatch.setitem(catalog.BY_ID, "train-spiral", short)
    result = _grade("train-spiral", catalog.TRAIN_START)
    assert result.feedback == "low_accuracy" and result.accuracy < 0.95 and result.steps == 100


def test_a_forward_of_the_wrong_shape_fails_with_pytorchs_reason():
    result = _grade("train-spiral", "out = x @ W1")
    assert result.feedback == "failed" and result.error_code == "runtime"


def test_a_forward_pytorch_cannot_train_fails_in_pytorchs_words_without_a_traceback():
    result = _grade("train-spiral", "h = x @ W1 + b1\nout = h @ W2 + b2 > 0")
    assert result.feedback == "failed" and result.error_code == "runtime" and "Traceback" not in result.detail


def test_a_refused_size_reaches_the_page_as_the_usual_limit_sentence(monkeypatch):
    """A size past the worker's limit is graded "failed" with its figures kept, so the page can say the usual
    sentence with both sizes in the learner's language."""
    from core.challenges import checks
    from core.limits import SizeLimitError
    from dashboard.messages import error_message
    from pages.challenges.views import _problem

    ES = text_catalog("es")

    def too_large(*_):
        raise SizeLimitError(8 * 1024**3, 600 * 1024**2, "cpu")

    monkeypatch.setattr(checks, "check_predict", too_large)
    result = grade(GradeRequest(challenge="predict-lesson", answer="tensor([39., 71., 111.])", dtype="float32"))
    assert not result.passed and result.error_code == "size_limit"
    problem = _problem(result)
    assert isinstance(problem, SizeLimitError)
    assert (problem.requested_bytes, problem.allowed_bytes, problem.device) == (8 * 1024**3, 600 * 1024**2, "cpu")
    spanish = error_message("es", problem)
    assert spanish.startswith(ES["limits.too_large"].split("{")[0]) and "8" in spanish and "600" in spanish
