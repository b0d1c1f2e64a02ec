"""No code path can run user text or render it as HTML; the server configuration is locked down."""

import ast
import tomllib

from tests.conftest import ROOT

SOURCES = [p for folder in ("core", "dashboard", "pages") for p in sorted((ROOT / folder).rglob("*.py"))]
RUNS_CODE = {"eval", "exec", "compile", "__import__", "execfile", "runpy"}
# the CLI imports `core.<name>.cli` for each registered page: names from dashboard/registry.py, never from a user
IMPORTS_BY_REGISTRY_NAME = {"core/cli.py"}


def calls(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            yield node


def test_no_source_calls_eval_exec_compile_or_import_by_name():
    offenders = []
    for path in SOURCES:
        for node in calls(path):
            func = node.func
            if isinstance(func, ast.Name) and func.id in RUNS_CODE:  # eval(...), exec(...), compile(...)
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {func.id}")
            owner = getattr(getattr(func, "value", None), "id", "")
            attr = getattr(func, "attr", "")
            if str(path.relative_to(ROOT)) in IMPORTS_BY_REGISTRY_NAME and (owner, attr) == (
                "importlib",
                "import_module",
            ):
                continue
            if isinstance(func, ast.Attribute) and (
                owner in {"builtins", "importlib", "runpy"} and func.attr in RUNS_CODE | {"import_module", "run_path"}
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner}.{func.attr}")
    assert offenders == []


def test_registry_names_are_plain_identifiers():
    """What the CLI imports by name is `core.<name>.cli` for these names only."""
    from dashboard.registry import PAGES

    assert all(page.name.isidentifier() and page.name.islower() for page in PAGES)
    assert len({page.name for page in PAGES}) == len({page.url_path for page in PAGES}) == len(PAGES)


def test_no_source_allows_unsafe_html():
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in SOURCES
        for node in calls(path)
        if any(k.arg in {"unsafe_allow_html", "unsafe_allow_javascript"} for k in node.keywords)
    ]
    assert offenders == []


def test_html_is_only_ever_a_static_stylesheet():
    uses = [(path, node) for path in SOURCES for node in calls(path) if getattr(node.func, "attr", "") == "html"]
    assert len(uses) == 1
    path, node = uses[0]
    assert path.name == "app.py" and isinstance(node.args[0], ast.Name) and node.args[0].id == "PRESENTER_CSS"


def test_the_only_parse_of_user_text_is_ast_parse_in_the_program_checker():
    parses = [
        (path.name, node.lineno)
        for path in SOURCES
        for node in calls(path)
        if isinstance(node.func, ast.Attribute)
        and node.func.attr == "parse"
        and getattr(node.func.value, "id", "") == "ast"
    ]
    assert [name for name, _ in parses] == ["program.py"]


def test_server_configuration_is_locked_down():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["maxUploadSize"] == 1 and server["maxMessageSize"] <= 10
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
