"""The Spanish catalog's wording: no English or literal phrasing left, one term for kernels, one word for Play,
titles in one style; and a number input that writes its value as the text does."""

import re

from dashboard.i18n import catalog

EN, ES = catalog("en"), catalog("es")
MINE = ES  # every page's texts, the training page's included
BANNED = (
    "Define-by-run",  # glossed as "El grafo se define al ejecutar (*define-by-run*)"
    "Tiempo de explain",
    "hacer explain",
    "tal como está",
    "no pueda conocer",
    "al que recurrir",
    "genera máscaras nuevas al azar",
    "se salta el *frame*",
    "se salta el marco",
    # a kernel has one name, "kernel"; "núcleo" is a CPU core
    "núcleos de cálculo",
    "núcleos de Triton",
    "núcleo de cálculo",
)


def test_no_english_or_literal_phrase_is_left_in_spanish():
    found = {key: phrase for key, text in MINE.items() for phrase in BANNED if phrase in text}
    assert not found, found


def test_a_kernel_is_called_a_kernel_wherever_english_says_kernel():
    keys = [key for key in MINE if "kernel" in EN[key].lower()]
    assert keys and all("kernel" in ES[key] for key in keys), [ES[key] for key in keys if "kernel" not in ES[key]]
    assert not [key for key, text in MINE.items() if "núcleo" in text and "kernel" in EN[key].lower()]


def test_every_play_button_says_reproducir():
    plays = {key: ES[key].removeprefix("▶ ") for key in MINE if key.endswith(".play")}
    assert len(plays) >= 2 and set(plays.values()) == {"Reproducir"}, plays
    assert "Animar" not in " ".join(MINE.values())  # nor does any text name the button otherwise


def test_page_titles_share_one_style():
    titles = {key: ES[key] for key in MINE if key.startswith("page.") or key.endswith(".title") and "." not in key[:-6]}
    assert not [title for title in titles.values() if re.search(r"\bvs\.?\b", title)], titles
    assert ES["compiled.title"] == ES["page.compiled"] == "Eager frente a compilado"


def test_the_loops_budget_input_writes_the_spanish_decimal_comma(make_app):
    at = make_app({"lang": "es", "sizes": "10", "budget": "0.5"}, page="loops")
    budget = at.text_input(key="widget.budget")
    assert budget.value == "0,5"  # as the text writes it: not "0.50" beside "0,9"
