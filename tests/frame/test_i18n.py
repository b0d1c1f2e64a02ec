"""Both catalogs are complete, and every key the code uses exists in both."""

import re
import string

import pytest

from dashboard.i18n import LANGUAGES, catalog, escape_markdown, language_from_locale, translate
from tests.conftest import ROOT

UI_SOURCES = [*sorted((ROOT / "dashboard").rglob("*.py")), *sorted((ROOT / "pages").rglob("*.py"))]
CORE_SOURCES = sorted((ROOT / "core").rglob("*.py"))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_have_the_same_keys_and_no_empty_value():
    en, es = catalog("en"), catalog("es")
    assert set(en) == set(es)
    assert [k for lang in LANGUAGES for k, v in catalog(lang).items() if not v.strip()] == []


def test_both_languages_fill_the_same_placeholders():
    en, es = catalog("en"), catalog("es")
    assert {k: _placeholders(v) for k, v in en.items()} == {k: _placeholders(v) for k, v in es.items()}


def _static_keys() -> set[str]:
    call = r"\b(?:t|translate|translate_plain)\(\s*"
    first_arg = r"(?:[a-z_.()]+,\s*)?"
    pattern = re.compile(call + first_arg + r'"([a-z0-9_.]+)"\s*[,)]')
    keys = set()
    for path in UI_SOURCES:
        keys |= set(pattern.findall(path.read_text()))
    return keys


def _codes(kind: str) -> set[str]:
    pattern = re.compile(kind + r"""\(\s*"([a-z_]+)\"""")
    return {code for path in CORE_SOURCES + UI_SOURCES for code in pattern.findall(path.read_text())}


def test_every_literal_key_used_in_code_exists():
    keys = _static_keys()
    assert len(keys) > 50  # the scan really finds the calls
    assert sorted(keys - set(catalog("en"))) == []


def test_every_error_notice_and_reason_code_has_a_message():
    en = catalog("en")
    expected = {f"program.error.{c}" for c in _codes("ProgramError")}
    expected |= {f"input.error.{c}" for c in _codes("InputError")}
    rejected = {c for path in UI_SOURCES for c in re.findall(r'reject\([^)]*code="([a-z_]+)"', path.read_text())}
    refusals = _codes("Refusal") | rejected | {"invalid"}
    expected |= {f"{kind}.{c}" for c in refusals for kind in ("notice", "refusal")}
    expected |= {f"device.reason.{c}" for c in ("ok", "not_built", "no_hardware")}
    assert len(expected) > 30
    assert sorted(expected - set(en)) == []


def test_params_are_escaped_so_they_cannot_render_as_markdown_or_html():
    text = translate("en", "refusal.invalid", name="x", value="<script>alert(1)</script>[a](b)", expected="1")
    assert "<script>" not in text and "\\<script\\>" in text and "\\[a\\]\\(b\\)" in text
    assert escape_markdown("a.b") == "a\\.b"


@pytest.mark.parametrize(
    ("locale", "lang"),
    [("es-ES", "es"), ("es", "es"), ("es_AR", "es"), ("en-US", "en"), ("fr-FR", "en"), (None, "en"), ("", "en")],
)
def test_language_follows_a_spanish_browser_locale(locale, lang):
    assert language_from_locale(locale) == lang
