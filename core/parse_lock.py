"""One lock for every ast.parse in a process: CPython 3.11 before 3.11.8 builds a syntax tree's Python objects with
a process-wide recursion count (gh-106905), so two threads parsing at once can fail with "SystemError: AST
constructor recursion depth mismatch". The UI process parses in every session's thread (programs, scripts)."""

from __future__ import annotations

import threading

PARSE_LOCK = threading.Lock()
