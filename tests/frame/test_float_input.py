"""Decimal inputs (the loops budget, the training rate) write and read numbers as the learner's language does, while
the URL keeps the dot form; text they cannot use is refused in the learner's language and the last value is kept."""

import pytest

from core.loops.spec import SPEC as LOOPS
from core.spec import Refusal
from core.train.spec import SPEC as TRAIN
from dashboard.float_input import parse_in, refusal_message, shown

BUDGET = LOOPS.named("budget").kind
QUICK = {"sizes": "10", "budget": "0.5"}


def budget_input(at):
    return at.text_input(key="widget.budget")


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("es", "0,25", 0.25),
        ("es", " 0,5 ", 0.5),
        ("es", "0.25", 0.25),  # a plain dot where it cannot be a thousands separator
        ("es", "1,5e-1", 0.15),
        ("en", "0.25", 0.25),
        ("en", "1e-1", 0.1),
    ],
)
def test_text_is_read_as_the_language_writes_numbers(lang, text, value):
    assert parse_in(text, BUDGET, lang) == value


@pytest.mark.parametrize(
    ("lang", "text", "code"),
    [
        ("es", "abc", "invalid"),
        ("es", "", "invalid"),
        ("es", "nan", "invalid"),
        ("en", "0,5", "invalid"),  # a comma is English's thousands separator, never its decimal mark
        ("es", "1.500", "out_of_range"),  # Spanish for one thousand five hundred
        ("es", "5", "out_of_range"),
        ("en", "0.001", "out_of_range"),
        ("en", "1e400", "out_of_range"),
        ("en", "9" * 40, "invalid"),
    ],
)
def test_unusable_text_is_refused_with_its_reason(lang, text, code):
    with pytest.raises(Refusal) as refused:
        parse_in(text, BUDGET, lang)
    assert refused.value.code == code


def test_values_are_written_as_the_language_writes_them():
    written = [shown(0.5, "es"), shown(0.5, "en"), shown(0.0001, "es"), shown(0.03, "es")]
    assert written == ["0,5", "0.5", "0,0001", "0,03"]


def test_the_refusal_names_the_limits_and_the_value_kept_in_each_language():
    assert refusal_message("en", BUDGET, "abc", "invalid", 0.5) == (
        "`abc` is not a number: type a number from 0.05 to 2. Still using 0.5."
    )
    assert refusal_message("es", BUDGET, "5", "out_of_range", 0.5) == (
        "`5` está fuera de rango: escribe un número de 0,05 a 2. Se sigue usando 0,5."
    )


def test_spanish_shows_a_decimal_comma_and_english_a_dot(make_app):
    assert budget_input(make_app({**QUICK, "lang": "es"}, page="loops")).value == "0,5"
    assert budget_input(make_app(QUICK, page="loops")).value == "0.5"
    train = make_app({"lang": "es", "lr": "0.01"}, page="train")
    assert train.text_input(key="widget.lr").value == "0,01"
    assert make_app({"lang": "es"}, page="train").text_input(key="widget.lr").value == "0,03"


def test_typing_in_spanish_sets_the_value_and_the_url_keeps_its_dot(make_app):
    at = make_app({**QUICK, "lang": "es"}, page="loops")
    budget_input(at).set_value("0,25").run()
    assert not at.exception and not at.error
    assert at.query_params["budget"] == "0.25" and budget_input(at).value == "0,25"
    budget_input(at).set_value("0.3").run()  # a plain dot is taken too, and then written the Spanish way
    assert at.query_params["budget"] == "0.3" and budget_input(at).value == "0,3"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(("text", "code"), [("abc", "invalid"), ("5", "out_of_range")])
def test_unusable_text_shows_why_and_keeps_the_last_value(make_app, lang, text, code):
    at = make_app({**QUICK, "lang": lang}, page="loops")
    budget_input(at).set_value(text).run()
    assert not at.exception
    assert [e.value for e in at.error] == [refusal_message(lang, BUDGET, text, code, 0.5)]
    assert at.query_params["budget"] == "0.5" and budget_input(at).value == text  # what was typed stays to correct
    budget_input(at).set_value("0,2" if lang == "es" else "0.2").run()
    assert not at.error and at.query_params["budget"] == "0.2"


def test_a_link_sets_the_input_and_a_new_language_rewrites_it(make_app):
    at = make_app({**QUICK, "lang": "es"}, page="loops")
    at.query_params["budget"] = "0.1"  # an address edited, or a link followed, in the same session
    at.run()
    assert budget_input(at).value == "0,1"
    at.selectbox(key="widget.lang").set_value("en").run()
    assert budget_input(at).value == "0.1" and at.query_params["budget"] == "0.1"


def test_the_training_rate_is_typed_with_a_comma_in_spanish(make_app):
    at = make_app({"lang": "es"}, page="train")
    at.text_input(key="widget.lr").set_value("0,005").run()
    assert not at.exception and at.query_params["lr"] == "0.005"
    at.text_input(key="widget.lr").set_value("2").run()
    assert at.query_params["lr"] == "0.005"
    assert [e.value for e in at.error] == [refusal_message("es", TRAIN.named("lr").kind, "2", "out_of_range", 0.005)]
