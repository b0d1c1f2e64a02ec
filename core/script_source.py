"""Real functions and classes as a 'Reproduce this' script's text: their source, what they need, and their imports.

A routine is emitted with inspect.getsource, after the functions, classes and constants of its module it uses (found
in its syntax tree) and with the imports it reads, which must come from torch or the standard library: the script
runs where nothing of this repository is installed.
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from core.parse_lock import PARSE_LOCK

ALLOWED_TOP_MODULES = frozenset({"torch", *sys.stdlib_module_names})
REPOSITORY_PACKAGE = __name__.split(".")[0]  # routines of this package are copied into a script, never imported


@dataclass(frozen=True, kw_only=True)
class Import:
    """One imported name: `import module` (name None) or `from module import name`, maybe `as alias`."""

    module: str
    name: str | None = None
    alias: str | None = None

    @property
    def line(self) -> str:
        bound = f" as {self.alias}" if self.alias else ""
        return f"import {self.module}{bound}" if self.name is None else f"from {self.module} import {self.name}{bound}"


@dataclass(frozen=True, kw_only=True)
class Routines:
    """The routines' source, each after what it uses and followed by two blank lines, and the imports they read."""

    imports: tuple[Import, ...]
    lines: tuple[str, ...]


@functools.cache  # core's source does not change while the server runs: read once, not on every page rerun
def routines(*objects: object) -> Routines:
    """The source of `objects` (functions or classes) and of their module's functions, classes and constants they
    use, each once and before its first user (constants that read no routine first of all), with their imports.

    Raises:
        ValueError: a routine reads an import from outside torch and the standard library, or a module global
            that is none of an import, a routine or a `NAME = ...` constant.
    """
    emitted: dict[str, list[str]] = {}
    imports: dict[Import, None] = {}
    plain: set[str] = set()  # constants that read no routine: they go first, together
    for obj in objects:
        _emit(sys.modules[obj.__module__], obj.__name__, emitted, imports, plain)
    lines = [""]  # with the header's blank line, the two a definition wants
    constants = [line for key, source in emitted.items() if key in plain for line in source]
    if constants:
        lines += [*constants, "", ""]
    for key, source in emitted.items():
        lines += [] if key in plain else [*source, "", ""]
    return Routines(imports=tuple(imports), lines=tuple(lines))


def _emit(module, name: str, emitted: dict[str, list[str]], imports: dict[Import, None], plain: set[str]) -> None:
    key = f"{module.__name__}.{name}"
    if key in emitted:
        return
    emitted[key] = []  # reserved first: a routine that uses itself (recursion) is not emitted twice
    source, tree = _definition(module, name)
    bound = _module_imports(module)
    reads_routine = False
    for used in sorted(_free_names(tree)):
        value = vars(module).get(used)
        if used in bound and not _is_routine(value):
            imports[_allowed(bound[used])] = None
        elif _is_routine(value):
            _emit(sys.modules[value.__module__], value.__name__, emitted, imports, plain)
            reads_routine = True
        elif used in _top_level(module):
            _emit(module, used, emitted, imports, plain)
            reads_routine = reads_routine or f"{module.__name__}.{used}" not in plain
        elif used in vars(module):
            raise ValueError(f"{key} reads {used}, which is neither an import, a routine nor a NAME = ... constant")
    del emitted[key]  # what it uses goes first
    emitted[key] = source.splitlines()
    if not reads_routine and not _is_routine(vars(module)[name]):
        plain.add(key)


def _definition(module, name: str) -> tuple[str, ast.stmt]:
    """The source of `name` in `module` and its syntax tree: a function or class (inspect.getsource), or a
    constant's assignment with the comment that ends its line."""
    node = _top_level(module)[name]
    if _is_routine(vars(module)[name]):
        return textwrap.dedent(inspect.getsource(vars(module)[name])).rstrip(), node
    module_lines = inspect.getsource(module).splitlines()
    return "\n".join(module_lines[node.lineno - 1 : node.end_lineno]), node


def _is_routine(value: object) -> bool:
    """A function or class of this repository (torch's and the standard library's are imported, never copied)."""
    if not (inspect.isfunction(value) or inspect.isclass(value)):
        return False
    return value.__module__.split(".")[0] == REPOSITORY_PACKAGE


@functools.cache
def _module_tree(module) -> ast.Module:
    with PARSE_LOCK:  # see core.parse_lock
        return ast.parse(inspect.getsource(module))


def _module_imports(module) -> dict[str, Import]:
    """The names `module` binds by its top-level imports, and how (`from __future__` left out)."""
    bound = {}
    for node in _module_tree(module).body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                bound[name] = Import(module=alias.name if alias.asname else name, alias=alias.asname)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__" and node.level == 0:
            for alias in node.names:
                bound[alias.asname or alias.name] = Import(module=node.module, name=alias.name, alias=alias.asname)
    return bound


def _top_level(module) -> dict[str, ast.stmt]:
    """The module's top-level functions and classes, and its assignments of one name (`NAME = ...`), by name."""
    found = {}
    for node in _module_tree(module).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found[node.name] = node
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if isinstance(node, ast.Assign | ast.AnnAssign) and len(targets) == 1 and isinstance(targets[0], ast.Name):
            found[targets[0].id] = node
    return found


def _free_names(definition: ast.stmt) -> set[str]:
    """Names the definition reads and never binds itself (parameters, assignments and inner definitions bind)."""
    read, bound = set(), set()
    for node in ast.walk(definition):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node is not definition:
            bound.add(node.name)
    return read - bound


def _allowed(imported: Import) -> Import:
    if imported.module.split(".")[0] not in ALLOWED_TOP_MODULES:
        raise ValueError(f"a script may import only torch and the standard library, not {imported.module}")
    return imported


def import_lines(imports: Iterable[Import]) -> list[str]:
    """The import statements, grouped and ordered as isort (ruff's I rules) wants: the standard library, then torch;
    in each, `import` lines before `from` lines; one `from` line per module, its names by type then name."""
    standard = sorted({i for i in imports if i.module.split(".")[0] != "torch"}, key=lambda i: i.line)
    third_party = sorted({i for i in imports if i.module.split(".")[0] == "torch"}, key=lambda i: i.line)
    groups = [_section(group) for group in (standard, third_party) if group]
    return [line for index, group in enumerate(groups) for line in ([""] if index else []) + group]


def _section(imports: list[Import]) -> list[str]:
    plain = sorted({i.line for i in imports if i.name is None}, key=str.lower)
    modules = sorted({i.module for i in imports if i.name is not None}, key=str.lower)
    froms = []
    for module in modules:
        names = sorted({i.line.split(" import ", 1)[1] for i in imports if i.module == module and i.name}, key=_by_type)
        froms.append(f"from {module} import {', '.join(names)}")
    return [*plain, *froms]


def _by_type(name: str) -> tuple[int, str]:
    """isort's order-by-type: CONSTANTS, then Classes, then the rest, each alphabetically."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()
