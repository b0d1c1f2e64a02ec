"""The lesson's first example, run for real so the page shows what PyTorch prints, not what the lesson claims."""

from __future__ import annotations

import inspect
import io
import textwrap

import torch

from core.cases import printing_to

# The lesson's example exactly as the lesson writes it, its comment included: shown as the lesson's claim,
# beside what PyTorch really prints (never used as a value).
LESSON_CODE = """import torch

x = torch.tensor([1.0, 2.0, 3.0])
y = x * 2 + 5
z = y ** 2 - 10

print(z)  # Salida: tensor([9., 47., 135.])"""
LESSON_CLAIM = LESSON_CODE.rsplit("# Salida: ", 1)[1]


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


def lesson_claim_holds(printed: str) -> bool:
    """Whether what PyTorch printed is what the lesson's comment says `print(z)` writes."""
    return printed == LESSON_CLAIM
