"""A decimal number typed the way the learner's language writes it ("0,5" in Spanish, "0.5" in English).

Streamlit's number_input always shows a dot, so the text beside it ("0,9") would disagree. This is a text input bound
to its URL parameter like every widget (`url_state.widget_key(name)`, the canonical value in `url_state.get(name)`);
the URL keeps the dot form (`budget=0.5`), so old links keep working. Text it cannot use is refused with a message in
the learner's language and the last valid value stays in use.
"""

from __future__ import annotations

import streamlit as st
from babel.numbers import NumberFormatError, parse_decimal

from core.spec import Param, Range, Refusal
from dashboard import number_format as nf
from dashboard import url_state
from dashboard.i18n import current_lang, translate_plain
from dashboard.messages import inert
from dashboard.refusals import expected

MAX_CHARS = 32  # far more than any number in range needs
ECHOED_CHARS = 40  # how much of a refused text the message repeats


def _lang_key(name: str) -> str:
    return f"float_input.lang.{name}"  # the language the widget's text is written in


def _refused_key(name: str) -> str:
    return f"float_input.refused.{name}"  # (text, reason code) of the last text refused, while it is still shown


def shown(value: float, lang: str) -> str:
    """The value as the widget shows it: as the page's text writes numbers (6 significant digits, like the URL)."""
    return str(nf.number(float(value), lang))


def parse_in(text: str, kind: Range, lang: str) -> float:
    """The number `text` writes in `lang`, within `kind`'s limits; the URL's plain form ("0.25", "1e-3") is taken
    too where the language's own reading refuses it (in Spanish "0.25", never "1.500", which reads one thousand five
    hundred). Raises Refusal ("invalid" or "out_of_range")."""
    text = text.strip()
    if not text or len(text) > MAX_CHARS:
        raise Refusal()
    try:
        number = parse_decimal(text, locale=nf.locale_of(lang), strict=True)
    except NumberFormatError:
        return kind.parse(text)  # the URL's grammar and limits; a Refusal for anything else
    if number.is_nan():
        raise Refusal()
    return kind.within(float(number))


def refusal_message(lang: str, kind: Range, text: str, code: str, kept: float) -> str:
    """Why `text` was refused, what the input takes and the value still used, e.g. "`abc` is not a number: type a
    number from 0.05 to 2. Still using 0.5." (the typed text inert: it never renders as markdown)."""
    value = inert(text[:ECHOED_CHARS])
    return translate_plain(
        lang, f"float_input.{code}", value=value, expected=expected(lang, kind), kept=shown(kept, lang)
    )


def float_input(param: Param, label: str, where=st, help: str | None = None) -> None:  # noqa: A002
    """A text input for the Float parameter `param`, in the learner's number format, bound to its URL parameter."""
    name, lang = param.name, current_lang()
    key = url_state.widget_key(name)
    text = st.session_state.get(key)
    # absent (first run, or back from another page), a number (url_state put a value from a link or a callback),
    # or written in the other language: show the canonical value afresh
    if not isinstance(text, str) or st.session_state.get(_lang_key(name)) != lang:
        st.session_state[key] = shown(url_state.get(name), lang)
        st.session_state[_lang_key(name)] = lang
        st.session_state.pop(_refused_key(name), None)
    where.text_input(label, key=key, max_chars=MAX_CHARS, help=help, on_change=_commit, args=(param, lang))
    refused = st.session_state.get(_refused_key(name))
    if refused is not None:
        message = refusal_message(lang, param.kind, *refused, kept=url_state.get(name))
        where.error(message, icon=":material/error:")


def _commit(param: Param, lang: str) -> None:
    """The widget's callback: a usable text becomes the canonical value (and the URL's); any other is kept aside."""
    text = st.session_state[url_state.widget_key(param.name)]
    try:
        value = parse_in(text, param.kind, lang)
    except Refusal as exc:
        st.session_state[_refused_key(param.name)] = (text, exc.code)
        return
    st.session_state.pop(_refused_key(param.name), None)
    url_state.put(param.name, value)  # sets the widget to the number: the next run writes it in the language's form
