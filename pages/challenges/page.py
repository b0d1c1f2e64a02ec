"""Challenges: short tasks on every topic of the lesson, each graded live by PyTorch in a worker on Check."""

import streamlit as st

from core.challenges.catalog import BY_ID, TOPICS
from core.challenges.grade import GradeRequest, grade
from core.challenges.spec import SPEC
from dashboard import jobs, url_state
from dashboard.frame import Page, PageFrame, render
from dashboard.i18n import t
from dashboard.number_format import integer
from dashboard.presenter import controls_area, presenting
from pages.challenges import answer, state, takeaway, views


def offered(chosen: tuple[str, ...]) -> tuple[str, ...]:
    """The teacher's order as given; every challenge (the default) grouped by topic."""
    if set(chosen) == set(BY_ID) and len(chosen) == len(BY_ID):
        return tuple(sorted(chosen, key=lambda i: TOPICS.index(BY_ID[i].topic)))
    return chosen


def body(page: Page) -> None:
    """The picker, then one challenge: task, answer, Check and its feedback, help, take-home files."""
    chosen, solved = offered(page.state.set), page.state.solved
    shown = page.state.challenge if page.state.challenge in chosen else chosen[0]
    if shown != page.state.challenge:
        url_state.put_silently("challenge", shown)
    labels = {i: views.label(BY_ID[i], i in solved) for i in chosen}  # read now: AppTest formats outside the run
    with controls_area():
        st.selectbox(
            t("challenges.pick"),
            chosen,
            format_func=labels.__getitem__,
            key=url_state.widget_key("challenge"),
            **url_state.bind("challenge"),
        )
        st.caption(
            t("challenges.solved_count", solved=integer(len(set(solved) & set(chosen))), total=integer(len(chosen)))
        )
    challenge = BY_ID[shown]
    with page.first_screen or st.container(border=True):
        st.header(t(challenge.title))  # h2 under the page title: a screen reader's outline has no gap
        st.markdown(t(challenge.task))
        answer.given(challenge)
        given = answer.answer_input(challenge)
        if st.button(t("challenges.check_button"), key="challenges.check", type="primary", icon=":material/task_alt:"):
            request = GradeRequest(
                challenge=challenge.id, answer=given.text, options=given.options, dtype=page.settings.dtype
            )
            job_class = views.JOB_CLASSES.get(challenge.check, "program")
            graded = jobs.run(
                grade, request, settings=page.settings, job_class=job_class, measures=job_class == "measure"
            ).value
            state.keep(graded)
        result = state.result(challenge.id)
        if result is not None:
            views.feedback(challenge, result)
        views.help_steps(challenge, presenting())
    takeaway.downloads(challenge, chosen, url_state.get("solved"))


render(PageFrame(name="challenges", spec=SPEC), body)
