"""'Reproduce this' as a Jupyter notebook: the page's script cut into cells, with its explanation in markdown.

A notebook is built from a script that core already assembled from checked material (core.scripts,
core.script_source): nothing here writes code, it only cuts the script's text where the assembly left blank lines
between top-level blocks, so the cells run in order are the script. The texts around the code (title, explanation,
how to run it, section headings) come in from the caller in the learner's language: core holds no catalog.

Where the script is cut: the header (docstring with the settings, imports, threads, device, dtype, seed) ends at
its first two blank lines; every routine core.script_source copies is followed by two blank lines; the statements
that run and print are cut at their blank lines, but only where the next line starts a new top-level statement
(never inside an indented block, a bracket or a triple-quoted string). A challenge's notebook reuses the same cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# a line after a blank line that continues the statement above it, so the blank line is no place to cut
_CONTINUES = re.compile(r"(else|elif|except|finally|case)\b|[)\]}]")
# a routine, a class, or a constant or type alias (`LIMIT = 10`, `Inputs = Mapping[...]`); the statements a
# script assembles bind lower-case names (x, model, inputs, _report)
_DEFINES = re.compile(r"(@|def |async def |class |[A-Z]\w*\s*[:=])")


@dataclass(frozen=True, kw_only=True)
class NotebookTexts:
    """The words around a page's code, in the learner's language (markdown).

    run_note: how to run the notebook; settings, routines, run: the headings of the header cell, of the routines
    copied from Eager Lab's code and of the statements that run and print.
    """

    run_note: str
    settings: str
    routines: str
    run: str


@dataclass(frozen=True, kw_only=True)
class ChallengeTexts:
    """The words around a challenge's cells, in the learner's language (markdown): how to run it and the headings
    of the task, of the code the learner edits and of the check."""

    run_note: str
    task: str
    your_code: str
    check: str


@dataclass(frozen=True, kw_only=True)
class Section:
    """Code cells under one heading ("" for none)."""

    heading: str
    cells: tuple[str, ...]


def notebook_of(script_text: str, *, title: str, explanation_md: str, lang: str, texts: NotebookTexts) -> str:
    """The page's script as a notebook's JSON: the title and explanation, how to run it, then the script's cells.

    Args:
        script_text: a 'Reproduce this' script as core built it (header, routines, the statements that run).
        title: the page's title; explanation_md: what the page explains (markdown); both in the learner's language.
        lang: the learner's language code, kept in the notebook's metadata.
        texts: the notebook's other words in that language.

    Returns:
        The .ipynb file's text (nbformat 4); its code cells, run in order, run the script.
    """
    return build(
        title=title,
        intro_md=explanation_md,
        run_note=texts.run_note,
        sections=script_sections(script_text, texts),
        lang=lang,
    )


def challenge_notebook(
    *,
    title: str,
    task_md: str,
    setup_code: str,
    starting_code: str,
    check_code: str,
    lang: str,
    texts: ChallengeTexts,
) -> str:
    """A challenge as a notebook's JSON: the task, the set-up (settings, inputs, helpers) to run as given, the
    starting code the learner edits, and a cell of `assert`s that fails until the learner's code is right.

    The code comes from the challenge's definition, built like a page's script (never from the learner's text);
    `setup_code` may be a whole script (it is cut into cells like a page's), or "".
    """
    setup = script_sections(setup_code, None) if setup_code.strip() else ()
    sections = (
        *setup,
        Section(heading=f"## {texts.your_code}", cells=(starting_code.strip(),)),
        Section(heading=f"## {texts.check}", cells=(check_code.strip(),)),
    )
    return build(
        title=title, intro_md=f"## {texts.task}\n\n{task_md}", run_note=texts.run_note, sections=sections, lang=lang
    )


def build(*, title: str, intro_md: str, run_note: str, sections: Sequence[Section], lang: str) -> str:
    """The notebook's JSON: a markdown cell with the title and introduction, one with how to run it, then each
    section's heading (a markdown cell) and code cells. Cell ids are their positions, so the same input gives the
    same file (a page rerun offers an unchanged download)."""
    # imported here: nbformat brings jsonschema (about 0.4 s), paid at the first download, not at every app start
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = [new_markdown_cell(f"# {title}\n\n{intro_md}"), new_markdown_cell(run_note)]
    for section in sections:
        cells += [new_markdown_cell(section.heading)] if section.heading else []
        cells += [new_code_cell(code) for code in section.cells]
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index}"
    metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}, "eager_lab": {"lang": lang}}
    return nbformat.writes(new_notebook(cells=cells, metadata=metadata), version=4)


def script_sections(script_text: str, texts: NotebookTexts | None) -> tuple[Section, ...]:
    """The script cut into code cells, under three headings: settings (the header), routines (the definitions that
    follow it), run (from the first statement that is not a definition on). Without texts, no headings."""
    pieces = _pieces(script_text)
    if len(pieces) < 2:
        return (Section(heading="", cells=tuple(pieces)),)
    header, *rest = pieces
    first_run = next((i for i, piece in enumerate(rest) if not _DEFINES.match(_first_code_line(piece))), len(rest))
    headings = ("", "", "") if texts is None else (texts.settings, texts.routines, texts.run)
    parts = zip(headings, ((header,), tuple(rest[:first_run]), tuple(rest[first_run:])), strict=True)
    return tuple(Section(heading=f"## {heading}" if heading else "", cells=cells) for heading, cells in parts if cells)


def _pieces(script_text: str) -> list[str]:
    """The header (up to its first two blank lines), then the top-level blocks of the rest, cut at blank lines."""
    lines = script_text.strip("\n").split("\n")
    pieces: list[list[str]] = [[]]
    blanks = 0
    header_done = False
    for line in lines:
        if not line.strip():
            blanks += 1
            pieces[-1].append(line)
            continue
        closed = _starts_statement(line) and _strings_closed("\n".join(pieces[-1]))
        if blanks and closed and (header_done or blanks >= 2):
            pieces[-1] = pieces[-1][:-blanks]
            pieces.append([])
            header_done = True
        blanks = 0
        pieces[-1].append(line)
    return ["\n".join(piece).strip("\n") for piece in pieces if "".join(piece).strip()]


def _starts_statement(line: str) -> bool:
    return line[:1] not in (" ", "\t") and not _CONTINUES.match(line)


def _strings_closed(text: str) -> bool:
    """No triple-quoted string is open at the end of `text` (a blank line inside one is no place to cut)."""
    return text.count('"""') % 2 == 0 and text.count("'''") % 2 == 0


def _first_code_line(piece: str) -> str:
    return next((line for line in piece.split("\n") if line.strip() and not line.startswith("#")), "")
