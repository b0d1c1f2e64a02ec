"""The run this session is looking at, kept in session state as plain results (bytes for the model, never tensors):
continued by more steps when the step count grows, recomputed from the seed when the settings change."""

from __future__ import annotations

import streamlit as st

from core.settings import Settings
from core.train.loop import MAX_STEPS, ChunkResult, TrainConfig, merge
from core.train.run import CHUNK_MAX_STEPS, CHUNK_S, train
from dashboard import jobs

RUN = "train.run"


def current_run(config: TrainConfig, steps: int, settings: Settings) -> ChunkResult:
    """The run of `config` at `steps`: kept, continued, or trained from the seed (a worker job either way).

    Raises:
        ProgramError: when the learner's forward program is refused or fails.
    """
    kept = st.session_state.get(RUN)
    if kept is not None and kept[0] == config and kept[1].end <= steps:
        run = kept[1]
        if run.end < steps:
            run = merge(run, _train(config, run.state, steps - run.end, settings))
    else:
        run = _train(config, None, steps, settings)
    st.session_state[RUN] = (config, run)
    return run


def kept_end() -> int | None:
    """The last step of the kept run (the one last drawn), or None before any run."""
    kept = st.session_state.get(RUN)
    return None if kept is None else kept[1].end


def next_chunk(config: TrainConfig, settings: Settings) -> ChunkResult:
    """One live chunk after the kept run (about CHUNK_S seconds of steps), not kept yet: `keep` it once drawn."""
    _, run = st.session_state[RUN]
    steps = min(CHUNK_MAX_STEPS, MAX_STEPS - run.end)
    return merge(run, _train(config, run.state, steps, settings, seconds=CHUNK_S)) if steps > 0 else run


def keep(config: TrainConfig, run: ChunkResult) -> None:
    st.session_state[RUN] = (config, run)


def _train(config: TrainConfig, state: bytes | None, steps: int, settings: Settings, seconds=None) -> ChunkResult:
    """Training runs in the slow lane: a class of learners playing leaves the other pages' jobs fast."""
    return jobs.run(train, config, state, steps, seconds, settings=settings, job_class="train").value
