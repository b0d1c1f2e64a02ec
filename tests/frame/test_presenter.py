"""Presenter mode: every page runs with it on and off; controls fold away, the transport comes first, text grows."""

from __future__ import annotations

import json

import pytest

from dashboard.i18n import catalog
from dashboard.registry import PAGES
from pages.steps import state as steps_state

EN = catalog("en")
QUICK = {"loops": {"sizes": "10", "budget": "0.05"}, "grad-modes": {"size": "1000"}}
# the pages whose inputs fold into a "Controls" expander while presenting
WITH_CONTROLS = {"steps", "autograd", "loops", "grad-modes", "compiled", "train", "challenges"}


def walk(node):
    """Every node under `node`, in page order."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def position(at, predicate) -> int:
    return next(i for i, node in enumerate(walk(at.main)) if predicate(node))


@pytest.mark.parametrize("presenter", ["0", "1"])
@pytest.mark.parametrize("page", [p.url_path for p in PAGES])
def test_every_page_runs_with_presenter_on_and_off(make_app, page, presenter):
    at = make_app({"presenter": presenter, **QUICK.get(page, {})}, page=page)
    assert not at.exception
    assert at.toggle(key="widget.presenter").value is (presenter == "1")
    # the seed is locked while presenting: the demo shows the same numbers every time
    assert at.number_input(key="widget.seed").disabled is (presenter == "1")
    (link,) = at.sidebar.code
    assert f"presenter={presenter}" in link.value
    folded = [e for e in at.expander if e.label == EN["presenter.controls"]]
    assert bool(folded) is (presenter == "1" and page in WITH_CONTROLS)


def test_presenting_folds_the_editor_and_puts_the_transport_first(make_app):
    at = make_app({"presenter": "1"}, page="steps")
    (controls,) = [e for e in at.expander if e.label == EN["presenter.controls"]]
    assert controls.text_area(key="widget.program").value == at.query_params["program"]
    step = position(at, lambda n: getattr(n, "key", None) == "steps.step")
    editor = position(at, lambda n: getattr(n, "key", None) == "widget.program")
    intro = position(at, lambda n: getattr(n, "value", None) == EN["steps.intro"])
    assert step < intro < editor

    at = make_app({"presenter": "0"}, page="steps")
    step = position(at, lambda n: getattr(n, "key", None) == "steps.step")
    editor = position(at, lambda n: getattr(n, "key", None) == "widget.program")
    assert editor < step


def test_presenting_enlarges_charts(make_app):
    on = make_app({"presenter": "1", "n": "5000", "step": "12"}, page="steps")
    off = make_app({"presenter": "0", "n": "5000", "step": "12"}, page="steps")
    for shown, plain in zip(on.get("plotly_chart"), off.get("plotly_chart"), strict=True):
        big, small = json.loads(shown.proto.spec)["layout"], json.loads(plain.proto.spec)["layout"]
        assert big["font"]["size"] == 20 and small.get("font", {}).get("size") != 20
        assert big["height"] >= 560 and big["height"] > small.get("height", 0)
        # Streamlit's theme sizes ticks, legend and axis titles itself (11-12 px): each is set by name
        for axis in ("xaxis", "yaxis"):
            assert big[axis]["tickfont"]["size"] == 20 and big[axis]["title"]["font"]["size"] == 20
        assert big["legend"]["font"]["size"] == 20


def test_presenting_shows_tables_as_html_tables_the_stylesheet_enlarges(make_app):
    on = make_app({"presenter": "1", "backward": "1"}, page="autograd")
    off = make_app({"presenter": "0", "backward": "1"}, page="autograd")
    # the flags and backward's visits: a data grid draws on a canvas no stylesheet reaches
    assert len(on.table) == 2 and not on.dataframe
    # not presenting, the visits are a grid; the flags a plain table always, each value read whole
    assert len(off.table) == 1 and len(off.dataframe) == 1
    assert list(on.table[0].value.iloc[:, 0]) == list(off.table[0].value.iloc[:, 0]) == ["x", "y", "z"]
    assert list(on.table[1].value.iloc[:, 1]) == list(off.dataframe[0].value.iloc[:, 1])


def test_presenting_opens_the_steps_at_the_start_unless_the_link_says_otherwise(make_app):
    at = make_app({"presenter": "1"}, page="steps")
    assert at.query_params["step"] == "0" and not at.button(key="steps.step").disabled
    assert at.info[0].value == EN["steps.nothing_ran"]
    at.button(key="steps.step").click().run()
    assert at.query_params["step"] == "1"
    # the value just computed, right under the transport: before the introduction and the editor
    just_ran = position(at, lambda n: getattr(n, "value", None) == EN["steps.just_ran"].format(line=1, target="y"))
    value = position(at, lambda n: getattr(n, "value", None) == "tensor([ 7.,  9., 11.])")
    intro = position(at, lambda n: getattr(n, "value", None) == EN["steps.intro"])
    assert position(at, lambda n: getattr(n, "key", None) == "steps.step") < just_ran < value < intro
    assert make_app({"presenter": "1", "step": "2"}, page="steps").query_params["step"] == "2"
    assert int(make_app({"presenter": "0"}, page="steps").query_params["step"]) >= 2  # not presenting: all run


def test_a_presenter_link_shows_the_same_numbers_every_time(make_app):
    query = {"presenter": "1", "n": "50", "seed": "123", "program": "y = torch.sin(x) * w", "step": "1"}
    first, second = (make_app(query, page="steps") for _ in range(2))
    cards = [[c.value for c in at.tabs[0].code] for at in (first, second)]
    assert cards[0] == cards[1] and len(cards[0]) >= 3


def test_play_advances_one_statement_per_tick_and_stops_at_the_end(make_app):
    at = make_app({"presenter": "1", "program": "y = x + 1\nz = y * 2\nq = z - 3", "step": "3"}, page="steps")
    assert at.query_params["step"] == "3"  # everything has run
    at.button(key="steps.play").click().run()  # so playing starts over
    assert at.query_params["step"] == "0" and at.session_state[steps_state.PLAYING]
    at.run()  # a rerun before the interval is over shows nothing new
    assert at.query_params["step"] == "0"
    for expected in ("1", "2", "3"):
        at.session_state[steps_state.LAST_ADVANCE] = 0.0  # the interval is over: the timer's next tick is due
        at.run()
        assert at.query_params["step"] == expected
    assert not at.session_state[steps_state.PLAYING]
    assert at.button(key="steps.play")  # back to Play at the end


def test_pause_stops_playing(make_app):
    at = make_app({"program": "y = x + 1\nz = y * 2", "step": "0"}, page="steps")
    at.button(key="steps.play").click().run()
    at.button(key="steps.pause").click().run()
    at.session_state[steps_state.LAST_ADVANCE] = 0.0
    at.run()
    assert at.query_params["step"] == "0" and not at.session_state[steps_state.PLAYING]
