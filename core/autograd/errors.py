"""The autograd errors a learner meets, each as a broken function and its fix, run live by core.cases."""

from __future__ import annotations

from core.cases import Case


def nothing_requires_grad(x):
    y = x * 2 + 5
    loss = (y - 10).mean()
    loss.backward()


def nothing_requires_grad_fixed(x):
    x = x.detach().requires_grad_(True)
    y = x * 2 + 5
    loss = (y - 10).mean()
    loss.backward()
    print(x.grad)


def non_scalar_output(x):
    x = x.detach().requires_grad_(True)
    z = (x * 2 + 5) ** 2 - 10
    z.backward()


def non_scalar_output_fixed(x):
    x = x.detach().requires_grad_(True)
    z = (x * 2 + 5) ** 2 - 10
    z.sum().backward()
    print(x.grad)


def backward_twice(x):
    x = x.detach().requires_grad_(True)
    loss = ((x * 2 + 5) ** 2).sum()
    loss.backward()
    loss.backward()


def backward_twice_fixed(x):
    x = x.detach().requires_grad_(True)
    loss = ((x * 2 + 5) ** 2).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    print(x.grad)  # two backward calls: the gradients added up


def inplace_on_saved(x):
    x = x.detach().requires_grad_(True)
    y = x * 2 + 5
    z = y**2
    print("y._version before:", y._version)
    y.add_(1)
    print("y._version after: ", y._version)
    z.sum().backward()


def inplace_on_saved_fixed(x):
    x = x.detach().requires_grad_(True)
    y = x * 2 + 5
    z = y**2
    print("y._version before:", y._version)
    y = y + 1  # out of place: a new tensor; the one z saved is untouched
    print("y._version after: ", y._version)
    z.sum().backward()
    print(x.grad)


def grad_of_non_leaf(x):
    x = x.detach().requires_grad_(True)
    y = x * 2 + 5
    z = (y**2).sum()
    z.backward()
    print(y.grad)


def grad_of_non_leaf_fixed(x):
    x = x.detach().requires_grad_(True)
    y = x * 2 + 5
    y.retain_grad()
    z = (y**2).sum()
    z.backward()
    print(y.grad)


AUTOGRAD_ERRORS = (
    Case(key="nothing_requires_grad", broken=nothing_requires_grad, fixed=nothing_requires_grad_fixed),
    Case(key="non_scalar", broken=non_scalar_output, fixed=non_scalar_output_fixed),
    Case(key="backward_twice", broken=backward_twice, fixed=backward_twice_fixed),
    Case(key="inplace", broken=inplace_on_saved, fixed=inplace_on_saved_fixed),
    Case(key="non_leaf_grad", broken=grad_of_non_leaf, fixed=grad_of_non_leaf_fixed),
)
