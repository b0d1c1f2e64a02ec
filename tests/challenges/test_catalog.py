"""The catalog: enough challenges on every topic, url-safe ids, texts in both languages, the lesson's example first."""

import dataclasses
import json
import re

import pytest
import torch

from core.challenges.catalog import CHALLENGES, IDS, TOPICS, Challenge, challenge_of
from core.challenges.checks import PITFALL_LOOPS, bug_line
from core.challenges.result import FEEDBACKS
from core.challenges.shown import shown_code
from core.home.lesson import LESSON_CODE
from tests.conftest import ROOT

CATALOGS = {lang: json.loads((ROOT / "dashboard" / "locales" / f"{lang}.json").read_text()) for lang in ("en", "es")}


def test_at_least_twelve_challenges_cover_every_topic():
    assert len(CHALLENGES) >= 12
    assert {c.topic for c in CHALLENGES} == set(TOPICS)
    assert len(set(IDS)) == len(IDS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in IDS)


def test_challenges_are_frozen_keyword_only_records():
    challenge = CHALLENGES[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        challenge.id = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Challenge("x")  # type: ignore[misc]


def test_the_lessons_own_example_comes_first_and_its_claim_is_what_pytorch_disproves():
    first = CHALLENGES[0]
    assert first.topic == "predict"
    for statement in first.start.splitlines():
        assert statement in LESSON_CODE
    x = torch.tensor(first.inputs[0])
    assert str((x * 2 + 5) ** 2 - 10) == first.solution  # what print(z) writes, computed here
    assert "tensor([9., 47., 135.])" in LESSON_CODE and first.solution != "tensor([9., 47., 135.])"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_text_of_every_challenge_is_in_both_catalogs(lang):
    catalog = CATALOGS[lang]
    missing = [c.id for c in CHALLENGES for key in (c.title, c.task, *c.hints) if key not in catalog]
    missing += [c.check for c in CHALLENGES if f"challenges.check.{c.check}" not in catalog]
    missing += [f for f in FEEDBACKS if f"challenges.feedback.{f}" not in catalog]
    missing += [t for t in TOPICS if f"challenges.topic.{t}" not in catalog]
    assert missing == []


def test_the_spanish_texts_are_translated():
    en, es = CATALOGS["en"], CATALOGS["es"]
    same = [k for k in en if k.startswith("challenges.") and ".task" in k and en[k] == es[k]]
    assert same == []


@pytest.mark.parametrize("challenge_id", sorted(PITFALL_LOOPS))
def test_a_pitfalls_solution_is_the_line_where_its_loop_differs_from_the_fix(challenge_id):
    assert challenge_of(challenge_id).solution == str(bug_line(challenge_id))


@pytest.mark.parametrize("challenge_id", sorted(PITFALL_LOOPS))
def test_the_shown_loop_has_the_bug_at_the_solutions_line_and_runs_in_plain_pytorch(challenge_id):
    code = shown_code(challenge_id)["broken"]
    line = code.splitlines()[int(challenge_of(challenge_id).solution) - 1]
    assert line.strip() and not line.startswith("def ")
    namespace = {}
    exec(compile("import torch\n" + code, "<shown>", "exec"), namespace)  # noqa: S102 - our own code, as a notebook runs it
    broken, _ = PITFALL_LOOPS[challenge_id]
    assert namespace[broken.__name__]() == broken()


def test_the_in_place_challenge_shows_the_broken_code_and_each_fix():
    assert set(shown_code("autograd-inplace")) == {"broken", "a", "b", "c"}
    assert shown_code("predict-lesson") == {}
