"""`python -m core <page>`: any registered page's routine without Streamlit, printed as JSON.

The sub-commands are the registry's pages (dashboard/registry.py, pure data); each page's `core/<name>/cli.py`
adds its options (`add_arguments`) and builds its report (`report`), with `HELP` and `USES_X` beside them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from core.cli_types import UsageError, bounded
from core.devices import DEVICE_NAMES, available_device_names
from core.limits import SizeLimitError
from core.program import DEFAULT_PROGRAM, ProgramError, parse_program
from core.settings import DEFAULT_THREADS, MAX_SEED, Settings, provenance
from core.tensors import DTYPES, MAX_RANDOM_N, InputError, build_x
from dashboard.registry import PAGES


def page_cli(name: str) -> ModuleType:
    """The `cli` module of the registered page called `name`."""
    return importlib.import_module(f"core.{name}.cli")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--device", choices=DEVICE_NAMES, default="cpu")
    common.add_argument("--dtype", choices=tuple(DTYPES), default="float32")
    common.add_argument("--seed", type=bounded(int, 0, MAX_SEED), default=0)
    common.add_argument("--threads", type=bounded(int, 1, os.cpu_count() or 1), default=DEFAULT_THREADS)
    common.add_argument("--program", default=DEFAULT_PROGRAM, help="statements, newline- or ';'-separated")
    common.add_argument("--x", help="x's values, comma-separated (default: --n random values from the seed)")
    common.add_argument(
        "--n", type=bounded(int, 1, MAX_RANDOM_N), default=1000, help=f"size of a random x, 1 ... {MAX_RANDOM_N:,}"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    common = _common()
    commands = parser.add_subparsers(dest="page", required=True)
    for page in PAGES:
        module = page_cli(page.name)
        sub = commands.add_parser(page.command, parents=[common], help=module.HELP)
        sub.set_defaults(page_name=page.name)
        module.add_arguments(sub)
    return parser


def run(args: argparse.Namespace) -> dict[str, object]:
    """The chosen page's report, with the provenance every export carries."""
    module = page_cli(args.page_name)
    settings = Settings(args.device, args.dtype, args.seed, args.threads)
    program = parse_program(args.program.replace(";", "\n"))
    page_settings: dict[str, object] = {"program": program.text}
    x = None
    if module.USES_X:
        x = build_x(args.x, args.n, settings.dtype, settings.device, settings.seed)
        page_settings["x" if args.x is not None else "n"] = args.x if args.x is not None else args.n
    extra, report = module.report(args, settings, program, x)
    return {"page": args.page, **provenance(settings, **page_settings, **extra), **report}


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
