"""The grad-modes page's routines for scripts: the seeded MLP, the bytes autograd saves beyond what exists anyway,
and the forward under each grad mode."""

import functools
from collections.abc import Callable, Iterable

import torch
from torch import nn

from core.script_parts.timer import median_seconds

MODES = {"grad": torch.enable_grad, "no_grad": torch.no_grad, "inference_mode": torch.inference_mode}


def seeded_mlp(width: int, depth: int, seed: int) -> nn.Sequential:
    """`depth` Linear(width, width) layers with ReLU between them, drawn from `seed` (torch's RNG left as it was);
    the page's MLP (core.grad_modes.modes.build_mlp)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layers: list[nn.Module] = []
        for index in range(depth):
            layers.append(nn.Linear(width, width))
            if index < depth - 1:
                layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def saved_extra_bytes(
    forward: Callable[[], torch.Tensor], context: Callable, anyway: Iterable[torch.Tensor]
) -> tuple[torch.Tensor, int]:
    """`forward()` under `context()`: its output, and the bytes autograd saved for backward in storages that exist
    only for it (not `anyway`'s, nor the output's), each storage counted once."""
    storages = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        storages[(str(tensor.device), storage.data_ptr())] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor), context():
        output = forward()
    exists = {(str(t.device), t.untyped_storage().data_ptr()) for t in (*anyway, output)}
    return output, sum(size for key, size in storages.items() if key not in exists)


def run_under(context: Callable, forward: Callable[[], torch.Tensor]) -> torch.Tensor:
    with context():
        return forward()


def compare_modes(forward: Callable[[], torch.Tensor], anyway: Iterable[torch.Tensor], budget_s: float) -> None:
    """Each grad mode: the output's flags, what autograd saved beyond what exists anyway, and the forward's time."""
    for mode, context in MODES.items():
        output, extra = saved_extra_bytes(forward, context, anyway)
        median = median_seconds(functools.partial(run_under, context, forward), budget_s)
        print(
            f"{mode}: requires_grad={output.requires_grad} is_inference={output.is_inference()} "
            f"saved beyond what exists anyway={extra} bytes, forward {median:.3e} s"
        )
