"""Bytes a computation reads and writes, counted by PyTorch itself as each operation runs.

A TorchFunctionMode sees every torch-level call; for each one we add the bytes of its tensor arguments
and of the tensors it returns. Eager mode fuses nothing, so this is the memory traffic the device must at
least stream (caches aside), which bandwidth figures are divided by.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_leaves


class _ByteCounter(TorchFunctionMode):
    def __init__(self) -> None:
        super().__init__()
        self.bytes = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        result = func(*args, **kwargs)
        outputs = [t for t in tree_leaves(result) if isinstance(t, torch.Tensor)]
        if outputs:  # attribute reads (shape, dtype, ...) return no tensor and move no data
            inputs = [t for t in tree_leaves((args, kwargs)) if isinstance(t, torch.Tensor)]
            self.bytes += sum(t.nbytes for t in inputs) + sum(t.nbytes for t in outputs)
        return result


def bytes_moved(fn: Callable[[], object]) -> int:
    """Run `fn` once and return the bytes its torch operations read plus wrote."""
    with _ByteCounter() as counter:
        fn()
    return counter.bytes
