"""The pitfalls page through AppTest: every case opens from the URL, links carry parameters, ticks are kept."""

import pytest

from core.cases import source_of
from core.pitfalls.mistakes import CASE_KEYS, PITFALLS
from dashboard.i18n import catalog

EN = catalog("en")


@pytest.mark.parametrize("key", CASE_KEYS)
def test_every_case_opens_from_the_case_parameter(make_app, key):
    at = make_app({"case": key}, page="pitfalls")
    assert at.radio(key="widget.case").value == key
    assert at.header[0].value == EN[f"pitfalls.case.{key}.title"]  # an h2 under the title (heading order)
    if key != "sync_timing":
        codes = [c.value for c in at.code]
        assert codes[0].startswith("def ") and any(c.startswith("def ") and "_fixed(x)" in c for c in codes)


def test_a_case_links_to_its_page_with_its_parameters(make_app):
    at = make_app({"case": "forgot_requires_grad"}, page="pitfalls")
    links = at.get("page_link")
    case_link = links[0].proto
    assert case_link.page.endswith("autograd") or "autograd" in case_link.page
    assert case_link.query_string == "grad=&backward=1"


def test_checklist_ticks_are_kept_in_the_session_and_the_url(make_app):
    at = make_app(page="pitfalls")
    at.checkbox(key="pitfalls.done.vectorize").check().run()
    at.checkbox(key="pitfalls.done.no_grad").check().run()
    assert at.query_params["done"] == "vectorize,no_grad"
    assert "2 of 5" in at.get("progress")[-1].proto.text
    at.checkbox(key="pitfalls.done.vectorize").uncheck().run()
    assert at.query_params["done"] == "no_grad"


def test_a_checklist_item_opens_its_case(make_app):
    at = make_app(page="pitfalls")
    at.button(key="pitfalls.show.requires_grad").click().run()
    assert at.radio(key="widget.case").value == "forgot_requires_grad"
    assert at.query_params["case"] == "forgot_requires_grad"
    # and opens it over the checklist too (a dialog), where the reader is: its mistake and fix, once more
    codes = [c.value for c in at.code]
    broken = next(c for c in codes if c.startswith("def "))
    assert codes.count(broken) == 2
    at.run()  # the dialog opens on the press only
    assert [c.value for c in at.code].count(broken) == 1


def test_the_loop_case_shows_both_times_and_the_speedup(make_app):
    at = make_app({"case": "unnecessary_loop"}, page="pitfalls")
    labels = [m.label for m in at.metric]
    assert labels == [EN["pitfalls.loop_time"], EN["pitfalls.vectorized_time"], EN["pitfalls.speedup"]]
    assert float(at.metric[2].value.rstrip("×").replace(",", "")) > 10


def test_bad_case_and_ticks_in_the_url_fall_back(make_app):
    at = make_app({"case": "<script>", "done": "everything"}, page="pitfalls")
    assert at.radio(key="widget.case").value == PITFALLS[0].key
    warning = at.warning[0].value
    assert "case=`<script>`" in warning and "done=`everything`" in warning


def test_forgot_requires_grad_shows_the_silent_wrong_result_too(make_app):
    import torch

    from core.pitfalls.mistakes import requires_grad_forgotten_on_one_parameter

    at = make_app({"case": "forgot_requires_grad", "x": "1, 2, 3"}, page="pitfalls")
    assert EN["pitfalls.case.forgot_requires_grad.also"] in [m.value for m in at.markdown]
    codes = [c.value for c in at.code]
    assert source_of(requires_grad_forgotten_on_one_parameter) in codes
    assert f"w.grad: {torch.tensor([1.0, 2.0, 3.0])}\nb.grad: None" in codes
