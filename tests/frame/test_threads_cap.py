"""The threads setting through AppTest: never above the cores one worker has, and a link that asks for more is
told why (more threads than cores would time oversubscription), in the learner's language."""

from __future__ import annotations

import pytest

from core.shared_spec import SETTINGS, worker_threads
from dashboard.i18n import catalog


def _widget(at):
    return at.number_input(key="widget.threads")


@pytest.mark.parametrize(("lang", "word"), [("en", "oversubscription"), ("es", "sobresuscripción")])
def test_a_link_asking_for_more_threads_than_a_worker_has_cores_is_capped_and_says_why(make_app, lang, word):
    too_many = worker_threads() + 1
    at = make_app({"threads": str(too_many), "lang": lang})
    warning = " ".join(w.value for w in at.warning)
    assert f"threads=`{too_many}`" in warning and word in warning
    assert _widget(at).value == SETTINGS.named("threads").default <= worker_threads()
    assert at.query_params["threads"] == str(SETTINGS.named("threads").default)  # the link now says what is used


def test_the_sidebar_offers_no_more_threads_than_a_worker_has_cores(make_app):
    at = make_app({"threads": str(worker_threads())})
    assert _widget(at).value == worker_threads() and not at.warning
    assert _widget(at).proto.max == worker_threads()
    help_text = catalog("en")["settings.threads_help"].format(cores=worker_threads())
    assert _widget(at).proto.help == help_text
    _widget(at).increment().run()  # Streamlit keeps a widget within its max
    assert _widget(at).value == worker_threads() and at.query_params["threads"] == str(worker_threads())
