"""The shared Program every page works on: URL parameters x, n and program, and the input tensors built from them."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
import torch

from core.cases import Demos, run_demos
from core.program import Program, parse_program
from core.settings import Settings
from core.shared_spec import PROGRAM, ProgramState
from core.tensors import InputSpec
from dashboard import jobs, measurement_store, url_state

PROGRAM_PARAMS = PROGRAM.params


def load() -> None:
    """Read x, n and program once per session; a link with `n` and no `x` opens in random mode."""
    if url_state.state_key("source") not in st.session_state:
        random_link = "n" in st.query_params and "x" not in st.query_params
        st.session_state[url_state.state_key("source")] = "random" if random_link else "typed"
    url_state.load(PROGRAM_PARAMS)


def current() -> ProgramState:
    """The typed program state: the program's text, x's typed values, n."""
    return url_state.current(PROGRAM)


def source() -> str:
    """ "typed" (x from the learner's values) or "random" (x of size n from the seed); not a URL parameter itself."""
    return url_state.get("source")


def input_spec() -> InputSpec:
    """Where x comes from now: the typed values, or n random values from the seed (hashable, for cache keys)."""
    state = current()
    return InputSpec(values=state.x, n=0) if source() == "typed" else InputSpec(values=None, n=state.n)


def sync_url() -> None:
    url_state.sync_url(PROGRAM_PARAMS, inactive=("n",) if source() == "typed" else ("x",))


def current_program() -> Program:
    """The last valid program (the canonical value is only ever set to text that passed the checker)."""
    return parse_program(current().program)


def demos(functions: tuple[Callable[[torch.Tensor], None], ...], settings: Settings) -> Demos:
    """The demo functions run in a worker on (at most 8 elements of) the current x, kept for reruns."""
    spec = input_spec()
    run = lambda: jobs.run(run_demos, functions, spec, settings, settings=settings)  # noqa: E731
    return measurement_store.kept_job("demos", (functions, spec, settings), run).value
