"""Jobs: plain results that can leave a worker, errors that keep their meaning, and measurements that judge
themselves (a drifted reference or a starved worker makes them noisy)."""

from __future__ import annotations

import io
import pickle
import time

import pytest
import torch

from core import jobs
from core.autograd.run import AutogradRequest, run_autograd
from core.cases import run_demos
from core.grad_modes.run import GradModesRequest, run_grad_modes
from core.home.lesson import run_lesson_example
from core.jobs import Honesty, Job, JobLimitError, JobResult, execute
from core.limits import SizeLimitError
from core.loops.run import LoopsRequest, check_loops, run_loops
from core.pitfalls.mistakes import PITFALLS, loop_speedup_for, sync_timing_for
from core.program import ProgramError
from core.settings import Settings
from core.steps.run import run_define_by_run, run_steps
from core.tensors import InputError, InputSpec
from tests import worker_routines

SETTINGS = Settings(threads=1)
BIG_X = InputSpec(values=None, n=100_000)  # results must not carry x's 100,000 values back
DEMO_FUNCTIONS = tuple(f for p in PITFALLS for f in (p.case.broken, p.case.fixed))


class TensorCounter(pickle.Pickler):
    """Pickles like the pool does, counting the elements of every tensor it meets."""

    def __init__(self, file):
        super().__init__(file)
        self.elements = 0

    def reducer_override(self, obj):
        if isinstance(obj, torch.Tensor):
            self.elements += obj.numel()
        return NotImplemented


BRANCHY = "y = x * 2\nif y.sum() > 0:\n    z = y * 3\nelse:\n    z = -y"
JOBS = {
    "lesson": lambda: run_lesson_example("cpu", torch.float32),
    "steps": lambda: run_steps("y = x * 2\nz = y.sum()", BIG_X, SETTINGS, 2),
    "define_by_run": lambda: run_define_by_run(BRANCHY, BIG_X, SETTINGS, -1.0),
    "autograd": lambda: run_autograd(
        AutogradRequest(
            program="y = x * 2 + 5\nz = y ** 2",
            inputs=BIG_X,
            settings=SETTINGS,
            requires_grad=frozenset({"x"}),
            output="z",
            reduction="sum",
            backward=True,
        )
    ),
    "autograd_refused": lambda: run_autograd(
        AutogradRequest(
            program="y = x * 2",
            inputs=BIG_X,
            settings=SETTINGS,
            requires_grad=frozenset(),
            output="y",
            reduction=None,
            backward=True,
        )
    ),
    "loops_check": lambda: check_loops(
        LoopsRequest(program="y = x * 2", inputs=BIG_X, sizes=(10, 10**12), settings=SETTINGS, budget_s=0.01)
    ),
    "loops_sweep": lambda: run_loops(
        LoopsRequest(program="y = x * 2", inputs=BIG_X, sizes=(10, 100), settings=SETTINGS, budget_s=0.01)
    ),
    "grad_modes": lambda: run_grad_modes(
        GradModesRequest(workload="program", settings=SETTINGS, program="y = x * 2", size=100_000, budget_s=0.01)
    ),
    "demos": lambda: run_demos(DEMO_FUNCTIONS, BIG_X, SETTINGS),
    "loop_speedup": lambda: loop_speedup_for(SETTINGS, 100),
    "sync_timing": lambda: sync_timing_for(SETTINGS),
}


@pytest.mark.parametrize("name", JOBS)
def test_every_page_job_returns_plain_values_without_large_tensors(name):
    buffer = io.BytesIO()
    counter = TensorCounter(buffer)
    counter.dump(JOBS[name]())
    assert counter.elements <= 8  # only the demos' input (at most 8 elements) is a tensor
    assert len(buffer.getvalue()) < 200_000


@pytest.mark.parametrize(
    "error",
    [
        ProgramError("call_result", line=2, column=5, function="max"),
        InputError("too_many", limit=10),
        SizeLimitError(10**12, 10**9, "cpu"),
        JobLimitError("time", seconds=15.0),
    ],
)
def test_errors_cross_the_process_boundary_with_their_meaning(error):
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and vars(back) == vars(error) and str(back) == str(error)


def test_execute_turns_running_out_of_memory_into_a_limit_error():
    def refuse():
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")

    with pytest.raises(JobLimitError) as caught:
        execute(Job(routine=refuse))
    assert caught.value.kind == "memory"
    with pytest.raises(RuntimeError, match="other"):  # any other RuntimeError is the routine's own
        execute(Job(routine=lambda: (_ for _ in ()).throw(RuntimeError("other"))))


def test_the_reference_is_a_real_clone_timing_on_the_device():
    seconds = jobs._reference("cpu")
    assert 0 < seconds < 0.01  # one clone() of 100,000 floats


@pytest.mark.serial
def test_a_steady_measuring_job_is_trusted(monkeypatch):
    monkeypatch.setattr(jobs, "_reference", lambda device: 1.0e-5)  # drift is tested on its own below
    result = execute(Job(routine=worker_routines.spin, args=(0.3,), measures=True))
    assert result.honesty.reasons == () and not result.noisy
    assert result.honesty.cpu_share > jobs.MIN_CPU_SHARE


@pytest.mark.serial
def test_a_measuring_job_that_did_not_get_its_core_is_noisy(monkeypatch):
    monkeypatch.setattr(jobs, "_reference", lambda device: 1.0e-5)
    result = execute(Job(routine=worker_routines.sleep, args=(0.3,), measures=True))  # on the CPU, yet idle: starved
    assert result.honesty.reasons == ("cpu_share",) and result.noisy
    assert result.honesty.cpu_share < jobs.MIN_CPU_SHARE


@pytest.mark.serial
def test_a_reference_that_drifted_more_than_ten_percent_makes_the_job_noisy(monkeypatch):
    references = iter([1.0e-5, 1.2e-5])
    monkeypatch.setattr(jobs, "_reference", lambda device: next(references))
    result = execute(Job(routine=worker_routines.spin, args=(0.1,), measures=True))
    assert result.honesty.reasons == ("drift",)
    assert result.honesty.drift == pytest.approx(0.2)
    steady = Honesty(reference_before_s=1.0e-5, reference_after_s=1.05e-5, cpu_share=1.0)
    assert not steady.noisy and steady.drift == pytest.approx(0.05)


def test_a_program_job_carries_no_honesty_record_and_says_where_it_ran():
    before = time.time()
    result = execute(Job(routine=run_lesson_example, args=("cpu", torch.float32)))
    assert isinstance(result, JobResult) and result.honesty is None and not result.noisy
    assert result.value == str((torch.tensor([1.0, 2.0, 3.0]) * 2 + 5) ** 2 - 10)
    assert result.finished_at >= before and result.cores


def test_kept_results_are_keyed_by_torch_version_and_cpu_model():
    version, model = jobs.environment_key()
    assert version == torch.__version__
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        assert f": {model}\n" in info.read()


def test_time_limits_grow_with_the_measurements_a_job_takes():
    assert jobs.time_limit() == jobs.BASE_TIME_LIMIT_S
    assert jobs.time_limit(6, 0.5) == jobs.BASE_TIME_LIMIT_S + jobs.TIME_LIMIT_SLACK * 3
