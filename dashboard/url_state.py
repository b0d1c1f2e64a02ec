"""Two-way binding between the query string, session state and widgets.

Each parameter has one canonical value in session state (`state.<name>`), read from the URL the first
time the session needs it, and again whenever the URL holds a value this session did not write there
(a link followed, an address edited), and written back to the URL on every run. Widgets get their own key
(`widget.<name>`) seeded from the canonical value, so leaving a page (which drops its widgets' state)
never loses the value. A URL value that cannot be used becomes a notice, and the default is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st

from core.spec import Param, Refusal, Spec

BadValue = Refusal  # a query-string value that cannot be used; its `code` names the notice the page shows
_NOTICES = "url.notices"
_SYNCED = "url.synced"  # the text this session last read from or wrote to the URL, per parameter


def state_key(name: str) -> str:
    return f"state.{name}"


def widget_key(name: str) -> str:
    return f"widget.{name}"


def params_of(*specs: Spec) -> tuple[Param, ...]:
    return tuple(p for spec in specs for p in spec.params)


def load(params: Iterable[Param], defaults: Mapping[str, Callable[[], Any]] | None = None) -> None:
    """Give each parameter its canonical value: the URL's on first need or when the URL brings a new value.

    A value in the URL that this session wrote itself (or already read) changes nothing, so a widget's
    change is never undone by the old URL still showing in the same run. `defaults` gives a parameter a default
    that depends on the session (the browser's language, presenter mode) instead of its declared one.
    """
    defaults = defaults or {}
    notices = st.session_state.setdefault(_NOTICES, {})
    synced = st.session_state.setdefault(_SYNCED, {})
    for param in params:
        key = state_key(param.name)
        raw = st.query_params.get(param.name)
        known = key in st.session_state
        if known and (raw is None or raw == synced.get(param.name)):
            continue
        if known:
            value = st.session_state[key]
        else:
            value = defaults[param.name]() if param.name in defaults else param.default
        if raw is not None:
            synced[param.name] = raw
            try:
                value = param.parse(raw)
            except Refusal as exc:
                notices[param.name] = (raw[:60], exc.code, param.to_text(value), param.kind)
        if known:
            put_silently(param.name, value)
        else:
            st.session_state[key] = value


def reject(name: str, ignored: str, used: str, code: str = "invalid") -> None:
    """Record that a value (found valid only in context, e.g. an output the program lacks) was ignored."""
    st.session_state.setdefault(_NOTICES, {})[name] = (ignored[:60], code, used, None)


def get(name: str) -> Any:
    return st.session_state[state_key(name)]


def current(spec: Spec) -> Any:
    """The typed, frozen state of `spec` from the canonical values (load it first)."""
    return spec.build({p.name: get(p.name) for p in spec.params})


def put(name: str, value: Any) -> None:
    """Set a canonical value (and its widget, if one was bound); call from callbacks or before the widget."""
    st.session_state[state_key(name)] = value
    if widget_key(name) in st.session_state:
        st.session_state[widget_key(name)] = value
    st.session_state.get(_NOTICES, {}).pop(name, None)
    st.session_state.pop(_error_key(name), None)


def put_silently(name: str, value: Any) -> None:
    """Set a canonical value without clearing its notice (for a fallback chosen while rendering)."""
    st.session_state[state_key(name)] = value
    if widget_key(name) in st.session_state:
        st.session_state[widget_key(name)] = value


def bind(
    name: str, validate: Callable[[Any], object] | None = None, after: Callable[[], None] | None = None
) -> dict[str, Any]:
    """Keyword arguments that tie the widget keyed `widget_key(name)` to `name`: seeds that key from the canonical
    value and returns the commit callback (the caller passes `key=widget_key(name)` itself).

    With `validate`, a value it rejects (any ValueError) is kept as `error(name)` and the canonical
    value, the URL and everything computed from them stay as they were. `after` runs after a commit.
    """
    key = widget_key(name)
    if key not in st.session_state:
        # the widget was not on the last run (first visit, or back from another page): show the canonical value
        st.session_state[key] = get(name)
        st.session_state.pop(_error_key(name), None)
    return {"on_change": _commit, "args": (name, validate, after)}


def _commit(name: str, validate: Callable[[Any], object] | None, after: Callable[[], None] | None) -> None:
    value = st.session_state[widget_key(name)]
    if validate is not None:
        try:
            validate(value)
        except ValueError as exc:
            st.session_state[_error_key(name)] = exc
            return
    st.session_state.pop(_error_key(name), None)
    st.session_state[state_key(name)] = value
    st.session_state.get(_NOTICES, {}).pop(name, None)
    if after is not None:
        after()


def _error_key(name: str) -> str:
    return f"error.{name}"


def error(name: str) -> ValueError | None:
    """The last value a widget offered for `name` that its validator refused, if it is still pending."""
    return st.session_state.get(_error_key(name))


def sync_url(params: Iterable[Param], inactive: Iterable[str] = ()) -> None:
    """Write every parameter's canonical value into the query string (only where it changed).

    Parameters named in `inactive` are removed from the URL instead, e.g. `n` while x is typed.
    """
    inactive = set(inactive)
    synced = st.session_state.setdefault(_SYNCED, {})
    for param in params:
        if param.name in inactive:
            st.query_params.pop(param.name, None)
            synced.pop(param.name, None)
            continue
        text = param.to_text(get(param.name))
        synced[param.name] = text
        if st.query_params.get(param.name) != text:
            st.query_params[param.name] = text


def notices(names: Iterable[str]) -> list[tuple[str, str, str, str, object]]:
    """(name, ignored value, reason code, value used instead, its kind) for each of `names` whose URL value was
    ignored."""
    pending = st.session_state.get(_NOTICES, {})
    return [(name, *pending[name]) for name in names if name in pending]
