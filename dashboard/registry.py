"""The one list of pages: navigation, the CLI, reports, reproduce scripts, tests and benches all read it.

A page named `loops` lives in `pages/loops/` (its script is `pages/loops/page.py`), computes in `core/loops/`
(whose `cli.py` is its `python -m core` sub-command) and takes its texts from the catalog keys `loops.*`, titled by
`page.loops`. Pure data, no streamlit: the CLI reads it on machines that have only torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class PageEntry:
    """One page: its name (folder, module and catalog prefix), its url path ("" for home), its icon, and whether it
    works on the shared program and x (their parameters are then its own too)."""

    name: str
    url_path: str
    icon: str
    uses_program: bool = True

    @property
    def title_key(self) -> str:
        return f"page.{self.name}"

    @property
    def script(self) -> Path:
        return PAGES_DIR / self.name / "page.py"

    @property
    def core_module(self) -> str:
        return f"core.{self.name}"

    @property
    def command(self) -> str:
        """Its `python -m core` sub-command and the stem of its download files: the url path, or the name."""
        return self.url_path or self.name


PAGES = (
    PageEntry("home", "", ":material/bolt:", uses_program=False),
    PageEntry("steps", "steps", ":material/format_list_numbered:"),
    PageEntry("autograd", "autograd", ":material/account_tree:"),
    PageEntry("loops", "loops", ":material/speed:"),
    PageEntry("grad_modes", "grad-modes", ":material/memory:"),
    PageEntry("pitfalls", "pitfalls", ":material/warning:"),
    PageEntry("compiled", "compiled", ":material/memory_alt:"),
    PageEntry("train", "train", ":material/model_training:", uses_program=False),
    PageEntry("challenges", "challenges", ":material/emoji_events:", uses_program=False),
)


def entry(url_path: str) -> PageEntry:
    """The registered page at `url_path` ("" is home)."""
    for page in PAGES:
        if page.url_path == url_path:
            return page
    raise KeyError(f"no page at url path {url_path!r}")


def named(name: str) -> PageEntry:
    """The registered page called `name`."""
    for page in PAGES:
        if page.name == name:
            return page
    raise KeyError(f"no page named {name!r}")


def page_script(url_path: str) -> Path:
    """The script of the page at `url_path`, for tests that open a page (so a page can move without them changing)."""
    return entry(url_path).script
