"""Exports: measurement tables as CSV and JSON carrying their provenance, and charts with Plotly's PNG button."""

from __future__ import annotations

import csv
import io
import json

import pytest
import torch
from streamlit.delta_generator import DeltaGenerator

from core.grad_modes.modes import MODES, program_workload, saved_ledger
from core.program import DEFAULT_PROGRAM, parse_program
from tests.loops.test_loops_page import sweep_table


@pytest.fixture
def downloads(monkeypatch):
    """What each table download button would hand the browser, by key (AppTest has no media server to ask)."""
    offered: dict[str, tuple[str, str]] = {}
    original = DeltaGenerator.download_button

    def recording(self, label, data, file_name=None, *args, **kwargs):
        offered[kwargs["key"]] = (file_name, data)
        return original(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    return offered


def test_loops_table_downloads_as_csv_and_json_with_provenance(make_app, downloads):
    query = {"sizes": "10,100", "budget": "0.05", "seed": "3", "threads": "1", "program": "y = x * 3"}
    at = make_app(query, page="loops")
    table = sweep_table(at)
    csv_name, csv_text = downloads["loops.sweep.csv"]
    json_name, json_text = downloads["loops.sweep.json"]
    assert (csv_name, json_name) == ("eager-lab-loops-sweep.csv", "eager-lab-loops-sweep.json")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [int(r["n"]) for r in rows] == table["n"].tolist() == [10, 100]
    assert [float(r["vectorized_s"]) for r in rows] == table["vectorized_s"].tolist()
    document = json.loads(json_text)
    assert document["page"] == "loops"
    assert document["settings"] == {
        "device": "cpu", "dtype": "float32", "seed": 3, "program": "y = x * 3", "sizes": [10, 100], "budget": 0.05
    }  # fmt: skip
    assert document["torch_version"] == torch.__version__
    assert document["threads"] == 1
    assert "cores" in document["device_name"]
    assert [r["vectorized_s"] for r in document["rows"]] == table["vectorized_s"].tolist()


def test_grad_modes_json_carries_the_saved_bytes_core_counts(make_app, downloads):
    at = make_app({"size": "3000", "seed": "5", "dtype": "float64"}, page="grad-modes")
    document = json.loads(downloads["grad-modes.modes.json"][1])
    assert document["settings"] | {"workload": "program", "size": 3000, "dtype": "float64"} == document["settings"]
    workload = program_workload(parse_program(DEFAULT_PROGRAM), 3000, "float64", "cpu", 5)
    assert [r["mode"] for r in document["rows"]] == list(MODES)
    for row in document["rows"]:
        ledger, output = saved_ledger(workload, row["mode"])
        assert row["saved_bytes_extra"] == ledger.extra_bytes and row["saved_bytes_anyway"] == ledger.anyway_bytes
        assert row["is_inference"] == output.is_inference()
    assert len(at.get("plotly_chart")) == 4


def test_pitfalls_timing_downloads(make_app, downloads):
    make_app({"case": "unnecessary_loop"}, page="pitfalls")
    (row,) = json.loads(downloads["pitfalls.loop-timing.json"][1])["rows"]
    assert row["n"] == 1000 and row["speedup"] == pytest.approx(row["loop_s"] / row["vectorized_s"])
    assert list(csv.DictReader(io.StringIO(downloads["pitfalls.loop-timing.csv"][1])))[0]["n"] == "1000"


@pytest.mark.parametrize(
    ("page", "query"),
    [("steps", {"n": "5000"}), ("loops", {"sizes": "10", "budget": "0.05"}), ("autograd", {"backward": "1"})],
)
def test_every_chart_keeps_plotlys_png_button(make_app, page, query):
    at = make_app(query, page=page)
    charts = at.get("plotly_chart")
    assert charts
    for chart in charts:
        config = json.loads(chart.proto.config)
        assert config["displayModeBar"] is True
        assert config["toImageButtonOptions"]["format"] == "png"
        assert config["toImageButtonOptions"]["filename"].startswith("eager-lab-")
        assert "toImage" not in config.get("modeBarButtonsToRemove", [])
