"""The house rules a reader relies on: short functions, one folder per page, pages using only their own texts."""

from __future__ import annotations

import ast
import re

from dashboard.registry import PAGES
from tests.conftest import ROOT

MAX_FUNCTION_LINES = 60
SOURCES = [
    p for folder in ("core", "dashboard", "pages", "bench", "tests") for p in sorted((ROOT / folder).rglob("*.py"))
]
# catalog prefixes every page may use: the shell's, the shared widgets', and core's error messages
SHARED_PREFIXES = {
    "common",
    "case",
    "export",
    "program",
    "input",
    "limits",
    "notice",
    "measured_at",
    "measured",
    "job",
    "timing",
    "measuring",
    "page",
    "settings",
    "presenter",
    "device",
    "share",
}


def function_lengths():
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1


def test_no_function_is_longer_than_sixty_lines():
    assert [(where, length) for where, length in function_lengths() if length > MAX_FUNCTION_LINES] == []


def test_every_registered_page_has_its_ui_folder_and_core_folder():
    for page in PAGES:
        assert page.script.is_file(), page
        core = ROOT / page.core_module.replace(".", "/")
        assert (core / "cli.py").is_file() and (core / "reproduce.py").is_file(), page
    # and nothing else lives in pages/ or core/ as a page
    assert {p.name for p in (ROOT / "pages").iterdir() if p.is_dir() and p.name != "__pycache__"} == {
        page.name for page in PAGES
    }


def test_a_page_uses_only_its_own_and_the_shared_text_keys():
    borrowed = []
    for page in PAGES:
        for path in sorted(page.script.parent.glob("*.py")):
            for key in re.findall(r"""\bt[p]?\(\s*f?["']([a-z_]+)\.""", path.read_text(encoding="utf-8")):
                if key not in SHARED_PREFIXES | {page.name}:
                    borrowed.append(f"{path.relative_to(ROOT)}: {key}")
    assert borrowed == []


def test_every_code_block_wraps_its_lines():
    """st.code scrolls sideways unless told to wrap: code and PyTorch's messages must be readable without it."""
    unwrapped = []
    for path in SOURCES:
        if ROOT / "tests" in path.parents:  # the tests' own throwaway pages are not the app
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "code":
                wraps = any(k.arg == "wrap_lines" and getattr(k.value, "value", None) is True for k in node.keywords)
                if not wraps:
                    unwrapped.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert unwrapped == []


def test_a_page_script_is_its_body_only():
    """Module-level code escapes the sixty-line rule: a page script holds its docstring, imports, constants,
    functions and the one render(...) call of the shared frame, nothing else."""
    for page in PAGES:
        module = ast.parse(page.script.read_text(encoding="utf-8"))
        loose = []
        for node in module.body:
            if isinstance(node, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef):
                continue
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):  # the docstring
                continue
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):  # a named constant
                continue
            loose.append(ast.unparse(node)[:60])
        assert len(loose) == 1 and loose[0].startswith("render(PageFrame("), (page.name, loose)
