"""The training page's script: the same data, model, optimizer and batches, trained to the same step and loss.

Datasets, initialisation, models and the loop's pieces are real code copied by core.script_source, never the
learner's text; the learner's forward program is re-emitted from its checked syntax tree.
"""

from __future__ import annotations

from core.script_parts.training import evaluate, noisy_split, train
from core.script_source import routines
from core.scripts import header, statement_lines
from core.settings import Settings
from core.train import datasets, models
from core.train.loop import MOMENTUM, TrainConfig


def script(config: TrainConfig, settings: Settings, steps: int) -> str:
    """Train `config` for `steps` steps as the page does, then print the test loss (and accuracy)."""
    extra = {
        name: getattr(config, name)
        for name in ("dataset", "points", "noise", "test_percent", "model", "optimizer", "lr", "batch")
    }
    maker = datasets.MAKERS[config.dataset]
    model = {"mlp": models.build_mlp, "dynamic": models.DynamicDepth}.get(config.model, models.ProgramParameters)
    parts = routines(maker, noisy_split, model, train, evaluate)
    lines = [*header("training", settings, {**extra, "steps": steps}, parts.imports), *parts.lines]
    return "\n".join([*lines, *_data_lines(config, maker.__name__), *_model_lines(config), *_loop_lines(config, steps)])


def _data_lines(config: TrainConfig, maker: str) -> list[str]:
    """The dataset drawn from the seed as the page draws it, split and moved to the device and dtype."""
    regression = config.dataset not in datasets.CLASSIFICATION
    return [
        "g = torch.Generator().manual_seed(SEED)",
        f"x, y = {maker}({config.points!r}, g)",
        f"split = noisy_split(x, y, {config.noise!r}, {config.test_percent!r}, {regression!r}, g)",
        "x_train, y_train, x_test, y_test = (t.to(device=DEVICE, dtype=DTYPE) for t in split)",
    ]


def _model_lines(config: TrainConfig) -> list[str]:
    in_features = 1 if config.dataset == "sine" else 2
    shape = f"{in_features}, {config.width!r}, {config.depth!r}, {config.activation!r}, SEED"
    if config.model == "mlp":
        return [f"model = build_mlp({shape})"]
    if config.model == "dynamic":
        return [f"model = DynamicDepth({shape})"]
    program = models.parse_forward(config.program)
    return [
        "",
        "",
        "class ProgramModel(ProgramParameters):",
        "    def forward(self, x):",
        "        W1, b1, W2, b2 = self.W1, self.b1, self.W2, self.b2",
        *(f"        {line}" for line in statement_lines(program)),
        f"        return {program.statements[-1].target}.reshape(x.shape[0], 1)",
        "",
        "",
        f"model = ProgramModel({in_features}, {config.width!r}, SEED)",
    ]


def _loop_lines(config: TrainConfig, steps: int) -> list[str]:
    classification = config.dataset in datasets.CLASSIFICATION
    if config.optimizer == "adam":
        optimizer = f"torch.optim.Adam(model.parameters(), lr={config.lr!r})"
    else:
        optimizer = f"torch.optim.SGD(model.parameters(), lr={config.lr!r}, momentum={MOMENTUM!r})"
    return [
        "model = model.to(device=DEVICE, dtype=DTYPE)",
        f"loss_fn = torch.nn.{'BCEWithLogitsLoss' if classification else 'MSELoss'}()",
        f"optimizer = {optimizer}",
        f"train(model, loss_fn, optimizer, (x_train, y_train), {steps!r}, {config.batch!r}, SEED)",
        f"evaluate(model, loss_fn, (x_test, y_test), {classification!r}, {steps!r})",
        "",
    ]
