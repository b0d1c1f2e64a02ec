"""The frame every page shares: settings, its parameters bound to the URL, notices, title, the presenter's first
screen, and bad input turned into a message in the learner's language. A page script is only its body."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from core.limits import SizeLimitError
from core.program import Program, ProgramError
from core.settings import Settings
from core.spec import Spec
from core.tensors import InputError
from dashboard import program_state, url_state
from dashboard.i18n import t
from dashboard.presenter import presenting
from dashboard.registry import named
from dashboard.settings import current_settings
from dashboard.widgets import show_error, show_url_notices

# what a learner's input can make core refuse: shown as a message, and the rest of the app keeps working
BAD_INPUT = (InputError, SizeLimitError, ProgramError)


@dataclass(frozen=True, kw_only=True)
class Page:
    """What a page's body gets: the run's settings, its typed state, the shared program, the presenter's first
    screen (a container right under the title while presenting, else None)."""

    settings: Settings
    state: Any
    program: Program | None
    first_screen: DeltaGenerator | None


@dataclass(frozen=True, kw_only=True)
class PageFrame:
    """How a page is framed: its name (registry and catalog prefix), spec, defaults that depend on the session, and
    which parameters a state leaves out of the URL. Whether it works on the shared program, the registry says."""

    name: str
    spec: Spec
    defaults: Mapping[str, Callable[[], Any]] | None = None
    inactive: Callable[[Any], Iterable[str]] = lambda state: ()

    @property
    def uses_program(self) -> bool:
        return named(self.name).uses_program


def render(frame: PageFrame, body: Callable[[Page], None]) -> None:
    """Load and sync the page's parameters, draw its title and intro, run its body; a refusal becomes a message."""
    settings = current_settings()
    if frame.uses_program:
        program_state.load()
    url_state.load(frame.spec.params, frame.defaults)
    _sync(frame)
    notices = st.container()
    st.title(t(f"{frame.name}.title"))
    first_screen = st.container() if presenting() else None
    st.markdown(t(f"{frame.name}.intro"))
    page = Page(
        settings=settings,
        state=url_state.current(frame.spec),
        program=program_state.current_program() if frame.uses_program else None,
        first_screen=first_screen,
    )
    try:
        body(page)
    except BAD_INPUT as exc:
        show_error(exc)
    except RerunException:
        # a rerun starts from the query string this run began with: writing to the URL now would make the
        # values the body just set (a Play tick's step) look like a link's, and undo them
        raise
    except StopException:
        _finish(frame, notices)
        raise
    _finish(frame, notices)


def _finish(frame: PageFrame, notices: DeltaGenerator) -> None:
    """Values the body settled (a fallback output) reach the URL, and every ignored value its notice."""
    _sync(frame)
    names = [p.name for p in frame.spec.params]
    with notices:
        show_url_notices([*(p.name for p in program_state.PROGRAM_PARAMS if frame.uses_program), *names])


def _sync(frame: PageFrame) -> None:
    if frame.uses_program:
        program_state.sync_url()
    url_state.sync_url(frame.spec.params, inactive=frame.inactive(url_state.current(frame.spec)))
