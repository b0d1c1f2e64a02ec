"""`python -m core <page>`: any page's routine without Streamlit, printed as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

import torch

from core import grad_modes
from core.devices import DEVICE_NAMES, available_device_names
from core.limits import SizeLimitError
from core.pitfalls import CASE_KEYS
from core.program import DEFAULT_PROGRAM, INPUT_NAMES, ProgramError, parse_program
from core.reports import (
    RunSettings,
    autograd_report,
    build_x,
    demo_vector,
    grad_modes_report,
    loops_report,
    pitfalls_report,
    provenance,
    steps_report,
)
from core.sweep import DEFAULT_BUDGET_S as DEFAULT_SWEEP_BUDGET_S
from core.sweep import DEFAULT_SIZES
from core.tensors import DTYPES, MAX_RANDOM_N, InputError
from core.timing import DEFAULT_BUDGET_S, MAX_BUDGET_S

PAGES = ("steps", "autograd", "loops", "grad-modes", "pitfalls")


class UsageError(ValueError):
    """An option that is well-formed but does not fit the program, reported like argparse's own errors."""


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be comma-separated integers, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def _bounded(kind: type, low: float, high: float):
    """An argparse type: a number of `kind` within [low, high], the same limits the pages apply."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(f"{text} is outside {low:,} ... {high:,}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--device", choices=DEVICE_NAMES, default="cpu")
    common.add_argument("--dtype", choices=tuple(DTYPES), default="float32")
    common.add_argument("--seed", type=_bounded(int, 0, 2**31 - 1), default=0)
    common.add_argument("--threads", type=_bounded(int, 1, os.cpu_count() or 1), default=torch.get_num_threads())
    common.add_argument("--program", default=DEFAULT_PROGRAM, help="statements, newline- or ';'-separated")
    common.add_argument("--x", help="x's values, comma-separated (default: --n random values from the seed)")
    common.add_argument(
        "--n", type=_bounded(int, 1, MAX_RANDOM_N), default=1000, help=f"size of a random x, 1 ... {MAX_RANDOM_N:,}"
    )
    pages = parser.add_subparsers(dest="page", required=True)
    pages.add_parser("steps", parents=[common], help="run the program statement by statement")
    autograd = pages.add_parser("autograd", parents=[common], help="flags, graph and backward")
    autograd.add_argument("--grad", default="x", help="inputs that require grad, comma-separated")
    autograd.add_argument("--output", help="the name to call backward on (default: the last statement's)")
    autograd.add_argument("--reduce", choices=("sum", "mean", "none"), default="sum")
    loops = pages.add_parser("loops", parents=[common], help="Python loops vs one vectorized call, across sizes")
    loops.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES)
    loops.add_argument(
        "--budget",
        type=_bounded(float, 0.01, MAX_BUDGET_S),
        default=DEFAULT_SWEEP_BUDGET_S,
        help="seconds of timing per implementation and size",
    )
    modes = pages.add_parser("grad-modes", parents=[common], help="grad vs no_grad vs inference_mode")
    modes.add_argument("--workload", choices=("program", "mlp"), default="program")
    modes.add_argument("--size", type=_bounded(int, 1, grad_modes.MAX_PROGRAM_N), default=grad_modes.DEFAULT_SIZE)
    modes.add_argument("--width", type=_bounded(int, 1, grad_modes.MAX_WIDTH), default=grad_modes.DEFAULT_WIDTH)
    modes.add_argument("--depth", type=_bounded(int, 1, grad_modes.MAX_DEPTH), default=grad_modes.DEFAULT_DEPTH)
    modes.add_argument("--batch", type=_bounded(int, 1, grad_modes.MAX_BATCH), default=grad_modes.DEFAULT_BATCH)
    modes.add_argument("--budget", type=_bounded(float, 0.01, MAX_BUDGET_S), default=DEFAULT_BUDGET_S)
    pitfalls = pages.add_parser("pitfalls", parents=[common], help="each typical mistake, broken then fixed")
    pitfalls.add_argument("--case", choices=("all", *CASE_KEYS), default="all")
    return parser


def run(args: argparse.Namespace) -> dict[str, object]:
    """The chosen page's report, with the provenance every export carries."""
    settings = RunSettings(args.device, args.dtype, args.seed, args.threads)
    program = parse_program(args.program.replace(";", "\n"))
    page_settings: dict[str, object] = {"program": program.text}
    if args.page == "grad-modes":  # its inputs come from --size (or the MLP's shape), not from x
        x = None
    else:
        x = build_x(args.x, args.n, settings)
        page_settings["x" if args.x is not None else "n"] = args.x if args.x is not None else args.n
    if args.page == "steps":
        report = steps_report(program, x, settings)
    elif args.page == "autograd":
        grad = {name.strip() for name in args.grad.split(",") if name.strip()}
        output = args.output or program.statements[-1].target
        if output not in program.targets:
            raise UsageError(f"--output {output!r} is not assigned by the program (it assigns {program.targets})")
        reduce = None if args.reduce == "none" else args.reduce
        page_settings |= {"grad": sorted(grad), "output": output, "reduce": args.reduce}
        report = autograd_report(program, x, settings, grad & set(INPUT_NAMES), output, reduce)
    elif args.page == "loops":
        page_settings |= {"sizes": list(args.sizes), "budget": args.budget}
        report = loops_report(program, args.sizes, args.budget, settings, x)
    elif args.page == "grad-modes":
        shape = {"size": args.size} if args.workload == "program" else {"width": args.width, "depth": args.depth}
        shape |= {"batch": args.batch} if args.workload == "mlp" else {}
        page_settings |= {"workload": args.workload, **shape}
        report = grad_modes_report(
            settings, args.budget, program=program if args.workload == "program" else None, **shape
        )
    else:
        cases = CASE_KEYS if args.case == "all" else (args.case,)
        page_settings |= {"case": args.case}
        report = pitfalls_report(demo_vector(x), settings, cases)
    return {"page": args.page, **provenance(settings, **page_settings), **report}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.device not in available_device_names():
        parser.error(f"device {args.device!r} is not available here (available: {', '.join(available_device_names())})")
    try:
        report = run(args)
    except UsageError as exc:
        parser.error(str(exc))
    except (ProgramError, InputError, SizeLimitError, ValueError, RuntimeError) as exc:
        print(json.dumps({"page": args.page, "error": type(exc).__name__, "detail": str(exc)}), file=sys.stderr)
        return 2
    try:
        json.dump(report, sys.stdout, indent=2, default=str)
        print(flush=True)
    except BrokenPipeError:  # the reader (e.g. `| head`) left early: as the docs of `signal` advise, quietly stop
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
