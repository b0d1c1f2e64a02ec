"""The shared sidebar: global settings bound to the URL, and the Settings value pages read."""

from __future__ import annotations

import streamlit as st

from core.devices import list_devices
from core.tensors import DTYPES
from dashboard import url_state
from dashboard.i18n import LANGUAGES, language_from_locale, translate, translate_plain
from dashboard.settings import (
    DEFAULT_THREADS,
    MAX_SEED,
    Settings,
    flag_text,
    max_threads,
    parse_device,
    parse_dtype,
    parse_flag,
    parse_lang,
    parse_seed,
    parse_threads,
)
from dashboard.url_state import UrlParam

GLOBAL_PARAMS = (
    UrlParam("lang", parse_lang, lambda: language_from_locale(st.context.locale)),
    UrlParam("device", parse_device, lambda: "cpu"),
    UrlParam("dtype", parse_dtype, lambda: "float32"),
    UrlParam("seed", parse_seed, lambda: 0),
    UrlParam("threads", parse_threads, lambda: DEFAULT_THREADS),
    UrlParam("presenter", parse_flag, lambda: False, flag_text),
)
LANGUAGE_NAMES = {"en": "English", "es": "Español"}


def current_settings() -> Settings:
    """The Settings of this run, read from the canonical session values."""
    url_state.load(GLOBAL_PARAMS)
    return Settings(**{p.name: url_state.get(p.name) for p in GLOBAL_PARAMS})


def t(key: str, /, **params: object) -> str:
    """Translate `key` into the session's language."""
    return translate(current_settings().lang, key, **params)


def tp(key: str, /, **params: object) -> str:
    """Translate without markdown escaping, for text shown literally (chart titles, table headers)."""
    return translate_plain(current_settings().lang, key, **params)


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
            key=url_state.widget_key("threads"),
            **url_state.bind("threads"),
        )
        st.toggle(t("settings.presenter"), key=url_state.widget_key("presenter"), **url_state.bind("presenter"))
    url_state.sync_url(GLOBAL_PARAMS)
    return current_settings()
