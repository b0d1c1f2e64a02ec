"""Home: what eager execution means, the lesson's first example run live, and this machine's environment."""

import streamlit as st

from core.home.environment import read_environment
from core.home.lesson import LESSON_CLAIM, LESSON_CODE, lesson_claim_holds, run_lesson_example
from core.home.reproduce import script
from core.home.spec import SPEC
from dashboard import jobs
from dashboard.exports import reproduce_section
from dashboard.frame import Page, PageFrame, render
from dashboard.i18n import current_lang, t, tp
from dashboard.navigation import build_pages
from dashboard.widgets import show_table


def device_detail(device) -> str:
    """The GPU's model, the CPU's cores, or why the device is not available, in the learner's language."""
    if not device.available:
        return tp(f"device.reason.{device.reason}", device=device.name.upper())
    return tp("home.env.cores", count=device.cores) if device.cores else device.label


def body(page: Page) -> None:
    """The lesson's first example run live, this machine's environment, and the other pages."""
    settings = page.settings
    st.header(t("home.example.header"))
    left, right = st.columns(2)
    with left:
        st.caption(t("home.example.code"))
        st.code(LESSON_CODE, language="python", wrap_lines=True)
    # in front of a room the punchline comes first: what PyTorch prints, and that the lesson's comment is wrong
    with page.first_screen if page.first_screen is not None else right:
        st.caption(t("home.example.output", device=settings.device, dtype=settings.dtype))
        printed = jobs.value(run_lesson_example, settings.device, settings.torch_dtype, settings=settings)
        st.code(printed, language="text", wrap_lines=True)
        if not lesson_claim_holds(printed):
            st.info(tp("home.example.claim_wrong", claimed=LESSON_CLAIM), icon=":material/fact_check:")
    st.markdown(t("home.example.explain"))
    reproduce_section("home", script(settings))
    environment(settings)
    st.header(t("home.pages.header"))
    for entry in build_pages(current_lang())[1:]:
        st.page_link(entry)


def environment(settings) -> None:
    """torch, Python, threads and platform, and every device with its availability."""
    st.header(t("home.env.header"))
    env = read_environment()
    with st.container(border=True):
        columns = st.columns(3)
        columns[0].metric(t("home.env.torch"), env.torch_version)
        columns[1].metric(t("home.env.python"), env.python_version)
        columns[2].metric(t("home.env.threads"), env.threads, help=t("home.env.threads_help", chosen=settings.threads))
        # the platform string is long ("Linux-6.1.0-…-x86_64-with-glibc2.36"): a line that wraps, never a cut metric
        st.markdown(f"{t('home.env.platform')}: `{env.platform}`")
        show_table(
            [
                {
                    t("home.env.device"): d.name,
                    t("home.env.available"): "✓" if d.available else "✗",
                    t("home.env.detail"): device_detail(d),
                }
                for d in env.devices
            ],
            key="home.env.devices",
        )


render(PageFrame(name="home", spec=SPEC), body)
