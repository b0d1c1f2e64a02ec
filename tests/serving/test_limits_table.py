"""Each bound in the limits table of docs/security-and-limits.md, at its edge: the last value allowed passes, the
first one past it is refused with that bound named. A number changed in the code or in that table fails here."""

from __future__ import annotations

import dataclasses
import resource

import pytest
import torch

from core import jobs
from core.grad_modes import run as grad_modes_run
from core.grad_modes.modes import mlp_workload
from core.jobs import Honesty, Job
from core.loops.sweep import MAX_SWEEP_S, plan_sizes
from core.pitfalls import mistakes
from core.program import ProgramError, parse_program
from core.tensors import InputError, parse_values
from core.workers import GIB, plan_pool, start_pool, wait_for
from dashboard import measurement_store
from tests import worker_routines


def refusal(text: str) -> ProgramError:
    with pytest.raises(ProgramError) as caught:
        parse_program(text)
    return caught.value


def test_program_text_bounds_at_their_edges():
    parse_program("y = x" + " " * (1000 - 5))
    assert refusal("y = x" + " " * (1001 - 5)).params == {"limit": 1000}
    parse_program("\n".join(f"v{i} = x" for i in range(12)))
    too_many = refusal("\n".join(f"v{i} = x" for i in range(13)))
    assert too_many.code == "too_many_statements" and too_many.line == 13 and too_many.params == {"limit": 12}
    parse_program("y = " + "-" * 17 + "x")
    assert refusal("y = " + "-" * 18 + "x").code == "too_deep"
    # `y = torch.sum(x, …)` with k arguments is 2k + 9 syntax nodes: 299 allowed, 301 refused
    parse_program("y = torch.sum(" + ", ".join(["x"] * 145) + ")")
    assert refusal("y = torch.sum(" + ", ".join(["x"] * 146) + ")").params == {"limit": 300}


def test_constants_up_to_a_million_and_exponents_up_to_ten():
    parse_program("y = x * 1000000")
    assert refusal("y = x * 1000001").params == {"limit": 1_000_000}
    parse_program("y = x ** 10")
    assert refusal("y = x ** 11").code


def test_typed_x_holds_at_most_a_thousand_numbers():
    assert len(parse_values(", ".join(["1"] * 1000))) == 1000
    with pytest.raises(InputError) as caught:
        parse_values(", ".join(["1"] * 1001))
    assert caught.value.params == {"limit": 1000}


def test_mlp_work_is_capped_at_two_billion_multiply_adds_per_forward():
    mlp_workload(1000, 2, 1000, "float32", "cpu", 0)  # 1000 · 1000 · 2 · 1000 = 2·10^9: allowed
    with pytest.raises(InputError) as caught:
        mlp_workload(1000, 2, 1001, "float32", "cpu", 0)
    assert caught.value.code == "mlp_too_much_work" and caught.value.params["limit"] == 2 * 10**9


def test_loop_sizes_go_to_ten_million_on_cpu_and_a_hundred_million_on_cuda():
    for device, limit in (("cpu", 10**7), ("cuda", 10**8)):
        runnable, refused = plan_sizes([limit, limit + 1], torch.float32, device, copies=1, available=10**13)
        assert runnable == (limit,) and len(refused) == 1, device


def test_budgets_and_the_sweep_cap_are_the_stated_figures():
    assert grad_modes_run.GRAD_MODES_BUDGET_S == 0.2
    assert mistakes.LOOP_BUDGET_S == mistakes.SYNC_BUDGET_S == 0.3
    assert MAX_SWEEP_S == 30.0


def test_a_job_may_take_fifteen_seconds_plus_four_budgets_per_measurement():
    assert jobs.time_limit() == 15.0
    assert jobs.time_limit(3, 0.5) == 21.0


def test_worker_memory_is_four_gib_at_most_and_two_gib_at_least(monkeypatch):
    monkeypatch.delenv("EAGER_LAB_WORKER_MEMORY_MB", raising=False)
    assert plan_pool(cores=(0, 1), total_memory=64 * GIB).memory_bytes == 4 * GIB
    assert plan_pool(cores=(0, 1, 2, 3), total_memory=12 * GIB).memory_bytes == 3 * GIB  # 12 / (3 + 1)
    assert plan_pool(cores=(0, 1), total_memory=3 * GIB).memory_bytes == 2 * GIB  # the floor
    monkeypatch.setenv("EAGER_LAB_WORKER_MEMORY_MB", "600")
    assert plan_pool(cores=(0, 1), total_memory=64 * GIB).memory_bytes == 600 * 1024**2  # the operator's word


def test_the_limit_a_worker_runs_under_is_rlimit_data():
    plan = dataclasses.replace(plan_pool(workers=1), memory_bytes=3 * GIB)
    pool = start_pool(plan)
    try:
        future = pool.schedule(jobs.execute, args=(Job(routine=resource.getrlimit, args=(resource.RLIMIT_DATA,)),))
        assert wait_for(future, 30).value == (3 * GIB, 3 * GIB)
    finally:
        pool.stop()
        pool.join(timeout=10)


def test_a_queued_job_says_it_waits_for_a_free_worker():
    pool = start_pool(plan_pool(workers=1))
    try:
        busy = pool.schedule(jobs.execute, args=(Job(routine=worker_routines.sleep, args=(1.0,)),))
        said = []
        queued = pool.schedule(jobs.execute, args=(Job(routine=worker_routines.pid),))
        wait_for(queued, 30, lambda: said.append("waiting"))
        assert said == ["waiting"] and wait_for(busy, 30).value == 1.0
    finally:
        pool.stop()
        pool.join(timeout=10)


def test_drift_over_ten_percent_and_a_cpu_share_under_eighty_percent_are_noisy():
    assert Honesty(reference_before_s=1.0, reference_after_s=1.11, cpu_share=1.0).drift > jobs.DRIFT_LIMIT == 0.10
    assert Honesty(reference_before_s=1.0, reference_after_s=1.09, cpu_share=1.0).drift < jobs.DRIFT_LIMIT
    assert jobs.MIN_CPU_SHARE == 0.80


def test_sixty_four_results_are_kept():
    assert measurement_store.KEPT == 64


def warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


def test_an_echoed_url_value_is_cut_to_sixty_characters(make_app):
    shown = warnings(make_app({"lang": "a" * 100}))
    assert "lang=`" + "a" * 60 + "`" in shown and "a" * 61 not in shown


def test_link_sizes_at_their_edges(make_app):
    assert "n=" not in warnings(make_app({"n": "1000000", "source": "random"}, page="steps"))
    assert "n=`1000001`" in warnings(make_app({"n": "1000001"}, page="steps"))
    past = {"workload": "mlp", "width": "4097", "depth": "9", "batch": "65537"}
    shown = warnings(make_app(past, page="grad-modes"))
    assert all(f"{name}=`{value}`" in shown for name, value in past.items() if name != "workload")
    assert "size=`10000001`" in warnings(make_app({"workload": "program", "size": "10000001"}, page="grad-modes"))
    assert "budget=" not in warnings(make_app({"budget": "2", "sizes": "10"}, page="loops"))
    assert "budget=`2.5`" in warnings(make_app({"budget": "2.5", "sizes": "10"}, page="loops"))
    thirteen = ",".join(str(10 * (i + 1)) for i in range(13))
    assert f"sizes=`{thirteen}`" in warnings(make_app({"sizes": thirteen}, page="loops"))
