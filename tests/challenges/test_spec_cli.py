"""The page's state (the teacher's set in order, what is solved, the challenge shown) and the CLI's JSON report."""

import argparse
import json

import pytest

from core.challenges.catalog import IDS
from core.challenges.cli import CLI_PARAMS, grade_cli, report
from core.challenges.spec import SPEC, ChallengesState
from core.home.lesson import LESSON_CLAIM
from core.program import parse_program
from core.settings import Settings
from core.spec import Refusal


def test_the_state_defaults_to_every_challenge_in_catalog_order():
    state = SPEC.defaults()
    assert isinstance(state, ChallengesState)
    assert state.set == IDS and state.solved == () and state.challenge == IDS[0]


def test_a_teachers_set_keeps_its_order_and_refuses_repeats_and_unknown_ids():
    chosen = SPEC.named("set")
    assert chosen.parse("pitfall-dropout, predict-lesson") == ("pitfall-dropout", "predict-lesson")
    for raw in ("predict-lesson,predict-lesson", "no-such-challenge"):
        with pytest.raises(Refusal):
            chosen.parse(raw)
    assert SPEC.named("solved").parse("pitfall-dropout,predict-lesson") == ("predict-lesson", "pitfall-dropout")
    assert chosen.to_text(("b-id", "a-id")) == "b-id,a-id"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_grade_cli_reports_what_was_checked_and_the_values_as_json(lang):
    failed = grade_cli("predict-lesson", LESSON_CLAIM, lang)
    assert json.loads(json.dumps(failed)) == failed
    assert failed["passed"] is False and failed["checked"]["key"] == "challenges.check.predict"
    assert failed["learner"] == "tensor([  9.,  47., 135.])" and failed["expected"] == "tensor([ 39.,  71., 111.])"
    assert "30" in failed["feedback_text"] and "{" not in failed["feedback_text"]
    passed = grade_cli("autograd-leaf", "y = x * w + b\nloss = y.sum()", lang, ("w", "b"))
    assert passed["passed"] is True and passed["error"] is None


def test_grade_cli_names_a_refused_program_by_its_code():
    result = grade_cli("compile-branch", "import os")
    assert result["passed"] is False and result["error"] == {"code": "not_assignment", "line": 1, "params": {}}


def test_the_sub_commands_report_grades_the_program_or_the_answer():
    state = SPEC.build({"set": IDS, "solved": (), "challenge": "predict-mean"})
    args = argparse.Namespace(state=state, answer="4, 1, 0, 9", options=())
    page, result = report(args, Settings(), parse_program("y = x"), None)
    assert page == {"challenge": "predict-mean"} and result["passed"] is True
    assert {p.name for p in CLI_PARAMS} == {"answer", "options"}
