"""The training page's script: the same data, model, optimizer and batches, trained to the same step and loss.

Datasets, initialisation and models are core's own source (inspect.getsource), never the learner's text; the
learner's forward program is re-emitted from its checked syntax tree.
"""

from __future__ import annotations

import inspect

from core.scripts import header, statement_lines
from core.settings import Settings
from core.train import datasets, models
from core.train.loop import MOMENTUM, TrainConfig


def _source(*functions) -> list[str]:
    return [line for function in functions for line in [*inspect.getsource(function).splitlines(), "", ""]]


def _data_lines(config: TrainConfig) -> list[str]:
    noise = "y = y + NOISE / 100 * torch.randn(POINTS, generator=g)"
    if config.dataset != "sine":
        noise = "x = x + NOISE / 100 * torch.randn(POINTS, 2, generator=g)"
    return [
        *_source(datasets.MAKERS[config.dataset]),
        "g = torch.Generator().manual_seed(SEED)",
        f"x, y = {datasets.MAKERS[config.dataset].__name__}(POINTS, g)",
        noise,
        "order = torch.randperm(POINTS, generator=g)",
        "x, y = x[order], y[order].unsqueeze(1)",
        "test = max(1, round(POINTS * TEST_PERCENT / 100))",
        "x_train, y_train, x_test, y_test = (",
        "    t.to(device=DEVICE, dtype=DTYPE) for t in (x[test:], y[test:], x[:test], y[:test])",
        ")",
        "",
    ]


def _model_lines(config: TrainConfig) -> list[str]:
    lines = [
        "ACTIVATIONS = {'relu': nn.ReLU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid}",
        "",
        "",
        *_source(models._uniform, models._linear),
    ]
    in_features = 1 if config.dataset == "sine" else 2
    shape = f"{in_features}, {config.width}, {config.depth}, {config.activation!r}, SEED"
    if config.model == "mlp":
        return [*lines, *_source(models.build_mlp), f"model = build_mlp({shape})"]
    if config.model == "dynamic":
        return [*lines, *_source(models.DynamicDepth), f"model = DynamicDepth({shape})"]
    program = models.parse_forward(config.program)
    body = [f"        {line}" for line in statement_lines(program)]
    return [
        *lines,
        "class ProgramModel(nn.Module):",
        "    def __init__(self, in_features, width, seed):",
        "        super().__init__()",
        "        g = torch.Generator().manual_seed(seed)",
        "        self.W1 = _uniform((in_features, width), in_features, g)",
        "        self.b1 = _uniform((width,), in_features, g)",
        "        self.W2 = _uniform((width, 1), width, g)",
        "        self.b2 = _uniform((1,), width, g)",
        "",
        "    def forward(self, x):",
        "        W1, b1, W2, b2 = self.W1, self.b1, self.W2, self.b2",
        *body,
        f"        return {program.statements[-1].target}.reshape(x.shape[0], 1)",
        "",
        "",
        f"model = ProgramModel({in_features}, {config.width}, SEED)",
    ]


def _loop_lines(config: TrainConfig, steps: int) -> list[str]:
    classification = config.dataset != "sine"
    if config.optimizer == "adam":
        optimizer = "optimizer = torch.optim.Adam(model.parameters(), lr=LR)"
    else:
        optimizer = f"optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum={MOMENTUM!r})"
    lines = [
        "model = model.to(device=DEVICE, dtype=DTYPE)",
        f"loss_fn = nn.{'BCEWithLogitsLoss' if classification else 'MSELoss'}()",
        optimizer,
        "size = min(BATCH, len(x_train))",
        "steps_per_epoch = math.ceil(len(x_train) / size)",
        "for step in range(1, STEPS + 1):",
        "    # each epoch its own shuffle, seeded by the seed and the epoch: the page's batches exactly",
        "    epoch, index = divmod(step - 1, steps_per_epoch)",
        "    order = torch.randperm(len(x_train), generator=torch.Generator().manual_seed(SEED * 1_000_003 + epoch))",
        "    chosen = order[index * size : (index + 1) * size].to(x_train.device)",
        "    x, y = x_train[chosen], y_train[chosen]",
        "    optimizer.zero_grad()",
        "    output = model(x)",
        "    loss = loss_fn(output, y)",
        "    loss.backward()",
        "    optimizer.step()",
        "",
        "model.eval()",
        "with torch.no_grad():",
        "    output = model(x_test)",
        "    test_loss = loss_fn(output, y_test).item()",
        "print(f'step {STEPS}: test loss {test_loss:.6f}')",
    ]
    if classification:
        lines += [
            "accuracy = ((output > 0).to(y_test.dtype) == y_test).float().mean().item()",
            "print(f'test accuracy {accuracy:.4f}')",
        ]
    return [*lines, ""]


def script(config: TrainConfig, settings: Settings, steps: int) -> str:
    """Train `config` for `steps` steps as the page does, then print the test loss (and accuracy)."""
    extra = {
        name: getattr(config, name)
        for name in ("dataset", "points", "noise", "test_percent", "model", "optimizer", "lr", "batch")
    }
    lines = [*header("training", settings, {**extra, "steps": steps}), "import math", "", "from torch import nn", ""]
    lines += [
        f"DATASET, POINTS, NOISE, TEST_PERCENT = {config.dataset!r}, {config.points}, {config.noise}, "
        f"{config.test_percent}",
        f"STEPS, BATCH, LR = {steps}, {config.batch}, {config.lr!r}",
        "",
        "",
    ]
    return "\n".join([*lines, *_data_lines(config), *_model_lines(config), *_loop_lines(config, steps)])
