"""Every page's URL round-trips: set the widgets, read the query string, open it in a new session, same widgets."""

from __future__ import annotations

import pytest

from pages.autograd.state import grad_toggle_key

WIDGET_KINDS = (
    "text_input", "text_area", "number_input", "selectbox", "multiselect", "radio", "toggle", "checkbox", "slider"
)  # fmt: skip


def widget_values(at) -> dict[str, object]:
    """Every keyed input widget on the page and in the sidebar, by key."""
    values = {}
    for kind in WIDGET_KINDS:
        for widget in at.get(kind):
            if widget.key:
                values[widget.key] = list(widget.value) if isinstance(widget.value, tuple) else widget.value
    return values


def home(at):
    at.selectbox(key="widget.dtype").set_value("float64").run()
    at.number_input(key="widget.seed").set_value(7).run()
    at.number_input(key="widget.threads").set_value(1).run()


def steps(at):
    at.text_input(key="widget.x").set_value("4, 5").run()
    at.text_area(key="widget.program").set_value("y = x * 3\nz = y - 1\nq = z * z").run()
    at.button(key="steps.reset").click().run()
    at.button(key="steps.step").click().run()
    at.slider(key="widget.scale").set_value(-2.5).run()


def steps_random(at):
    at.radio(key="widget.source").set_value("random").run()
    at.number_input(key="widget.n").set_value(64).run()
    at.selectbox(key="widget.lang").set_value("es").run()


def autograd(at):
    at.toggle(key=grad_toggle_key("w")).set_value(True).run()
    at.toggle(key=grad_toggle_key("x")).set_value(False).run()
    at.selectbox(key="widget.output").set_value("y").run()
    at.radio(key="widget.reduce").set_value("mean").run()
    at.button(key="autograd.run_backward").click().run()


def loops(at):
    at.multiselect(key="widget.sizes").set_value([10, 30]).run()
    at.text_input(key="widget.budget").set_value("0.1").run()
    at.number_input(key="widget.prof_n").set_value(20).run()


def grad_modes(at):
    at.radio(key="widget.workload").set_value("mlp").run()
    at.number_input(key="widget.width").set_value(32).run()
    at.number_input(key="widget.depth").set_value(2).run()
    at.number_input(key="widget.batch").set_value(16).run()


def pitfalls(at):
    at.radio(key="widget.case").set_value("accumulate").run()
    checklist = [box for box in at.checkbox if box.key]
    checklist[1].check().run()


CASES = [
    ("", {}, home),
    ("steps", {}, steps),
    ("steps", {}, steps_random),
    ("autograd", {"x": "1, 2", "program": "y = x * w\nz = y.sum()"}, autograd),
    ("loops", {"sizes": "10", "budget": "0.05"}, loops),
    ("grad-modes", {"size": "1000"}, grad_modes),
    ("pitfalls", {}, pitfalls),
]


@pytest.mark.parametrize(("page", "start", "change"), CASES, ids=[c[2].__name__ for c in CASES])
def test_the_url_brings_back_every_widget(make_app, page, start, change):
    at = make_app(start, page=page)
    before = widget_values(at)
    change(at)
    assert not at.exception
    changed = widget_values(at)
    assert changed != before  # the changes took
    query = dict(at.query_params)
    again = make_app(query, page=page)
    assert widget_values(again) == changed
    assert dict(again.query_params) == query
    # the copied link is that very query string
    (link,) = again.sidebar.code
    assert link.value.split("?", 1)[1] == (at.sidebar.code[0].value.split("?", 1)[1])
