"""The entry script through AppTest: every page runs, and the global settings follow the URL both ways."""

import pytest
import torch

from core.home.lesson import run_lesson_example
from core.shared_spec import SETTINGS
from dashboard.i18n import catalog, translate_plain
from dashboard.registry import PAGES
from tests.conftest import page_path


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.name)
def test_every_registered_page_runs_without_exception(make_app, spec, lang):
    at = make_app({"lang": lang}, page=spec.url_path)
    assert at.title[0].value == catalog(lang)[f"{spec.name}.title"]


def test_home_shows_the_example_output_computed_by_pytorch(make_app):
    at = make_app()
    x = torch.tensor([1.0, 2.0, 3.0])
    assert str((x * 2 + 5) ** 2 - 10) in [c.value for c in at.code]
    assert run_lesson_example() == str((x * 2 + 5) ** 2 - 10)
    # and every other registered page is linked
    assert len(at.get("page_link")) == len(PAGES) - 1


def test_settings_come_from_the_url(make_app):
    at = make_app({"lang": "es", "device": "cpu", "dtype": "float64", "seed": "7", "threads": "1", "presenter": "1"})
    assert at.selectbox(key="widget.lang").value == "es"
    assert at.selectbox(key="widget.dtype").value == "float64"
    assert at.number_input(key="widget.seed").value == 7
    assert at.number_input(key="widget.threads").value == 1
    assert at.toggle(key="widget.presenter").value is True
    assert str(torch.tensor([39.0, 71.0, 111.0], dtype=torch.float64)) in [c.value for c in at.code]
    assert at.title[0].value == catalog("es")["home.title"]
    assert not at.warning


def test_changing_a_widget_updates_the_url(make_app):
    at = make_app()
    at.selectbox(key="widget.dtype").set_value("float64").run()
    at.number_input(key="widget.seed").set_value(42).run()
    at.selectbox(key="widget.lang").set_value("es").run()
    assert at.query_params["dtype"] == "float64"
    assert at.query_params["seed"] == "42"
    assert at.query_params["lang"] == "es"
    assert at.title[0].value == catalog("es")["home.title"]


def test_garbage_query_parameters_fall_back_with_a_visible_notice(make_app):
    garbage = {
        "lang": "klingon",
        "device": "cuda" if not torch.cuda.is_available() else "tpu",
        "dtype": "int8",
        "seed": "-5",
        "threads": "<script>",
        "presenter": "maybe",
        "unknown": "x",
    }
    at = make_app(garbage)
    assert at.selectbox(key="widget.lang").value == "en"
    assert at.selectbox(key="widget.device").value == "cpu"
    assert at.selectbox(key="widget.dtype").value == "float32"
    assert at.number_input(key="widget.seed").value == 0
    assert at.number_input(key="widget.threads").value == SETTINGS.named("threads").default
    warning = at.warning[0].value
    for name in ("lang", "device", "dtype", "seed", "threads", "presenter"):
        assert f"{name}=" in warning or name == "device"
    assert "threads=`<script>`" in warning  # an inline code span: shown literally, never as HTML
    assert at.query_params["dtype"] == "float32" and at.query_params["lang"] == "en"


def test_an_echoed_url_value_is_inert_and_on_one_line(make_app):
    """Markdown in a link's value (a bare domain, blank lines, an indented block) must not become a link or a block."""
    at = make_app({"lang": "see www.evil.example now\n\n    indented `code`"})
    (warning,) = [w.value for w in at.warning]
    assert "lang=`see www.evil.example now indented 'code'`" in warning
    assert "\n" not in warning


def test_an_unavailable_device_says_why(make_app):
    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    at = make_app({"device": "cuda"})
    assert "cuda" in at.warning[0].value
    reasons = [c.value for c in at.sidebar.caption]
    reason_code = "not_built" if not torch.backends.cuda.is_built() else "no_hardware"
    assert translate_plain("en", f"device.reason.{reason_code}", device="CUDA") in reasons


def test_the_notice_goes_once_the_learner_changes_that_setting(make_app):
    at = make_app({"dtype": "int8"})
    assert at.warning
    at.selectbox(key="widget.dtype").set_value("float16").run()
    assert not at.warning


def test_the_language_follows_the_browser_locale_unless_the_url_says(make_app):
    assert make_app(locale="es-AR").title[0].value == catalog("es")["home.title"]
    assert make_app({"lang": "en"}, locale="es-AR").title[0].value == catalog("en")["home.title"]
    assert make_app(locale="de-DE").title[0].value == catalog("en")["home.title"]


def test_navigating_between_pages_keeps_the_settings(make_app):
    at = make_app()
    at.selectbox(key="widget.lang").set_value("es").run()
    at.selectbox(key="widget.dtype").set_value("float64").run()
    at.switch_page(page_path("steps")).run()
    assert at.title[0].value == catalog("es")["steps.title"]
    assert at.selectbox(key="widget.dtype").value == "float64"
    assert at.query_params["lang"] == "es" and at.query_params["dtype"] == "float64"
    at.switch_page(page_path("")).run()
    assert at.title[0].value == catalog("es")["home.title"]


def test_presenter_mode_loads_the_static_stylesheet(make_app):
    plain = [html.proto.body for html in make_app().get("html")]
    assert not [body for body in plain if "stMainBlockContainer" in body]
    assert [body for body in plain if ":focus-visible" in body]  # the accessible sheet: in every mode
    presenting = [html.proto.body for html in make_app({"presenter": "1"}).get("html")]
    assert len([body for body in presenting if "stMainBlockContainer" in body]) == 1


def test_the_page_script_sets_the_documents_language_to_the_learners(make_app):
    bodies = [html.proto.body for html in make_app({"lang": "es"}).get("html")]
    assert [body for body in bodies if 'document.documentElement.lang = "es"' in body]


def test_a_link_followed_later_in_the_session_wins_over_the_session_state(make_app):
    at = make_app({"dtype": "float32"})
    at.selectbox(key="widget.dtype").set_value("float16").run()
    assert at.query_params["dtype"] == "float16"
    at.query_params["dtype"] = "float64"  # the address changes: a bookmark, a page link with parameters
    at.run()
    assert at.selectbox(key="widget.dtype").value == "float64"
    at.query_params["seed"] = "-1"
    at.run()
    assert "seed=`-1`" in at.warning[0].value and at.number_input(key="widget.seed").value == 0


def test_home_shows_the_lessons_code_and_says_its_printed_line_is_wrong(make_app):
    from core.home.lesson import LESSON_CLAIM, LESSON_CODE

    for lang in ("en", "es"):
        at = make_app({"lang": lang})
        codes = [c.value for c in at.code]
        assert LESSON_CODE in codes  # as the lesson writes it, its "# Salida:" comment included
        truth = str((torch.tensor([1.0, 2.0, 3.0]) * 2 + 5) ** 2 - 10)
        assert truth in codes and truth != LESSON_CLAIM
        (box,) = [i.value for i in at.info if LESSON_CLAIM in i.value]
        assert box == catalog(lang)["home.example.claim_wrong"].format(claimed=LESSON_CLAIM)
