"""core/ is pure PyTorch: it never imports streamlit or plotly, directly or through another module."""

import ast
import subprocess
import sys

from tests.conftest import ROOT

CORE = ROOT / "core"
UI_PACKAGES = {"streamlit", "plotly"}


def test_no_core_module_imports_ui_packages():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in UI_PACKAGES]
    assert offenders == []


def test_importing_every_core_module_loads_no_ui_package():
    modules = sorted(p.stem for p in CORE.glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module('core.' + m)\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('streamlit', 'plotly')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
