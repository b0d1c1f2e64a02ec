"""Turn core's exceptions and URL notices into messages in the learner's language."""

from __future__ import annotations

from core.jobs import JobLimitError
from core.limits import SizeLimitError
from core.program import ProgramError
from core.tensors import InputError
from dashboard.i18n import translate, translate_plain


def format_bytes(count: int) -> str:
    """Bytes in binary units, e.g. 1.5 GiB."""
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def error_message(lang: str, exc: Exception) -> str:
    """A translated sentence for an exception core raises on bad input."""
    if isinstance(exc, ProgramError):
        reason = translate(lang, f"program.error.{exc.code}", **exc.params)
        if exc.line and exc.column:
            return translate_plain(lang, "program.at_line_column", line=exc.line, column=exc.column, reason=reason)
        if exc.line:
            return translate_plain(lang, "program.at_line", line=exc.line, reason=reason)
        return reason
    if isinstance(exc, InputError):
        return translate(lang, f"input.error.{exc.code}", **exc.params)
    if isinstance(exc, SizeLimitError):
        return translate(
            lang,
            "limits.too_large",
            requested=format_bytes(exc.requested_bytes),
            allowed=format_bytes(exc.allowed_bytes),
            device=exc.device,
        )
    if isinstance(exc, JobLimitError):
        params = {k: f"{v:g}" if isinstance(v, float) else v for k, v in exc.params.items()}
        return translate(lang, f"job.error.{exc.kind}", **params)
    raise TypeError(f"no message for {type(exc).__name__}")


def inert(value: str) -> str:
    """A value from outside shown as literal text on one line: an inline code span (no links, no markup, no
    paragraphs), whitespace collapsed, backticks (which would close the span) replaced."""
    text = " ".join(value.split()).replace("`", "'")
    return f"`{text}`" if text else '""'


def notice_message(lang: str, name: str, ignored: str, code: str, used: str) -> str:
    """The notice for a URL value that was ignored; the echoed value is inert (see `inert`)."""
    return translate_plain(lang, f"notice.{code}", name=name, value=inert(ignored), used=inert(used))
