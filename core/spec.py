"""Page parameters declared once: a kind (how a text becomes a value, and its limits), a default and a help line.

A page's state is a frozen, keyword-only dataclass whose fields are declared with `param(...)`; from it derive the
URL binding and its notices (dashboard/url_state.py), the `python -m core <page>` options (core/cli.py), the typed
state a page reads, and the parameter tables of docs/parameters.md. Limits live here only, for page and CLI alike.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PARAM = "eager_lab.param"


class Refusal(ValueError):
    """A parameter's text that cannot be used; `code` names the reason (invalid, out_of_range, or a kind's own)."""

    def __init__(self, code: str = "invalid") -> None:
        self.code = code
        super().__init__(code)


def plain_number(value: float) -> str:
    """A limit as English text: whole numbers with thousands separators, others as short as exact."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:g}"


@dataclass(frozen=True, kw_only=True)
class Kind:
    """How a parameter's text becomes a value; subclasses add limits. `expect` names its catalog description."""

    expect = "text"

    def parse(self, raw: str) -> Any:
        return raw

    def to_text(self, value: Any) -> str:
        return str(value)

    def limits(self, number: Callable[[float], str] = plain_number) -> dict[str, str]:
        """The values its catalog description is filled with."""
        return {}


def _whole(text: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]{1,20}", text.strip()):
        raise Refusal()
    return int(text)


@dataclass(frozen=True, kw_only=True)
class Range(Kind):
    """A number within [low, high] (NaN and infinities are out of range)."""

    low: float
    high: float

    def within(self, value: float) -> float:
        if not (math.isfinite(value) and self.low <= value <= self.high):
            raise Refusal("out_of_range")
        return value

    def limits(self, number: Callable[[float], str] = plain_number) -> dict[str, str]:
        return {"low": number(self.low), "high": number(self.high)}


@dataclass(frozen=True, kw_only=True)
class Int(Range):
    """A plain decimal integer within [low, high]."""

    expect = "int"

    def parse(self, raw: str) -> int:
        return self.within(_whole(raw))


@dataclass(frozen=True, kw_only=True)
class Float(Range):
    """A finite decimal or scientific number within [low, high]."""

    expect = "float"

    def parse(self, raw: str) -> float:
        text = raw.strip()
        if not re.fullmatch(r"[+-]?([0-9]{1,12}(\.[0-9]{0,12})?|\.[0-9]{1,12})([eE][+-]?[0-9]{1,3})?", text):
            raise Refusal()
        return self.within(float(text))

    def to_text(self, value: float) -> str:
        return f"{value:g}"


@dataclass(frozen=True, kw_only=True)
class Choice(Kind):
    """One of a fixed set of names (case-insensitive)."""

    choices: tuple[str, ...]
    expect = "choice"

    def parse(self, raw: str) -> str:
        value = raw.strip().lower()
        if value not in self.choices:
            raise Refusal()
        return value

    def limits(self, number: Callable[[float], str] = plain_number) -> dict[str, str]:
        return {"choices": ", ".join(self.choices)}


@dataclass(frozen=True, kw_only=True)
class Flag(Kind):
    """On (1) or off (0)."""

    expect = "flag"

    def parse(self, raw: str) -> bool:
        value = raw.strip()
        if value not in ("0", "1"):
            raise Refusal()
        return value == "1"

    def to_text(self, value: bool) -> str:
        return "1" if value else "0"


@dataclass(frozen=True, kw_only=True)
class Names(Kind):
    """A comma-separated subset of `allowed` ("" is none), kept in `allowed`'s order."""

    allowed: tuple[str, ...]
    expect = "names"

    def parse(self, raw: str) -> tuple[str, ...]:
        names = {part.strip() for part in raw.split(",") if part.strip()}
        if not names <= set(self.allowed):
            raise Refusal()
        return tuple(name for name in self.allowed if name in names)

    def to_text(self, value: tuple[str, ...]) -> str:
        return ",".join(value)

    def limits(self, number: Callable[[float], str] = plain_number) -> dict[str, str]:
        return {"choices": ", ".join(self.allowed)}


@dataclass(frozen=True, kw_only=True)
class Sizes(Range):
    """Comma-separated whole numbers from `low` to `high`, at most `count` of them, sorted and distinct."""

    count: int
    expect = "sizes"

    def parse(self, raw: str) -> tuple[int, ...]:
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if len(parts) > self.count or not all(part.isdigit() and len(part) <= 13 for part in parts):
            raise Refusal()
        sizes = tuple(sorted({int(part) for part in parts}))
        for n in sizes[:1] + sizes[-1:]:
            self.within(n)
        return sizes

    def to_text(self, value: tuple[int, ...]) -> str:
        return ",".join(str(n) for n in value)

    def limits(self, number: Callable[[float], str] = plain_number) -> dict[str, str]:
        return super().limits(number) | {"count": number(self.count)}


@dataclass(frozen=True, kw_only=True)
class Text(Kind):
    """Free text of 1 to `high` characters, checked further by `check` (which raises Refusal)."""

    high: int
    check: Callable[[str], str] | None = None
    expect = "text"

    def parse(self, raw: str) -> str:
        if len(raw) > self.high or not raw.strip():
            raise Refusal()
        return self.check(raw) if self.check is not None else raw

    def limits(self, number: Callable[[float], str] = plain_number) -> dict[str, str]:
        return {"high": number(self.high)}


@dataclass(frozen=True, kw_only=True)
class Param:
    """One parameter: its name in the URL, the CLI (`--name`, `_` as `-`) and the state; kind, default, help."""

    name: str
    kind: Kind
    default: Any
    help: str
    aliases: tuple[str, ...] = ()
    default_doc: str | None = None  # the default in words, where it depends on the machine

    def parse(self, raw: str) -> Any:
        return self.kind.parse(raw)

    def to_text(self, value: Any) -> str:
        return self.kind.to_text(value)

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


def param(kind: Kind, default: Any, help: str, *, aliases: tuple[str, ...] = (), default_doc: str | None = None) -> Any:  # noqa: A002
    """A state field declared as a parameter (use as a dataclass field's default)."""
    return dataclasses.field(default=default, metadata={PARAM: (kind, help, aliases, default_doc)})


@dataclass(frozen=True, kw_only=True)
class Spec:
    """A group of parameters (one page's, the shared settings', the program's) and the state type they fill."""

    name: str
    state: type
    params: tuple[Param, ...]

    def named(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)

    def defaults(self) -> Any:
        return self.state()

    def build(self, values: dict[str, Any]) -> Any:
        """The state from a mapping that holds (at least) every parameter's value."""
        return self.state(**{p.name: values[p.name] for p in self.params})


def spec_of(state: type, name: str) -> Spec:
    """The spec declared by `state`'s `param(...)` fields, in declaration order."""
    params = []
    for field in dataclasses.fields(state):
        if PARAM not in field.metadata:
            raise TypeError(f"{state.__name__}.{field.name} is not declared with param(...)")
        kind, help_text, aliases, default_doc = field.metadata[PARAM]
        params.append(
            Param(
                name=field.name,
                kind=kind,
                default=field.default,
                help=help_text,
                aliases=aliases,
                default_doc=default_doc,
            )
        )
    return Spec(name=name, state=state, params=tuple(params))
