"""A learner's typed tensor, as print() writes it ("tensor([ 39., 71.])") or as plain numbers ("39, 71"):
parsed by pattern and core.tensors.parse_values, never evaluated."""

from __future__ import annotations

import re

import torch

from core.tensors import DTYPES, InputError, parse_values

_TENSOR = re.compile(r"^tensor\((?P<inner>.*?)(,\s*dtype\s*=\s*torch\.\w+)?\)$", re.DOTALL)


def typed_tensor(text: str, dtype: str) -> torch.Tensor:
    """The numbers of `text` as a tensor (one pair of brackets: 1-D; none: a 0-d tensor when there is one number).

    Raises:
        InputError: "values_empty", "value_not_number" (core.tensors' codes) or "values_nested".
    """
    inner = (text or "").strip()
    match = _TENSOR.match(inner)
    if match:
        inner = match.group("inner").strip()
    bracketed = inner.startswith("[") and inner.endswith("]")
    if bracketed:
        inner = inner[1:-1]
    if "[" in inner or "]" in inner:
        raise InputError("values_nested")
    values = parse_values(inner.replace("\n", " "))
    if not bracketed and len(values) == 1:
        return torch.tensor(values[0], dtype=DTYPES[dtype])
    return torch.tensor(values, dtype=DTYPES[dtype])
