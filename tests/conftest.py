"""Shared fixtures: AppTest runs of the entry script, and a live server for browser tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Parallel test workers (pytest-xdist) are several UI processes on one machine: pinning each to the first core
# would queue them all there. The serial part of `make test` (timing tests) keeps the pin.
# Their measurements run at a tenth of their budgets (core.timing.budget_scale): these tests check what a page
# shows of a measurement, not how long it took, and four processes measuring at full length starve the slow lane.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("EAGER_LAB_PIN_UI", "0")
    os.environ.setdefault("EAGER_LAB_TIMING_SCALE", "0.1")

# import torch alone takes 1.5-2 s on the 2-core machine; the first run of a page includes it.
APP_TIMEOUT = 60
NOTEBOOK_CELL_TIMEOUT_S = 120  # a notebook cell run by the `kernel` fixture
SHARED = "shared-server"  # where parallel test processes find the run's one live app


def page_path(url_path: str) -> str:
    """The registered page at `url_path` as AppTest.switch_page wants it: relative to the entry script's folder."""
    from dashboard.registry import page_script

    return os.path.relpath(page_script(url_path), APP.parent)


@pytest.fixture
def make_app():
    """Build and run an AppTest of the entry, optionally on a page (by url path), with query params and a locale."""

    # imported here so core's tests also run where streamlit is not installed (the GPU machine)
    from streamlit import config
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from tests.apptest_overheads import remove_apptest_overheads

    remove_apptest_overheads()

    def build(query: dict[str, str] | None = None, page: str | None = None, locale: str | None = "en-US") -> AppTest:
        # visitors see no error details (config.toml); a failing test should show the whole traceback
        config.set_option("client.showErrorDetails", "full")
        at = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT)
        at.query_params.update(query or {})
        at.context["locale"] = locale
        if page:  # opened as a link to /<page> opens it: st.Page's script hash is its url path's (no run of home first)
            at._page_hash = calc_hash(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return build


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A live app on a free loopback port for the real-browser tests; one for all parallel test processes."""
    from tests.browser import shared_server, streamlit_server

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        with streamlit_server() as base:
            yield base
        return
    with shared_server(tmp_path_factory.getbasetemp().parent / SHARED) as base:
        yield base


def pytest_sessionfinish(session):
    """In the run's controller, after every parallel test process has finished: end the shared app."""
    if os.environ.get("PYTEST_XDIST_WORKER") or not session.config.pluginmanager.hasplugin("xdist"):
        return
    from tests.browser import stop_shared_server

    stop_shared_server(session.config._tmp_path_factory.getbasetemp() / SHARED)


@pytest.fixture(scope="session")
def browser():
    """The system chromium driven by Playwright, shared by the tests of one test process."""
    from tests.browser import chromium_browser

    with chromium_browser() as instance:
        yield instance


@pytest.fixture(scope="module")
def projector(browser):
    """One tab at a projector's size (FIRST_SCREEN) for a module's views: a new tab per view doubles chromium's CPU."""
    from tests.browser import FIRST_SCREEN

    context = browser.new_context(viewport=FIRST_SCREEN, locale="en-US", reduced_motion="reduce")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """One Jupyter kernel for every notebook of a module (starting one and importing torch costs about 4 s of CPU);
    `run(notebook)` executes it there, after `%reset -f`, and returns what its cells printed (nbclient raises
    CellExecutionError on a cell's error, naming the cell and the exception)."""
    import nbformat
    from jupyter_core.utils import run_sync
    from nbclient import NotebookClient

    starter = NotebookClient(nbformat.v4.new_notebook(), kernel_name="python3")
    manager = starter.create_kernel_manager()
    run_sync(manager.start_kernel)(cwd=str(tmp_path_factory.mktemp("kernel")))

    def run(notebook: str) -> str:
        document = nbformat.reads(notebook, as_version=4)
        document.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
        client = NotebookClient(document, km=manager, timeout=NOTEBOOK_CELL_TIMEOUT_S)
        try:
            client.execute()
        finally:  # the kernel stays; this notebook's channels to it close
            if client.kc is not None:
                client.kc.stop_channels()
        return "".join(
            output.text
            for cell in document.cells
            if cell.cell_type == "code"
            for output in cell.outputs
            if output.output_type == "stream" and output.name == "stdout"
        )

    yield run
    run_sync(manager.shutdown_kernel)(now=True)


def pytest_collection_modifyitems(config, items):
    """Skip `cuda` tests on machines without a CUDA GPU (they run on the GPU machine)."""
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="no CUDA device on this machine")
    for item in items:
        if "cuda" in item.keywords:
            item.add_marker(skip)
