"""Refuse tensor sizes that would not fit, before anything is allocated."""

from __future__ import annotations

import math
import os

import torch

from core.devices import memory_status

# A request may use at most this share of the memory the device has available now.
SAFE_SHARE = 0.25


WORKER_MEMORY_ENV = "EAGER_LAB_WORKER_MEMORY"  # set by core.workers in each worker: its RLIMIT_DATA in bytes
OUT_OF_MEMORY_WORDS = ("can't allocate memory", "not enough memory", "out of memory", "std::bad_alloc")


def worker_memory_mib() -> int:
    """The memory (RLIMIT_DATA) limit of this worker in MiB, or 0 outside a worker."""
    return int(os.environ.get(WORKER_MEMORY_ENV, 0)) // 1024**2


def is_out_of_memory(exc: BaseException) -> bool:
    """Python's MemoryError, or PyTorch's allocator refusing (a RuntimeError) under the worker's memory limit."""
    return isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError) and any(words in str(exc) for words in OUT_OF_MEMORY_WORDS)
    )


class SizeLimitError(ValueError):
    """A requested size is refused; the fields let a page write the message in the learner's language."""

    def __init__(self, requested_bytes: int, allowed_bytes: int, device: str) -> None:
        self.requested_bytes = requested_bytes
        self.allowed_bytes = allowed_bytes
        self.device = device
        super().__init__(f"{requested_bytes} bytes requested on {device}, at most {allowed_bytes} allowed")

    def __reduce__(self):  # so a worker's refusal reaches the page intact
        return (SizeLimitError, (self.requested_bytes, self.allowed_bytes, self.device))


def tensor_bytes(numel: int, dtype: torch.dtype, copies: int = 1) -> int:
    """Bytes that `copies` tensors of `numel` elements of `dtype` need."""
    if numel < 0 or copies < 0:
        raise ValueError("sizes must not be negative")
    itemsize = torch.empty((), dtype=dtype).element_size()
    return numel * itemsize * copies


def allowed_bytes(device: str, available: int | None = None) -> int:
    """The most bytes one request may take on `device`: SAFE_SHARE of what is available."""
    if available is None:
        available = memory_status(device).available
    return math.floor(available * SAFE_SHARE)


def check_fits(numel: int, dtype: torch.dtype, device: str, copies: int = 1, available: int | None = None) -> int:
    """Return the bytes needed, or raise SizeLimitError when they exceed the safe share.

    `available` overrides the measured free memory, so tests are deterministic.
    """
    needed = tensor_bytes(numel, dtype, copies)
    limit = allowed_bytes(device, available)
    if needed > limit:
        raise SizeLimitError(needed, limit, device)
    return needed
