"""The timing engine as pages use it: one lock per device for the whole server process, and a visible wait.

Streamlit runs every visitor's script in its own thread of one process. Two measurements on the same
device at once would share its cores and both read slow, so every page measures through `engine()`,
which binds the device's lock (created once, process-wide, via st.cache_resource).
"""

from __future__ import annotations

import functools
import threading

import streamlit as st
import torch

from core.timing import measure
from dashboard.i18n import t


@st.cache_resource
def _locks() -> tuple[threading.Lock, dict[str, threading.Lock]]:
    return threading.Lock(), {}


def device_lock(device: str) -> threading.Lock:
    """The process-wide lock of a device kind (cpu, cuda, mps)."""
    guard, locks = _locks()
    kind = torch.device(device).type
    with guard:
        return locks.setdefault(kind, threading.Lock())


def engine(device: str):
    """`core.timing.measure` bound to the device's lock; while another session measures, a status says so."""
    waiting = st.empty()

    def on_wait() -> None:
        waiting.info(t("measuring.waiting"), icon=":material/hourglass_top:")

    return functools.partial(measure, lock=device_lock(device), on_wait=on_wait)
