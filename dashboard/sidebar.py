"""The shared sidebar: the global settings as widgets bound to the URL."""

from __future__ import annotations

import streamlit as st

from core.devices import list_devices
from core.settings import Settings
from core.shared_spec import SETTINGS
from dashboard import number_format as nf
from dashboard import settings, url_state
from dashboard.i18n import t
from dashboard.widgets import choices_of, limits_of

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def render_sidebar() -> Settings:
    """Draw the global settings, mirror them into the URL, and return them."""
    settings.load()
    threads = limits_of(SETTINGS.named("threads"))
    with st.sidebar:
        st.header(t("settings.header"))
        st.selectbox(
            t("settings.lang"),
            choices_of(SETTINGS.named("lang")),
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
        st.selectbox(
            t("settings.dtype"),
            choices_of(SETTINGS.named("dtype")),
            key=url_state.widget_key("dtype"),
            **url_state.bind("dtype"),
        )
        presenting = url_state.get("presenter")
        st.number_input(
            t("settings.seed"),
            **limits_of(SETTINGS.named("seed")),
            disabled=presenting,
            help=t("presenter.seed_fixed") if presenting else None,
            key=url_state.widget_key("seed"),
            **url_state.bind("seed"),
        )
        st.number_input(
            t("settings.threads"),
            **threads,
            help=t("settings.threads_help", cores=nf.integer(threads["max_value"])),
            key=url_state.widget_key("threads"),
            **url_state.bind("threads"),
        )
        st.toggle(t("settings.presenter"), key=url_state.widget_key("presenter"), **url_state.bind("presenter"))
    url_state.sync_url(SETTINGS.params)
    return settings.current_settings()
