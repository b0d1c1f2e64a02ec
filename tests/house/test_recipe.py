"""'Adding a page' (docs/adding-a-page.md) works as written: in a copy of the tree, one UI folder, one core folder with
the page's spec (its parameter declared once), one registry line and the page's catalog keys make a page that
navigation, the URL, the CLI (same option, same limits, same refusal), the parameter docs and the fuzz suite pick up,
no other edit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from dashboard.registry import PAGES
from tests.conftest import ROOT

RECIPE = ROOT / "tests" / "recipe"
SKIP = shutil.ignore_patterns(".venv", ".git", "artifacts", "__pycache__", ".pytest_cache", ".ruff_cache")
REGISTRY_LINE = '    PageEntry("echo", "echo", ":material/repeat:"),\n'
# one interpreter for what the new page shows: the app at times=3 and times=11, the CLI, the generated docs
SHOW = """
import contextlib, io, json
from streamlit.testing.v1 import AppTest
from core.cli import main
from core.docs import parameters_markdown

def page(times):
    at = AppTest.from_file("dashboard/app.py", default_timeout=60)
    at.query_params["x"] = "1, 2, 3"
    at.query_params["times"] = times
    at.run()
    links = [link.proto.page for link in at.get("page_link")]
    at.switch_page("../pages/echo/page.py").run()
    return {"exceptions": [e.value for e in at.exception], "title": at.title[0].value, "code": at.code[0].value,
            "links": links, "times": at.query_params["times"], "warning": " ".join(w.value for w in at.warning)}

def cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as stop:
            code = stop.code
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}

shown = {"page": {times: page(times) for times in ("3", "11")}, "docs": parameters_markdown(),
         "cli": {"valid": cli("echo", "--x", "1,2,3", "--times", "4"), "refused": cli("echo", "--times", "11")}}
print(json.dumps(shown))
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the repository with the throwaway page added exactly as the recipe (docs/adding-a-page.md) says."""
    root = tmp_path_factory.mktemp("house") / "eager-lab"
    shutil.copytree(ROOT, root, ignore=SKIP)
    (root / "pages" / "echo").mkdir()  # 1. the UI folder, with its page script
    shutil.copy(RECIPE / "page.py", root / "pages" / "echo" / "page.py")
    (root / "core" / "echo").mkdir()  # 2. the core folder, with its spec.py, cli.py and reproduce.py
    (root / "core" / "echo" / "__init__.py").write_text('"""x added up."""\n')
    shutil.copy(RECIPE / "spec.py", root / "core" / "echo" / "spec.py")
    shutil.copy(RECIPE / "cli.py", root / "core" / "echo" / "cli.py")
    shutil.copy(RECIPE / "reproduce.py", root / "core" / "echo" / "reproduce.py")
    registry = root / "dashboard" / "registry.py"  # 3. one registry line
    text = registry.read_text()
    anchor = "\n)\n"  # the end of the PAGES tuple: the new page comes last
    assert text.count(anchor) == 1
    registry.write_text(text.replace(anchor, "\n" + REGISTRY_LINE + ")\n"))
    for lang, title in (("en", "Echo"), ("es", "Eco")):  # 4. its catalog keys
        catalog = root / "dashboard" / "locales" / f"{lang}.json"
        keys = json.loads(catalog.read_text(encoding="utf-8"))
        keys |= {"page.echo": title, "echo.title": title, "echo.intro": title}
        catalog.write_text(json.dumps(keys, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return root


def run(tree, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], cwd=tree, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def shown(tree) -> dict:
    done = run(tree, "-c", SHOW)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_navigation_shows_the_new_page_and_its_parameter_comes_from_the_url(shown):
    page = shown["page"]["3"]
    assert page["exceptions"] == [] and page["title"] == "Echo" and page["code"] == "[3.0, 6.0, 9.0]"
    assert page["times"] == "3" and not page["warning"]
    assert page["links"] == [p.url_path for p in PAGES if p.url_path] + ["echo"]  # home links them


def test_a_value_its_spec_refuses_is_a_notice_on_the_page_and_the_same_error_in_the_cli(shown):
    page, cli = shown["page"]["11"], shown["cli"]["refused"]
    sentence = "is out of range (expected a whole number from 1 to 10)"
    assert page["code"] == "[2.0, 4.0, 6.0]" and page["times"] == "2" and "“times=`11`” " + sentence in page["warning"]
    assert cli["code"] == 2 and f"argument --times: “times=11” {sentence}" in cli["err"]


def test_the_cli_has_the_new_sub_command_with_the_pages_option(shown):
    cli = shown["cli"]["valid"]
    assert cli["code"] == 0, cli["err"]
    report = json.loads(cli["out"])
    assert report["page"] == "echo" and report["values"] == [4.0, 8.0, 12.0]
    assert report["settings"]["x"] == "1,2,3" and report["settings"]["times"] == 4


def test_the_parameter_docs_list_the_new_page(shown):
    assert "## `/echo` (echo)" in shown["docs"]
    assert "| `times` | a whole number from 1 to 10 | `2` | `--times` | how many times x is added up |" in shown["docs"]


def test_the_fuzz_suite_and_the_house_rules_cover_the_new_page(tree):
    suites = ("tests/program/test_fuzz.py", "tests/house/test_house.py")
    chosen = ("-k", "echo or house or registered", "-rA")
    done = run(tree, "-m", "pytest", "-q", "-p", "no:cacheprovider", *suites, *chosen)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "PASSED tests/program/test_fuzz.py::test_generated_query_strings_never_break_a_page[echo]" in done.stdout
