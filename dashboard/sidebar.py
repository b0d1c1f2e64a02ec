"""The shared sidebar: the global settings as widgets bound to the URL."""

from __future__ import annotations

import streamlit as st

from core.devices import list_devices
from core.settings import MAX_SEED, Settings
from core.tensors import DTYPES
from dashboard import number_format as nf
from dashboard import url_state
from dashboard.i18n import LANGUAGES, t
from dashboard.settings import GLOBAL_PARAMS, current_settings, max_threads

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def render_sidebar() -> Settings:
    """Draw the global settings, mirror them into the URL, and return them."""
    url_state.load(GLOBAL_PARAMS)
    with st.sidebar:
        st.header(t("settings.header"))
        st.selectbox(
            t("settings.lang"),
            LANGUAGES,
            format_func=LANGUAGE_NAMES.get,
            key=url_state.widget_key("lang"),
            **url_state.bind("lang"),
        )
        devices = list_devices()
        st.selectbox(
            t("settings.device"),
            [d.name for d in devices if d.available],
            key=url_state.widget_key("device"),
            **url_state.bind("device"),
        )
        for device in devices:
            if not device.available:
                st.caption(t(f"device.reason.{device.reason}", device=device.name.upper()))
        st.selectbox(t("settings.dtype"), tuple(DTYPES), key=url_state.widget_key("dtype"), **url_state.bind("dtype"))
        presenting = url_state.get("presenter")
        st.number_input(
            t("settings.seed"),
            min_value=0,
            max_value=MAX_SEED,
            step=1,
            disabled=presenting,
            help=t("presenter.seed_fixed") if presenting else None,
            key=url_state.widget_key("seed"),
            **url_state.bind("seed"),
        )
        st.number_input(
            t("settings.threads"),
            min_value=1,
            max_value=max_threads(),
            step=1,
            help=t("settings.threads_help", cores=nf.integer(max_threads())),
            key=url_state.widget_key("threads"),
            **url_state.bind("threads"),
        )
        st.toggle(t("settings.presenter"), key=url_state.widget_key("presenter"), **url_state.bind("presenter"))
    url_state.sync_url(GLOBAL_PARAMS)
    return current_settings()
