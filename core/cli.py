"""`python -m core <page>`: any registered page's routine without Streamlit, printed as JSON.

The sub-commands are the registry's pages (dashboard/registry.py, pure data). Their options are the URL's
parameters, derived from the specs (core/shared_spec.py and each page's `core/<name>/spec.py`): the same names,
limits and refusals (one sentence, shared with the page's notice). Each page's `core/<name>/cli.py` builds its
report (`report`, which reads `args.state`, the page's typed state), with `HELP` and `USES_X` beside it, and may
declare options of the CLI alone (`CLI_PARAMS`, or `add_arguments` for a path) or give an option another default
(`CLI_DEFAULTS`, e.g. train's steps).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from core.cli_types import UsageError
from core.limits import SizeLimitError
from core.program import ProgramError, parse_program
from core.settings import Settings, provenance
from core.shared_spec import PROGRAM, SETTINGS
from core.spec import Flag, Param, Refusal, Spec
from core.tensors import InputError, build_x
from dashboard.refusals import expected, refusal_text
from dashboard.registry import PAGES

# Checked where they are used, so an error names the line or value at fault (the page falls back to its default).
CHECKED_LATER = frozenset({"x", "program"})
# Without --x, x is --n random values from the seed (as a link with n and no x).
COMMON_CLI_DEFAULTS = {"x": None}


def page_cli(name: str) -> ModuleType:
    """The `cli` module of the registered page called `name`."""
    return importlib.import_module(f"core.{name}.cli")


def page_spec(name: str) -> Spec:
    """The spec of the registered page called `name` (its `core/<name>/spec.py`)."""
    return importlib.import_module(f"core.{name}.spec").SPEC


def option_type(param: Param, default: object):
    """An argparse type: the parameter's own parse, a refusal worded as the page's notice words it. argparse also
    passes a text default through its type: the default itself stands (autograd's output "" is "the last one")."""

    def parse(text: str):
        if text is default:
            return default
        try:
            return param.parse(text)
        except Refusal as refusal:
            raise argparse.ArgumentTypeError(refusal_text("en", param.name, text, refusal.code, param.kind)) from None

    return parse


def add_options(parser: argparse.ArgumentParser, params: tuple[Param, ...], defaults: dict[str, object]) -> None:
    """One option per parameter: `--name` (and its old aliases), its limits, its default, its help."""
    for param in params:
        default = defaults.get(param.name, param.default)
        options = {"type": str if param.name in CHECKED_LATER else option_type(param, default), "default": default}
        if isinstance(param.kind, Flag):  # `--cost` alone turns it on, as `--cost 1` does
            options |= {"nargs": "?", "const": True}
        described = f"{param.help}: {expected('en', param.kind)}".replace("%", "%%")  # argparse formats help with %
        parser.add_argument(param.option, *param.aliases, dest=param.name, help=described, **options)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    commands = parser.add_subparsers(dest="page", required=True)
    for page in PAGES:
        module = page_cli(page.name)
        sub = commands.add_parser(page.command, help=module.HELP)
        defaults = {**COMMON_CLI_DEFAULTS, **getattr(module, "CLI_DEFAULTS", {})}
        own = getattr(module, "CLI_PARAMS", ())
        add_options(sub, (*SETTINGS.params, *PROGRAM.params, *page_spec(page.name).params, *own), defaults)
        sub.set_defaults(page_name=page.name)
        if hasattr(module, "add_arguments"):
            module.add_arguments(sub)
    return parser


def run(args: argparse.Namespace) -> dict[str, object]:
    """The chosen page's report, with the provenance every export carries."""
    module = page_cli(args.page_name)
    args.state = page_spec(args.page_name).build(vars(args))
    settings = Settings(device=args.device, dtype=args.dtype, seed=args.seed, threads=args.threads)
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
