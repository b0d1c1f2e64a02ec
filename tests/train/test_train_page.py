"""The training page through AppTest: a bookmarked link trains the same run, the curve read back from the chart
falls, the buttons step the loop, bad values fall back with a notice, and a bad forward program is refused."""

from __future__ import annotations

import json

from core.train.loop import TrainConfig, train_chunk
from dashboard.i18n import catalog
from pages.train.charts import MARKERS_SHOWN

EN = catalog("en")


def _chart(at, title: str) -> dict:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return next(spec for spec in specs if spec["layout"]["title"]["text"] == title)


def _test_loss(at) -> list[float]:
    spec = _chart(at, EN["train.chart.loss_title"])
    return next(trace["y"] for trace in spec["data"] if trace["name"] == EN["train.chart.test_loss"])


def test_a_link_trains_to_its_step_and_the_loss_read_from_the_chart_falls(make_app):
    at = make_app({"steps": "300", "seed": "0"}, page="train")
    losses = _test_loss(at)
    assert len(losses) == 31 and losses[-1] < losses[0] / 3
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[EN["train.metric.step"]] == "300" and float(metrics[EN["train.metric.test_accuracy"]][:-1]) >= 95
    expected = train_chunk(TrainConfig(seed=0), None, 300)
    assert losses == [e.test_loss for e in expected.evals]  # the page's run is core's run
    again = make_app({"steps": "300", "seed": "0"}, page="train")
    assert _test_loss(again) == losses  # the same link twice, the same curve


def test_a_long_runs_lines_keep_every_point_but_draw_a_few_markers(make_app):
    """Thousands of SVG markers redrawn every tick kept a playing browser seconds behind (Pause waited behind them):
    each line of the norm and node charts keeps its points and draws at most MARKERS_SHOWN of its markers."""
    at = make_app({"steps": "300", "seed": "0"}, page="train")
    run = train_chunk(TrainConfig(seed=0), None, 300)
    for title in ("train.chart.weight_norms_title", "train.chart.grad_norms_title", "train.chart.nodes_title"):
        lines = _chart(at, EN[title])["data"]
        assert lines and all(line["marker"]["maxdisplayed"] == MARKERS_SHOWN for line in lines)
    weights = _chart(at, EN["train.chart.weight_norms_title"])["data"]
    assert [len(line["y"]) for line in weights] == [len(run.evals)] * len(run.layers) == [31] * len(run.layers)


def test_one_step_one_epoch_and_the_phases(make_app):
    at = make_app({"bs": "100"}, page="train")
    at.button(key="train.one_step").click().run()
    assert at.query_params["steps"] == "1"
    at.button(key="train.one_epoch").click().run()
    assert at.query_params["steps"] == "3"  # 280 training points in batches of 100
    for phase in range(1, 6):
        at.button(key="train.next_phase").click().run()
        assert at.query_params["phase"] == str(phase) and not at.exception
    assert "# ◀" in at.code[0].value.splitlines()[5]  # optimizer.step() just ran
    at.button(key="train.next_phase").click().run()
    assert at.query_params["steps"] == "4" and at.query_params["phase"] == "1"


def test_the_dynamic_model_trains_with_a_graph_that_changes_size(make_app):
    at = make_app({"model": "dynamic", "layers": "3", "steps": "40"}, page="train")
    spec = _chart(at, EN["train.chart.nodes_title"])
    assert len(set(spec["data"][0]["y"])) == 3


def test_bad_values_fall_back_with_a_notice_and_a_bad_program_is_refused(make_app):
    at = make_app({"lr": "banana", "units": "9999", "data": "moons"}, page="train")
    assert at.warning and at.query_params["lr"] == "0.03" and at.query_params["data"] == "circle"
    at = make_app({"model": "program", "forward": "out = x.__class__"}, page="train")
    assert at.error and not at.exception


def test_the_pitfalls_run_on_the_page(make_app):
    for pitfall in ("no_grad", "dropout", "item"):
        at = make_app({"pitfall": pitfall, "steps": "10"}, page="train")
        assert not at.error and at.metric or at.dataframe, pitfall


DIVERGING = {"data": "sine", "opt": "sgd", "lr": "1", "steps": "60"}


