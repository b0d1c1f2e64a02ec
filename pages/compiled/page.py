"""Eager vs compiled: what torch.compile (Dynamo) and torch.export capture of the learner's program, where and why
they break, what the rewrites PyTorch suggests change, when Dynamo recompiles, and what compiling costs."""

import streamlit as st

from core.compiled.cost import BACKENDS
from core.compiled.reproduce import script
from core.compiled.run import COMPILE_ALLOWANCE_S, COST_BUDGET_S, CompiledRequest, cost_view
from core.compiled.spec import SPEC
from core.program import parse_program
from dashboard import measurement_store, program_state, url_state
from dashboard.exports import reproduce_section, table_downloads
from dashboard.frame import Page, PageFrame, render
from dashboard.i18n import t, tp
from dashboard.navigation import page_for
from dashboard.presenter import controls_area, presenting
from pages.compiled import state, views
from pages.compiled.cache import capture, recompiles


def body(page: Page) -> None:
    """The program (an example with an `if` offered), what Dynamo and export capture, recompiles, the cost."""
    settings, program = page.settings, page.program
    with page.first_screen or st.container():  # in front of a room: the program and, without an if, the example
        if page.first_screen is not None:
            st.code(program.text, language="python", wrap_lines=True)
        if not program.branches:
            st.info(t("compiled.no_branch"), icon=":material/call_split:")
            st.button(t("compiled.load_example"), key="compiled.load_example", on_click=state.load_example)
    with controls_area():
        st.multiselect(
            t("compiled.backends"), BACKENDS, key=url_state.widget_key("backends"), **url_state.bind("backends")
        )
    if not presenting():
        with st.expander(t("compiled.program_shown")):
            st.code(program.text, language="python", wrap_lines=True)
            st.page_link(page_for("steps"), label=t("common.edit_program"), icon=":material/edit:")
    request = CompiledRequest(program=program.text, inputs=program_state.input_spec(), settings=settings)
    capture_section(page, request)
    st.header(t("compiled.recompile.header"))
    st.markdown(t("compiled.recompile.intro"))
    views.recompile_section(recompiles(request))
    cost_section(page, request)
    values = request.inputs.values
    backends = page.state.backends
    reproduce_section("compiled", script(program, values, program_state.current().n, settings, backends, COST_BUDGET_S))


def capture_section(page: Page, request: CompiledRequest) -> None:
    """The version chosen (as written, or a rewrite), its graphs and breaks, fullgraph=True and torch.export."""
    view = capture(request)
    version = page.state.version
    refused = {"where": view.where_refused, "cond": view.cond_refused}.get(version)
    if (
        refused is not None
    ):  # a link asked for a rewrite that does not apply to this program: say why, show it as written
        st.warning(views.refusal_text(refused), icon=":material/info:")
        url_state.put_silently("version", "written")
        version = "written"
    st.header(t("compiled.capture.header"))
    views.version_picker(view)
    if version == "where":
        where_view = capture(CompiledRequest(program=view.where_text, inputs=request.inputs, settings=page.settings))
        explained, fullgraph, exported = where_view.explained, where_view.fullgraph, where_view.exported
        st.markdown(t("compiled.where.intro"))
        views.show_code(views.annotated_code(parse_program(view.where_text), explained))
        views.agreement(where_view.eager_printed == view.eager_printed)
        st.button(
            t("compiled.where.keep"), key="compiled.where.keep", on_click=state.keep_rewrite, args=(view.where_text,)
        )
    elif version == "cond":
        explained, fullgraph, exported = view.cond.explained, view.cond.fullgraph, view.cond.exported
        st.markdown(t("compiled.cond.intro"))
        st.code(view.cond.code, language="python", wrap_lines=True)
        if view.cond.error:
            st.error(t("compiled.cond.refused"), icon=":material/error:")
            st.code(view.cond.error, language="text", wrap_lines=True)
        else:
            views.agreement(view.cond.agrees)
    else:
        explained, fullgraph, exported = view.explained, view.fullgraph, view.exported
        st.markdown(t("compiled.written.intro"))
        views.show_code(views.annotated_code(page.program, explained))
    if explained is None:  # PyTorch refused the torch.cond version itself, said above
        return
    with page.first_screen or st.container():
        views.explained_section(explained, version)
    st.header(t("compiled.fullgraph.header"))
    st.markdown(t("compiled.fullgraph.intro"))
    views.fullgraph_section(fullgraph, offer_rewrites=version == "written")
    st.header(t("compiled.export.header"))
    st.markdown(t("compiled.export.intro"))
    views.export_section(exported)


def cost_section(page: Page, request: CompiledRequest) -> None:
    """Compile time and time per call per backend: on demand, one measured job per backend with a progress bar."""
    st.header(t("compiled.cost.header"))
    st.markdown(t("compiled.cost.intro"))
    views.backend_note(page.settings.device)
    backends = page.state.backends
    if not page.state.cost:
        st.button(t("compiled.cost.measure"), key="compiled.cost.measure", on_click=state.measure_cost, type="primary")
        return
    if not backends:
        st.info(t("compiled.cost.none_chosen"))
        return
    st.button(
        t("common.measure_again"),
        key="compiled.measure_again",
        on_click=measurement_store.measure_again,
        args=("compiled",),
    )
    progress = st.progress(0.0, text=tp("compiled.cost.progress", done=0, total=len(backends)))
    again = measurement_store.measuring_again("compiled")
    costs, shown = [], []
    for done, backend in enumerate(backends, 1):
        if again:  # each backend is its own measurement: the request to measure again holds for all of them
            measurement_store.measure_again("compiled")
        costs.append(
            measurement_store.measured(
                "compiled",
                cost_view,
                request,
                backend,
                COST_BUDGET_S,
                settings=page.settings,
                measurements=1,
                budget_s=COST_BUDGET_S,
                extra_s=COMPILE_ALLOWANCE_S if backend != "eager" else 0.0,
                job_class="compile_cost",
                shown=shown,
            )
        )
        progress.progress(done / len(backends), text=tp("compiled.cost.progress", done=done, total=len(backends)))
    measurement_store.show_measured(*shown)  # one caption and at most one warning for the whole section
    views.cost_section(costs)
    table_downloads("compiled", "cost", views.cost_rows(costs), {"program": page.program.text, "backends": backends})


render(PageFrame(name="compiled", spec=SPEC), body)
