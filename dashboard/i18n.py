"""One catalog per language; every user-visible string is looked up here by key."""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
_CATALOG_DIR = Path(__file__).parent / "locales"
_MARKDOWN_SPECIALS = set(string.punctuation)


@cache
def catalog(lang: str) -> dict[str, str]:
    """The flat key -> text catalog of `lang`."""
    with open(_CATALOG_DIR / f"{lang}.json", encoding="utf-8") as fh:
        return json.load(fh)


def escape_markdown(text: object) -> str:
    """Backslash-escape every ASCII punctuation mark so text from outside renders literally in markdown."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in str(text))


def translate(lang: str, key: str, /, **params: object) -> str:
    """The `key` text in `lang`, with `params` filled in after markdown-escaping them.

    Params can carry what a learner typed or what the URL held, so they never render as markdown.
    """
    text = catalog(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)[key]
    if not params:
        return text
    return text.format(**{name: escape_markdown(value) for name, value in params.items()})


def translate_plain(lang: str, key: str, /, **params: object) -> str:
    """Like translate, without escaping: for places that show text literally (code blocks, tables, charts)."""
    text = catalog(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)[key]
    return text.format(**params) if params else text


def language_from_locale(locale: str | None) -> str:
    """Spanish for a Spanish browser locale ("es", "es-AR", ...), English otherwise."""
    return "es" if (locale or "").lower().split("-")[0].split("_")[0] == "es" else "en"


def current_lang() -> str:
    """The session's language (the `lang` URL parameter, loaded by the app before any page runs)."""
    from dashboard import url_state  # here, not at the top: url_state needs streamlit, the catalog tests do not

    return url_state.get("lang")


def t(key: str, /, **params: object) -> str:
    """Translate `key` into the session's language."""
    return translate(current_lang(), key, **params)


def tp(key: str, /, **params: object) -> str:
    """Translate without markdown escaping, for text shown literally (chart titles, table headers)."""
    return translate_plain(current_lang(), key, **params)


def texts(prefix: str, *keys: str) -> dict[str, str]:
    """Raw catalog strings for a chart builder, keyed without the prefix: {key: tp(f"{prefix}.{key}")}."""
    return {key: tp(f"{prefix}.{key}") for key in keys}
