"""No English in the Spanish view: every text a page shows in Spanish (titles, prose, labels, options, table
headers, chart titles, axes and legends) is scanned for English words. Code stays code: inline code spans and
code blocks (Python source, PyTorch's own messages) are not prose and are not scanned."""

from __future__ import annotations

import json
import re

import pytest

from dashboard.registry import PAGES

# English words that have no business in Spanish prose here; technical names (tensor, backward, dtype,
# grad_fn, no_grad) are written as code or are the accepted Spanish usage, and are not listed.
ENGLISH = (
    "the and of with without when where which time times loop loops vectorized estimated measured measuring "
    "speedup faster slower checklist hooks floats IQR script demo demos cores Play Explore noisy runs saved "
    "Measure again Reproduce Download settings seed threads device Step by step vs"
).split()
STATES = {entry.url_path: {} for entry in PAGES} | {
    "loops": {"sizes": "10,100", "budget": "0.05"},
    "pitfalls": {"case": "forgot_requires_grad"},
    "compiled": {"program": "y = x * 2 + 5\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"},
}
# titles the design fixes word for word (its Spanish page titles), kept as written
FIXED_TITLES = {"Eager frente a compilado"}
EXTRA = [
    ("compiled", {"version": "where", "program": "y = x * 2\nif y.sum() > 0:\n    z = y\nelse:\n    z = -y"}),
    ("compiled", {"cost": "1", "backends": "eager,aot_eager"}),
    ("pitfalls", {"case": "unnecessary_loop"}),
    ("pitfalls", {"case": "sync_timing"}),
    ("steps", {"n": "100"}),
]


def chart_texts(spec: dict) -> list[str]:
    layout = spec.get("layout", {})
    texts = [layout.get("title", {}).get("text", "")]
    for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
        texts.append(layout.get(axis, {}).get("title", {}).get("text", ""))
    texts += [trace.get("name", "") for trace in spec.get("data", [])]
    return texts


def shown_texts(at) -> list[str]:
    texts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption") for e in getattr(at, kind)]
    texts += [e.value for kind in ("info", "warning", "error", "success") for e in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [m.value for m in at.metric]
    texts += [b.label for b in at.button] + [t.label for t in at.toggle] + [e.label for e in at.expander]
    texts += [t.label for t in at.tabs]
    for widget in (*at.radio, *at.selectbox):
        texts += [widget.label, *map(str, widget.options)]
    texts += [str(column) for frame in at.dataframe for column in frame.value.columns]
    texts += [text for chart in at.get("plotly_chart") for text in chart_texts(json.loads(chart.proto.spec))]
    return texts


def english_in(text: str) -> set[str]:
    prose = re.sub(r"`[^`]*`", " ", text)  # inline code is code
    return {word for word in ENGLISH if re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w(-])", prose)}


@pytest.mark.parametrize(("page", "query"), [*STATES.items(), *EXTRA])
def test_the_spanish_view_has_no_english_words(make_app, page, query):
    at = make_app({"lang": "es", **query}, page=page)
    texts = [text for text in shown_texts(at) if text not in FIXED_TITLES]
    found = {text[:80]: sorted(words) for text in texts if (words := english_in(text))}
    assert not found, found
