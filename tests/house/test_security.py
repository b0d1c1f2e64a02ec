"""No code path can run user text or render it as HTML; the server configuration is locked down."""

import ast
import tomllib

from tests.conftest import ROOT

SOURCES = [p for folder in ("core", "dashboard", "pages") for p in sorted((ROOT / folder).rglob("*.py"))]
RUNS_CODE = {"eval", "exec", "compile", "__import__", "execfile", "runpy"}
# the CLI imports `core.<name>.cli` for each registered page: names from dashboard/registry.py, never from a user
IMPORTS_BY_REGISTRY_NAME = {"core/cli.py"}
# the one compile(): of a syntax tree built from the checker's nodes and checked again, never of text (README,
# "The Eager vs compiled page: how the program becomes a Python function"); see the test below
COMPILES_A_CHECKED_TREE = ("core/compiled/function.py", "build")
PARSES_OWN_SOURCE = "script_source.py"  # the one other ast.parse: of a module of core, for the scripts (see below)


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
                if (str(path.relative_to(ROOT)), func.id) == (COMPILES_A_CHECKED_TREE[0], "compile"):
                    continue  # held to its narrow use by the next test
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


def test_the_one_compile_takes_a_tree_checked_just_before_and_never_runs_the_module():
    path, function_name = COMPILES_A_CHECKED_TREE
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    (function,) = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function_name]
    compiles = [n for n in calls_in(function) if getattr(n.func, "id", "") == "compile"]
    checks = [n for n in calls_in(function) if getattr(n.func, "id", "") == "check_tree"]
    (compile_call,) = compiles
    (check_call,) = checks
    tree_name = compile_call.args[0].id  # a name, not text: the ast.Module built in this function
    assert check_call.args[0].id == tree_name and check_call.lineno < compile_call.lineno
    assert any(
        isinstance(n, ast.Assign) and n.targets[0].id == tree_name and n.value.func.attr == "Module"
        for n in ast.walk(function)
        if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name) and isinstance(n.value, ast.Call)
    )
    assert not [n for n in calls_in(function) if getattr(n.func, "id", "") in {"exec", "eval"}]


def calls_in(node):
    return [n for n in ast.walk(node) if isinstance(n, ast.Call)]


def test_registry_names_are_plain_identifiers():
    """What the CLI imports by name is `core.<name>.cli` for these names only."""
    from dashboard.registry import PAGES

    assert all(page.name.isidentifier() and page.name.islower() for page in PAGES)
    assert len({page.name for page in PAGES}) == len({page.url_path for page in PAGES}) == len(PAGES)


# the one place the app runs a script in the page: a fixed file (dashboard/accessible.js) whose only variable part is
# one of the catalog's language codes (the document's language), put in by dashboard/app.py
PAGE_SCRIPT_CALL = ("app.py", "script")


def _html_calls():
    return [(path, node) for path in SOURCES for node in calls(path) if getattr(node.func, "attr", "") == "html"]


def test_no_source_allows_unsafe_html_and_the_one_page_script_is_a_fixed_file():
    unsafe = [
        (path, node)
        for path in SOURCES
        for node in calls(path)
        if any(k.arg in {"unsafe_allow_html", "unsafe_allow_javascript"} for k in node.keywords)
    ]
    assert [(path.name, node.func.attr) for path, node in unsafe] == [("app.py", "html")]
    ((_, node),) = unsafe
    assert not any(k.arg == "unsafe_allow_html" for k in node.keywords)
    (html,) = node.args
    names = {n.id for n in ast.walk(html) if isinstance(n, ast.Name)}
    assert isinstance(html, ast.JoinedStr) and names == {PAGE_SCRIPT_CALL[1]}  # f"...<script>{script}</script>"
    app = (ROOT / "dashboard" / "app.py").read_text(encoding="utf-8")
    assert 'script = PAGE_SCRIPT.read_text().replace("LANG", language)' in app
    assert "language = next(code for code in LANGUAGES if code == current_lang())" in app


def test_html_is_only_static_stylesheets_and_the_page_script():
    uses = _html_calls()
    stylesheets = sorted(node.args[0].id for _, node in uses if isinstance(node.args[0], ast.Name))
    assert stylesheets == ["ACCESSIBLE_CSS", "PRESENTER_CSS"]
    assert all(path.name == "app.py" for path, _ in uses) and len(uses) == 3  # the two stylesheets, the one script


def test_the_only_parse_of_user_text_is_ast_parse_in_the_program_checker():
    parses = [
        (path.name, node)
        for path in SOURCES
        for node in calls(path)
        if isinstance(node.func, ast.Attribute)
        and node.func.attr == "parse"
        and getattr(node.func.value, "id", "") == "ast"
    ]
    # the scripts' emitter parses this repository's own modules, as inspect.getsource reads them: never user text
    own = [node for name, node in parses if name == PARSES_OWN_SOURCE]
    assert [name for name, _ in parses if name != PARSES_OWN_SOURCE] == ["program.py"] and len(own) == 1
    (argument,) = own[0].args
    assert ast.unparse(argument) == "inspect.getsource(module)"


def test_server_configuration_is_locked_down():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["maxUploadSize"] == 1 and server["maxMessageSize"] <= 10
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    assert config["runner"]["postScriptGC"] is False  # a full collection per run stalled health checks
