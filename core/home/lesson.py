"""The lesson's first example, run for real so the page shows what PyTorch prints, not what the lesson claims."""

from __future__ import annotations

import inspect
import io
import textwrap

import torch

from core.cases import printing_to


# fmt: off
def lesson_first_example(device: str = "cpu", dtype: torch.dtype = torch.float32) -> None:
    x = torch.tensor([1.0, 2.0, 3.0], device=device, dtype=dtype)
    y = x * 2 + 5
    z = y ** 2 - 10
    print(z)
# fmt: on


def lesson_example_source() -> str:
    """The body of lesson_first_example, exactly the code that runs."""
    lines = inspect.getsource(lesson_first_example).splitlines()[1:]
    return textwrap.dedent("\n".join(lines))


def run_lesson_example(device: str = "cpu", dtype: torch.dtype = torch.float32) -> str:
    """Run the example and return exactly what it printed."""
    buffer = io.StringIO()
    printing_to(lesson_first_example, buffer)(device, dtype)
    return buffer.getvalue().rstrip("\n")
