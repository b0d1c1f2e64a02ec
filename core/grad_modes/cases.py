"""What each grad mode costs you, run live: its consequences as broken functions and their fixes."""

from __future__ import annotations

import torch

from core.cases import Case


def backward_after_no_grad(x):
    w = torch.ones_like(x, requires_grad=True)
    with torch.no_grad():
        loss = (x * w).sum()
    loss.backward()


def backward_after_no_grad_fixed(x):
    w = torch.ones_like(x, requires_grad=True)
    loss = (x * w).sum()  # track gradients where backward will run
    loss.backward()
    print(w.grad)


def inference_tensor_in_autograd(x):
    with torch.inference_mode():
        features = x * 2
    w = torch.ones_like(x, requires_grad=True)
    loss = (features * w).sum()
    loss.backward()


def inference_tensor_in_autograd_fixed(x):
    with torch.inference_mode():
        features = x * 2
    features = features.clone()  # outside inference mode: an ordinary tensor autograd may save
    w = torch.ones_like(x, requires_grad=True)
    loss = (features * w).sum()
    loss.backward()
    print(w.grad)


def dropout_under_no_grad(x):
    torch.manual_seed(0)
    model = torch.nn.Dropout(p=0.5)
    with torch.no_grad():
        out = model(torch.ones(8))
    print("model.training:", model.training)
    print(out)


def dropout_under_no_grad_fixed(x):
    torch.manual_seed(0)
    model = torch.nn.Dropout(p=0.5)
    model.eval()  # evaluation behaviour is a model setting, not a grad mode
    with torch.no_grad():
        out = model(torch.ones(8))
    print("model.training:", model.training)
    print(out)


GRAD_MODE_CASES = (
    Case(key="backward_after_no_grad", broken=backward_after_no_grad, fixed=backward_after_no_grad_fixed),
    Case(key="inference_tensor", broken=inference_tensor_in_autograd, fixed=inference_tensor_in_autograd_fixed),
    Case(key="dropout_no_grad", broken=dropout_under_no_grad, fixed=dropout_under_no_grad_fixed),
)
