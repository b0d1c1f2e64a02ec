"""The step-by-step page's results kept for reruns: computed by core.steps.view once per distinct input.

Cached process-wide with st.cache_resource (no copies of the tensors, which are never mutated), so a rerun
with unchanged inputs, or a second learner opening the same link, costs nothing.
"""

from __future__ import annotations

import streamlit as st

from core.steps import view

steps_view = st.cache_resource(max_entries=2, ttl=900, show_spinner=False)(view.steps_view)
define_by_run_view = st.cache_resource(max_entries=4, ttl=900, show_spinner=False)(view.define_by_run_view)
