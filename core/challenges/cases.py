"""The plain-PyTorch code a choice challenge shows: an in-place change of a saved tensor and three training loops that
are silently wrong, each run live by the grader (the code shown is the code that runs, see core.cases)."""

from __future__ import annotations

import torch

from core.pitfalls.mistakes import count_saved_bytes

# --- an in-place change of a tensor autograd saved: the candidate fixes, each returns x.grad ---------------------


def inplace_broken(x):
    x = x.detach().requires_grad_(True)
    y = torch.sigmoid(x)  # sigmoid saves its output y for backward
    y.mul_(2)
    y.sum().backward()
    return x.grad


def inplace_out_of_place(x):
    x = x.detach().requires_grad_(True)
    y = torch.sigmoid(x)
    y = y * 2
    y.sum().backward()
    return x.grad


def inplace_through_data(x):
    x = x.detach().requires_grad_(True)
    y = torch.sigmoid(x)
    y.data.mul_(2)
    y.sum().backward()
    return x.grad


def inplace_under_no_grad(x):
    x = x.detach().requires_grad_(True)
    y = torch.sigmoid(x)
    with torch.no_grad():
        y.mul_(2)
    y.sum().backward()
    return x.grad


INPLACE_CHOICES = {"a": inplace_out_of_place, "b": inplace_through_data, "c": inplace_under_no_grad}


def inplace_analytic(x: torch.Tensor) -> torch.Tensor:
    """d/dx sum(2·sigmoid(x)) = 2·sigmoid(x)·(1 − sigmoid(x)), in float64."""
    s = torch.sigmoid(x.detach().double())
    return 2 * s * (1 - s)


# --- training loops, each silently wrong at one line ------------------------------------------------------------


def _data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 4, generator=g)
    return x, x @ torch.tensor([[1.0], [-2.0], [0.5], [3.0]])


def loop_zero_grad_outside():
    torch.manual_seed(0)
    x, y = _data()
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    optimizer.zero_grad()
    for _ in range(30):
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return model.weight.grad.norm().item()


def loop_zero_grad_inside():
    torch.manual_seed(0)
    x, y = _data()
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    for _ in range(30):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return model.weight.grad.norm().item()


def eval_with_grad():
    torch.manual_seed(0)
    x, _ = _data()
    model = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    model.eval()
    with count_saved_bytes(exist_anyway=(x, *model.parameters())) as saved:
        model(x)
    return saved.extra_bytes


def eval_under_no_grad():
    torch.manual_seed(0)
    x, _ = _data()
    model = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    model.eval()
    with count_saved_bytes(exist_anyway=(x, *model.parameters())) as saved, torch.no_grad():
        model(x)
    return saved.extra_bytes


def eval_in_train_mode():
    torch.manual_seed(0)
    x, _ = _data()
    model = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Dropout(0.5), torch.nn.Linear(64, 1))
    model.train()
    with torch.no_grad():
        first, second = model(x), model(x)
    return (first - second).abs().max().item()


def eval_in_eval_mode():
    torch.manual_seed(0)
    x, _ = _data()
    model = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Dropout(0.5), torch.nn.Linear(64, 1))
    model.eval()
    with torch.no_grad():
        first, second = model(x), model(x)
    return (first - second).abs().max().item()
