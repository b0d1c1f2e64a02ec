"""The container image for real: cold start to a healthy container, then a page served to a real browser.

Run after `make image` (on these machines, after ../shared/tools/container-base.sh). Prints the image size, the
seconds from `docker run` to /_stcore/health answering, and what chromium saw on the pitfalls page.

    .venv/bin/python bench/image_check.py
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import chromium_browser, wait_until_idle  # noqa: E402

NAME, PORT = "eager-lab-check", 8701


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def main() -> None:
    size = subprocess.run(["docker", "images", "eager-lab", "--format", "{{.Size}}"], capture_output=True, text=True)
    print(f"image eager-lab: {size.stdout.strip()}")
    subprocess.run(["docker", "rm", "-f", NAME], capture_output=True)
    started = time.monotonic()
    run = ["docker", "run", "-d", "--name", NAME, "--network", "host", "--read-only", "--tmpfs", "/tmp"]
    subprocess.run([*run, "-e", f"PORT={PORT}", "eager-lab"], check=True, capture_output=True)
    base = f"http://127.0.0.1:{PORT}"
    try:
        while not healthy(base):
            time.sleep(0.2)
        print(f"cold start to healthy: {time.monotonic() - started:.1f} s")
        with chromium_browser() as browser:
            page = browser.new_page()
            opened = time.monotonic()
            page.goto(f"{base}/pitfalls?case=unnecessary_loop")
            wait_until_idle(page)
            page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
            metrics = page.locator("[data-testid='stMetric']").count()
            title = page.locator("h1").first.inner_text()
            print(f"browser: '{title}' with {metrics} metrics in {time.monotonic() - opened:.1f} s (first visit)")
    finally:
        subprocess.run(["docker", "rm", "-f", NAME], capture_output=True)


if __name__ == "__main__":
    main()
