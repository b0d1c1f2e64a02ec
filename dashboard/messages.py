"""Turn core's exceptions and URL notices into messages in the learner's language."""

from __future__ import annotations

from core.jobs import JobLimitError
from core.limits import SizeLimitError
from core.program import ProgramError
from core.spec import Kind
from core.tensors import InputError
from dashboard.i18n import translate, translate_plain
from dashboard.number_format import byte_size, integer, numbers_in
from dashboard.refusals import refusal_text


def error_message(lang: str, exc: Exception) -> str:
    """A translated sentence for an exception core raises on bad input; its numbers written in `lang`."""
    if isinstance(exc, ProgramError):
        reason = translate(lang, f"program.error.{exc.code}", **numbers_in(exc.params, lang))
        line, column = integer(exc.line, lang), integer(exc.column, lang)
        if exc.line and exc.column:
            return translate_plain(lang, "program.at_line_column", line=line, column=column, reason=reason)
        if exc.line:
            return translate_plain(lang, "program.at_line", line=line, reason=reason)
        return reason
    if isinstance(exc, InputError):
        return translate(lang, f"input.error.{exc.code}", **numbers_in(exc.params, lang))
    if isinstance(exc, SizeLimitError):
        return translate(
            lang,
            "limits.too_large",
            requested=byte_size(exc.requested_bytes, lang),
            allowed=byte_size(exc.allowed_bytes, lang),
            device=exc.device,
        )
    if isinstance(exc, JobLimitError):
        return translate(lang, f"job.error.{exc.kind}", **numbers_in(exc.params, lang))
    raise TypeError(f"no message for {type(exc).__name__}")


def inert(value: str) -> str:
    """A value from outside shown as literal text on one line: an inline code span (no links, no markup, no
    paragraphs), whitespace collapsed, backticks (which would close the span) replaced."""
    text = " ".join(value.split()).replace("`", "'")
    return f"`{text}`" if text else '""'


def notice_message(lang: str, name: str, ignored: str, code: str, used: str, kind: Kind | None = None) -> str:
    """The notice for a URL value that was ignored, naming why (the sentence the CLI's option error gives);
    the echoed value is inert (see `inert`)."""
    value = inert(ignored)
    refusal = refusal_text(lang, name, value, code, kind)
    return translate_plain(lang, f"notice.{code}", name=name, value=value, used=inert(used), refusal=refusal)
