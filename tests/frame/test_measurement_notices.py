"""Measurement notices as the learner reads them: numbers written once, sentences capitalised, one per section;
a noisy timing never the headline; "Measure again" only where something is measured."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import catalog

LANGS = ("en", "es")


def noisy_results_script():
    """Three jobs of one section, two of them noisy (a drift of 105 %, a 67 % share of the core)."""
    import streamlit as st

    from core.jobs import Honesty, JobResult
    from dashboard.measurement_store import show_measured

    st.session_state.setdefault("state.lang", "en")
    records = [
        Honesty(reference_before_s=1e-5, reference_after_s=2.053e-5, cpu_share=0.9, reasons=("drift",)),
        Honesty(reference_before_s=1e-5, reference_after_s=1e-5, cpu_share=0.67, reasons=("cpu_share",)),
        Honesty(reference_before_s=1e-5, reference_after_s=1e-5, cpu_share=1.0),
    ]
    results = [JobResult(value=i, worker_pid=1, finished_at=0.0, cores=(i,), honesty=h) for i, h in enumerate(records)]
    show_measured(*results)


def sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


@pytest.mark.parametrize("lang", LANGS)
def test_a_sections_noisy_warning_is_one_with_plain_numbers_and_capitalised_sentences(lang):
    at = AppTest.from_function(noisy_results_script, default_timeout=60)
    at.session_state["state.lang"] = lang
    at.run()
    assert not at.exception
    assert len(at.warning) == 1 and len(at.caption) == 1  # one section, one warning, one caption
    text = at.warning[0].value
    assert not re.search(r"\\[%.,]", text), text  # no markdown escape shows through
    assert "105" in text and "67" in text
    assert all(sentence[0].isupper() for sentence in sentences(text)), text


def savings_script():
    """The grad-modes headline on a faked result: no_grad 37.4 µs slower, but the timings judged themselves noisy."""
    import streamlit as st

    from core.grad_modes.modes import Ledger, ModeResult, OutputFlags
    from core.timing import Measurement
    from pages.grad_modes.views import savings

    st.session_state.setdefault("state.lang", "en")

    def timing(median: float) -> Measurement:
        return Measurement(
            median=median, iqr=median * 0.5, runs=9, block_times=(median,), threads=1, device="cpu",
            q1=median * 0.99, q3=median * 1.01, noisy=st.session_state.get("noisy", True),
        )  # fmt: skip

    flags = OutputFlags(requires_grad=False, grad_fn=None, is_inference=False)
    ledger = Ledger(anyway_bytes=0, extra_bytes=8000, saved_count=1)
    grad = ModeResult(mode="grad", time=timing(100e-6), flags=flags, ledger=ledger, peak_extra_bytes=None)
    no_grad = ModeResult(mode="no_grad", time=timing(137.4e-6), flags=flags, ledger=ledger, peak_extra_bytes=None)
    savings([grad, no_grad])


@pytest.mark.parametrize("lang", LANGS)
def test_a_noisy_timing_is_never_the_grad_modes_headline(lang):
    texts = catalog(lang)
    at = AppTest.from_function(savings_script, default_timeout=60)
    at.session_state["state.lang"] = lang
    at.run()
    headline = at.metric[2].value
    assert headline == texts["timing.noisy"] and "37" not in headline
    assert texts["timing.noisy_note"] in [c.value for c in at.caption]
    at.session_state["noisy"] = False
    at.run()  # the same figures, trusted: the difference is named
    amount = {"en": "37.4 µs", "es": "37,4 µs"}[lang]
    assert at.metric[2].value.replace("\\", "") == texts["timing.slower_by"].format(amount=amount)


@pytest.mark.parametrize(("case", "measures"), [("forgot_requires_grad", False), ("unnecessary_loop", True)])
def test_measure_again_shows_only_on_cases_that_measure(make_app, case, measures):
    at = make_app({"case": case}, page="pitfalls")
    labels = [button.label for button in at.button]
    assert (catalog("en")["common.measure_again"] in labels) is measures


def test_the_compiled_cost_section_says_once_when_it_measured(make_app):
    at = make_app({"x": "1, 2, 3", "backends": "eager,aot_eager"}, page="compiled")
    at.button(key="compiled.cost.measure").click().run()
    measured_at = catalog("en")["measured_at"].split("{")[0]
    assert len([c for c in at.caption if c.value.startswith(measured_at)]) == 1  # two jobs, one caption
    noisy = catalog("en")["measured.noisy"].split("{")[0]
    assert len([w for w in at.warning if w.value.startswith(noisy)]) <= 1
