"""`python -m dashboard.serve [streamlit run options]`: start the worker pools, then Streamlit's server.

Started here rather than by the first visitor's script, torch's import and the pools' start (seconds on a small
machine) happen before the server answers, so the first learner sees a first result as fast as the next one.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")


def main(argv: list[str]) -> None:
    from streamlit.web import cli

    from dashboard import jobs

    jobs.prepare()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
