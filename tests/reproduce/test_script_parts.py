"""The scripts' routines (core.script_parts) against the core code the pages run: the same numbers from both."""

from __future__ import annotations

import pytest
import torch

from core.program import parse_program
from core.script_parts import grad_modes, loops, timer, training


# steady work stops on the spread once a quarter of the budget is spent; spread-out work runs to the budget
@pytest.mark.parametrize(
    ("durations", "budget_s"), [([1e-3, 1.05e-3, 0.97e-3], 0.2), ([1e-3, 1.3e-3, 0.8e-3, 2.5e-3], 0.05)]
)
def test_the_scripts_timer_gives_the_engines_median_on_the_same_simulated_work(durations, budget_s, monkeypatch):
    from core.timing import BUDGET_SCALE_ENV, measure
    from tests.serving.test_timing import SimulatedWork

    monkeypatch.setenv(BUDGET_SCALE_ENV, "1")  # a learner's script times at the full budget: so must the engine here

    page_work, script_work = SimulatedWork(durations), SimulatedWork(durations)
    page = measure(page_work, budget_s=budget_s, clock=page_work.clock)
    script = timer.median_seconds(script_work, budget_s, clock=script_work.clock)
    assert script == page.median and script_work.calls == page_work.calls


def test_the_scripts_lesson_loop_is_the_pages_value_for_value():
    from core.loops.implementations import build_implementations
    from core.loops.sweep import input_maker

    program = parse_program("y = torch.tanh(x) * w - b\nz = y ** 2 + x")
    implementations = build_implementations(program)
    inputs = input_maker(program, "float32", "cpu", 5)(50)
    vectorized = implementations.functions["vectorized"]

    def statements(x, w, b):
        return vectorized({"x": x, "w": w, "b": b})

    page = implementations.functions["lesson_loop"](inputs)
    script = loops.lesson_loop(statements, inputs["x"], inputs["w"], inputs["b"])
    assert script.dtype == page.dtype and torch.equal(script, page)


def test_the_scripts_mlp_is_the_pages_parameter_for_parameter():
    from core.grad_modes.modes import build_mlp

    page = build_mlp(16, 3, "float32", "cpu", 4)
    script = grad_modes.seeded_mlp(16, 3, 4)
    assert [type(m) for m in script] == [type(m) for m in page]
    assert all(torch.equal(a, b) for a, b in zip(script.parameters(), page.parameters(), strict=True))


def test_the_scripts_saved_bytes_are_the_pages_ledger_in_every_mode():
    from core.grad_modes.modes import MODES, mlp_workload, program_workload, saved_ledger

    program = parse_program("y = torch.exp(x) * w\nz = torch.sin(y) + x")
    workloads = (program_workload(program, 1000, "float32", "cpu", 2), mlp_workload(32, 2, 8, "float32", "cpu", 2))
    for workload in workloads:
        for mode in MODES:
            ledger, _ = saved_ledger(workload, mode)
            _, extra = grad_modes.saved_extra_bytes(workload.run, grad_modes.MODES[mode], workload.anyway)
            assert extra == ledger.extra_bytes, (workload.name, mode)
        assert saved_ledger(workload, "grad")[0].extra_bytes > 0


@pytest.mark.parametrize("name", ["circle", "spiral", "sine"])
def test_the_scripts_data_is_the_pages_dataset(name):
    from core.train.datasets import CLASSIFICATION, MAKERS, make_dataset

    page = make_dataset(name, 120, 20, 25, 3)
    g = torch.Generator().manual_seed(3)
    x, y = MAKERS[name](120, g)
    script = training.noisy_split(x, y, 20, 25, name not in CLASSIFICATION, g)
    expected = (page.x_train, page.y_train, page.x_test, page.y_test)
    assert all(torch.equal(a, b) for a, b in zip(script, expected, strict=True))


def test_the_scripts_batches_are_the_trainers_across_epochs():
    from core.train.loop import TrainConfig, Trainer

    trainer = Trainer(TrainConfig(points=100, batch=16, seed=2))
    n = len(trainer.data.x_train)
    for step in range(1, 3 * trainer.steps_per_epoch + 2):
        assert torch.equal(training.batch_order(step, n, 16, 2), trainer.batch_indices(step)), step
