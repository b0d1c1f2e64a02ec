"""The README stays a newcomer's page and the docs stay connected: a short README with the two commands, every
relative link (and its #anchor) in README.md and docs/*.md leading somewhere, every docs page on the map."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 250
# generated from the code by its own change; until that lands, links to it are the only ones allowed to dangle
PENDING = {DOCS / "parameters.md"}

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def links(path: Path) -> list[str]:
    """The link targets of `path`, code blocks and code spans left out (their brackets are code, not links)."""
    text = CODE_SPAN.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))
    return LINK.findall(text)


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for `path`'s headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered."""
    seen: dict[str, int] = {}
    result = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading keeps only its text
        slug = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def broken_link(source: Path, target: str) -> str | None:
    """Why `target` (a link in `source`) leads nowhere, or None; web addresses are not followed."""
    if re.match(r"[a-z][a-z0-9+.-]*:", target):
        return None
    file_part, _, anchor = target.partition("#")
    destination = (source.parent / file_part).resolve() if file_part else source
    if destination in PENDING and not destination.exists():
        return None
    if not destination.exists():
        return "no such file"
    if anchor and destination.suffix == ".md" and anchor not in anchors(destination):
        return f"no heading #{anchor}"
    return None


def test_the_readme_is_short_enough_for_a_newcomer():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines; move reference material to docs/"


def test_the_readme_names_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text


def test_every_relative_link_leads_to_an_existing_file_and_heading():
    broken = []
    for path in markdown_files():
        for target in links(path):
            reason = broken_link(path, target)
            if reason:
                broken.append(f"{path.relative_to(ROOT)}: ({target}) {reason}")
    assert broken == []


def test_every_docs_page_is_on_the_map():
    mapped = {(DOCS / target.partition("#")[0]).resolve() for target in links(DOCS / "index.md")}
    missing = [p.name for p in sorted(DOCS.glob("*.md")) if p.name != "index.md" and p.resolve() not in mapped]
    assert missing == []
