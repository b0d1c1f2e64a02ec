"""The parameters every page shares: the settings (language, device, dtype, seed, threads, presenter mode) and
the program with its input x (typed values, or n random ones)."""

from __future__ import annotations

from dataclasses import dataclass

from core.devices import DEVICE_NAMES, available_device_names
from core.program import DEFAULT_PROGRAM, MAX_TEXT_CHARS, ProgramError, parse_program
from core.settings import DEFAULT_THREADS, MAX_SEED
from core.spec import Choice, Flag, Int, Refusal, Text, param, spec_of
from core.tensors import DTYPES, MAX_RANDOM_N, InputError, parse_values
from core.workers import plan_pool

LANGUAGES = ("en", "es")
DEFAULT_X = "1, 2, 3"
DEFAULT_N = 1000


def worker_threads() -> int:
    """The cores one worker has: more threads than that would time oversubscription, not PyTorch."""
    return len(plan_pool().worker_cores[0])


@dataclass(frozen=True, kw_only=True)
class Device(Choice):
    """A device name that this machine has."""

    def parse(self, raw: str) -> str:
        value = super().parse(raw)
        if value not in available_device_names():
            raise Refusal("device_unavailable")
        return value


@dataclass(frozen=True, kw_only=True)
class Threads(Int):
    """1 up to a worker's cores; more has its own reason (threads_capped), as 0 is out of range."""

    expect = "threads"

    def parse(self, raw: str) -> int:
        try:
            return super().parse(raw)
        except Refusal as refusal:
            if refusal.code == "out_of_range" and int(raw) > self.high:
                raise Refusal("threads_capped") from None
            raise


def _check_x(raw: str) -> str:
    """x's values, written back in one normal form."""
    try:
        values = parse_values(raw)
    except InputError:
        raise Refusal() from None
    return ", ".join(str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v) for v in values)


def _check_program(raw: str) -> str:
    try:
        parse_program(raw)
    except ProgramError:
        raise Refusal("invalid_program") from None
    return raw


@dataclass(frozen=True, kw_only=True)
class SettingsState:
    """What every page runs under (device, dtype, seed, threads) and how it is shown (language, presenter mode)."""

    lang: str = param(Choice(choices=LANGUAGES), "en", "the learner's language (a page's default: the browser's)")
    device: str = param(Device(choices=DEVICE_NAMES), "cpu", "where tensors live (only the devices available)")
    dtype: str = param(Choice(choices=tuple(DTYPES)), "float32", "the dtype of every tensor")
    seed: int = param(Int(low=0, high=MAX_SEED), 0, "the seed of every random draw")
    threads: int = param(
        Threads(low=1, high=worker_threads()),
        min(DEFAULT_THREADS, worker_threads()),
        "intra-op threads, at most the cores one worker has",
        default_doc="torch's default, capped at the cores one worker has",
    )
    presenter: bool = param(Flag(), False, "presenter mode: large type, the result first")


@dataclass(frozen=True, kw_only=True)
class ProgramState:
    """The program every page works on, and its input x: typed values, or (with n and no x) n random ones."""

    x: str = param(Text(high=50_000, check=_check_x), DEFAULT_X, "x's values, comma-separated (at most 1000)")
    n: int = param(Int(low=1, high=MAX_RANDOM_N), DEFAULT_N, "the size of a random x, used when x is absent")
    program: str = param(
        Text(high=MAX_TEXT_CHARS, check=_check_program),
        DEFAULT_PROGRAM,
        "statements, newline- or ';'-separated; if/else and for i in range(k) blocks indented",
    )


SETTINGS = spec_of(SettingsState, "settings")
PROGRAM = spec_of(ProgramState, "program")