def test_a_diverged_run_says_why_and_offers_a_smaller_learning_rate(make_app):
    at = make_app(DIVERGING, page="train")
    run = train_chunk(TrainConfig(dataset="sine", optimizer="sgd", lr=1.0), None, 60)
    notice = at.error[0].value.replace("\\", "")  # numbers come markdown-escaped
    assert f"diverged at step {run.diverged}" in notice and "overshoots" in notice and "0.1" in notice
    losses = _chart(at, EN["train.chart.loss_title"])["data"][0]["y"]
    assert losses[run.diverged - 1] is None and losses[run.diverged - 2] is not None  # the line stops there
    assert all("NaN×" not in c.value for c in at.caption)
    at.button(key="train.lower_lr").click().run()
    assert at.query_params["lr"] == "0.1" and at.query_params["steps"] == "0" and not at.error
    assert at.text_input(key="widget.lr").value == "0.1"  # the input shows the lowered rate too
    at.query_params["steps"] = "60"
    at.run()
    assert not at.error  # ten times smaller, the same run learns


def test_the_zero_grad_pitfall_says_when_its_run_diverged_and_never_shows_a_nan_ratio(make_app):
    at = make_app({**DIVERGING, "pitfall": "zero_grad"}, page="train")
    assert any("shows nothing about the pitfall" in w.value for w in at.warning)
    at = make_app({"data": "sine", "opt": "sgd", "lr": "0.4", "pitfall": "zero_grad"}, page="train")
    captions = " ".join(c.value for c in at.caption)
    assert "then overflowed at step" in captions and "NaN×" not in captions and not at.error


def test_a_divergence_is_explained_in_spanish(make_app):
    at = make_app({**DIVERGING, "lang": "es"}, page="train")
    notice = at.error[0].value.replace("\\", "")
    assert "divergió en el paso" in notice and "vuelve a empezar con 0,1" in notice


def _steps_shown(at) -> set[int]:
    """Every place the page says where the run is: the caption, the URL, the step metric, the loss chart's end."""
    caption = next(c.value for c in at.caption if c.value.startswith("Step "))
    metric = next(m.value for m in at.metric if m.label == EN["train.metric.step"])
    batch = _chart(at, EN["train.chart.loss_title"])["data"][0]["x"]
    numbers = (caption.split()[1], at.query_params["steps"], metric, str(batch[-1]))
    return {int(n.replace("\\", "").replace(",", "")) for n in numbers}  # the caption's markdown escapes "1\\,120"


def test_play_and_pause_show_one_step_everywhere_and_one_step_after_pause_adds_one(make_app):
    at = make_app({"seed": "0", "steps": "5"}, page="train")
    at.button(key="train.play").click().run()  # a run while playing is one tick of the playing fragment
    seen = []
    for _ in range(3):
        shown = _steps_shown(at)
        assert len(shown) == 1, shown  # the caption moves with the charts while playing
        seen.append(shown.pop())
        at.run()
    assert seen[0] > 5 and seen == sorted(set(seen))  # every tick trained further
    last = _steps_shown(at).pop()
    at.button(key="train.pause").click().run()
    assert _steps_shown(at) == {last} and not at.session_state["train.playing"]  # no chunk ran past the pause
    at.button(key="train.one_step").click().run()
    assert _steps_shown(at) == {last + 1}


def test_the_zero_grad_pitfall_says_what_forgetting_it_does_to_the_chosen_optimizer(make_app):
    for lang, texts in (("en", EN), ("es", catalog("es"))):
        for opt, other in (("adam", "sgd"), ("sgd", "adam")):
            at = make_app({"pitfall": "zero_grad", "opt": opt, "steps": "0", "lang": lang}, page="train")
            shown = [m.value for m in at.markdown]
            assert texts[f"train.pitfall.zero_grad.intro_{opt}"] in shown, (lang, opt)
            assert texts[f"train.pitfall.zero_grad.intro_{other}"] not in shown
    assert (
        "Adam" in EN["train.pitfall.zero_grad.intro_adam"]
        and "larger than the last" not in EN["train.pitfall.zero_grad.intro_adam"]
    )


def test_presenting_puts_the_run_and_its_boundary_before_the_intro_and_the_folded_settings(make_app):
    """On a projector the intro and the controls above the transport pushed the boundary below the fold."""
    from tests.frame.test_presenter import position

    def order(at) -> dict[str, int]:
        chart = at.get("plotly_chart")[0].proto  # the decision boundary, the first chart
        return {
            "play": position(at, lambda n: getattr(n, "key", None) == "train.play"),
            "boundary": position(at, lambda n: getattr(n, "proto", None) is chart),
            "intro": position(at, lambda n: getattr(n, "value", None) == EN["train.intro"]),
            "settings": position(at, lambda n: getattr(n, "key", None) == "widget.points"),
        }

    at = make_app({"presenter": "1"}, page="train")
    assert (
        json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"] == EN["train.chart.boundary_title"]
    )
    shown = order(at)
    assert shown["play"] < shown["boundary"] < shown["intro"] < shown["settings"]
    shown = order(make_app({"presenter": "0"}, page="train"))
    assert shown["intro"] < shown["settings"] < shown["play"] < shown["boundary"]
