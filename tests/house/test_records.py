"""Records are built by keyword (issue #23): no call passes six or more arguments by position, and every frozen
dataclass in core/ and dashboard/ (results, requests, the records they carry) is keyword-only, so each call says
which field gets which value and a field added or moved cannot shift the others silently.

The exceptions are listed below with their reason. One that no longer applies fails, so the lists only shrink;
those PENDING on the parallel changes of issue #23 only warn once they no longer apply: remove them then.
"""

from __future__ import annotations

import ast
import warnings

from tests.conftest import ROOT

SCANNED = ("core", "pages", "dashboard", "bench", "tests")
RECORDS = ("core", "dashboard")  # where every frozen dataclass must be keyword-only
MAX_POSITIONAL = 5

PENDING = "being rewritten in a parallel change of issue #23 (its module, or a caller that builds it by position)"
# (file, callee) -> why its calls there may still pass six or more arguments by position
POSITIONAL_EXCEPTIONS: dict[tuple[str, str], str] = {}
# (file, class) -> why that frozen dataclass is not keyword-only
KW_ONLY_EXCEPTIONS = {
    # one registry line per page: name, url path and icon by position, as the page recipe writes it
    # (docs/adding-a-page.md, tests/house/test_recipe.py); anything further by keyword
    ("dashboard/registry.py", "PageEntry"): "a registry row, written as the page recipe shows it",
}


def _modules(*folders: str) -> list[tuple[str, ast.Module]]:
    paths = sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))
    return [(p.relative_to(ROOT).as_posix(), ast.parse(p.read_text(encoding="utf-8"), str(p))) for p in paths]


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def positional_calls(modules: list[tuple[str, ast.Module]]) -> dict[tuple[str, str], list[int]]:
    """(file, callee) -> the lines where a capitalised name is called with six or more positional arguments."""
    found: dict[tuple[str, str], list[int]] = {}
    for path, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and len(node.args) > MAX_POSITIONAL:
                name = _callee(node)
                if name and name[0].isupper():
                    found.setdefault((path, name), []).append(node.lineno)
    return found


def _dataclass_options(decorator: ast.expr) -> dict[str, object] | None:
    """The keyword options of a @dataclass / @dataclasses.dataclass decorator, None for any other decorator."""
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call else decorator
    name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
    if name != "dataclass":
        return None
    return {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg} if call else {}


def frozen_dataclasses(modules: list[tuple[str, ast.Module]]) -> dict[tuple[str, str], bool]:
    """(file, class) -> whether it is keyword-only, for every frozen dataclass."""
    found = {}
    for path, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for decorator in node.decorator_list:
                    options = _dataclass_options(decorator)
                    if options is not None and options.get("frozen"):
                        found[(path, node.name)] = bool(options.get("kw_only"))
    return found


def test_no_call_passes_six_or_more_arguments_by_position():
    found = positional_calls(_modules(*SCANNED))
    offenders = [
        f"{path}:{lines} {name}" for (path, name), lines in found.items() if (path, name) not in POSITIONAL_EXCEPTIONS
    ]
    assert offenders == [], "name the arguments (keyword-only records), or list the call here with its reason"
    _assert_none_stale([key for key in POSITIONAL_EXCEPTIONS if key not in found], POSITIONAL_EXCEPTIONS)


def test_every_frozen_dataclass_is_keyword_only():
    records = frozen_dataclasses(_modules(*RECORDS))
    assert len(records) > 50  # the walk does find the records
    loose = [key for key, kw_only in records.items() if not kw_only]
    offenders = [f"{path} {name}" for path, name in loose if (path, name) not in KW_ONLY_EXCEPTIONS]
    assert offenders == [], "make it @dataclass(frozen=True, kw_only=True), or list it here with its reason"
    _assert_none_stale([key for key in KW_ONLY_EXCEPTIONS if key not in loose], KW_ONLY_EXCEPTIONS)


def _assert_none_stale(stale: list[tuple[str, str]], exceptions: dict[tuple[str, str], str]) -> None:
    """An exception that no longer applies fails; a PENDING one warns (its change may land before this list)."""
    pending = [key for key in stale if exceptions[key] == PENDING]
    if pending:
        warnings.warn(f"no longer needed, remove: {pending}", stacklevel=2)
    assert [key for key in stale if key not in pending] == [], "no longer needed: remove them from the exceptions"


def test_the_checks_see_what_they_look_for():
    source = (
        "from dataclasses import dataclass\n"
        "import dataclasses\n"
        "@dataclass(frozen=True)\nclass Loose:\n    a: int\n"
        "@dataclasses.dataclass(frozen=True, kw_only=True)\nclass Strict:\n    a: int\n"
        "@dataclass\nclass Mutable:\n    a: int\n"
        "Point(1, 2, 3, 4, 5)\nmodule.Point(1, 2, 3, 4, 5, 6)\nmake(1, 2, 3, 4, 5, 6)\n"
    )
    modules = [("x.py", ast.parse(source))]
    assert frozen_dataclasses(modules) == {("x.py", "Loose"): False, ("x.py", "Strict"): True}
    assert positional_calls(modules) == {("x.py", "Point"): [13]}  # five by position pass; make() is no class
