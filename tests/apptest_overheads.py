"""Two costs Streamlit's AppTest adds to every run that a test of the app does not need: measured, they made the
AppTest files' runs about a fifth slower (tests/frame/test_app.py and test_float_input.py: 26 s against 21 s)."""

from __future__ import annotations

import functools


def scan_installed_components_once() -> None:
    """Every AppTest scans the metadata of every installed package for Streamlit components (about 0.2 s of CPU);
    the packages cannot change during a run, so one scan per test process serves them all."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if not hasattr(scan, "cache_info"):  # not yet cached in this process
        manifest_scanner.scan_component_manifests = functools.cache(scan)


def wait_for_runs_without_polling() -> None:
    """AppTest waits for a script run by waking every millisecond to look (local_script_runner's
    require_widgets_deltas): each wake takes the GIL from the script thread it waits for. Joining that thread waits
    for the same end (its last act is the SHUTDOWN event), asleep; a run past its timeout fails as before."""
    from streamlit.testing.v1 import local_script_runner

    def require_widgets_deltas(runner, timeout: float = 3) -> None:
        runner._script_thread.join(timeout)
        if runner._script_thread.is_alive():
            runner.request_stop()
            runner.join()
            raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")

    local_script_runner.require_widgets_deltas = require_widgets_deltas


def remove_apptest_overheads() -> None:
    """Both of the above, once per test process (each is idempotent)."""
    scan_installed_components_once()
    wait_for_runs_without_polling()
