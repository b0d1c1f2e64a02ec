"""The grad-modes page's script: the forward under each grad mode, its flags, saved bytes and time."""

from __future__ import annotations

from core.program import Program
from core.scripts import header, input_lines, statement_lines
from core.settings import Settings


def script(
    program: Program | None, settings: Settings, size: int, width: int, depth: int, batch: int, budget_s: float
) -> str:
    """The forward under each grad mode: output flags, bytes autograd saved beyond what exists anyway, time."""
    if program is not None:
        extra = {"workload": "program", "size": size}
        forward = _program_forward(program, size)
    else:
        extra = {"workload": "mlp", "width": width, "depth": depth, "batch": batch}
        forward = _mlp_forward(width, depth, batch)
    lines = [*header("grad modes", settings, extra), "from torch.utils import benchmark", "", *forward]
    return "\n".join([*lines, *_modes_lines(budget_s)])


def _program_forward(program: Program, size: int) -> list[str]:
    """The program's inputs, requiring grad, and its statements as `forward()`."""
    lines = input_lines(None, size, program.inputs)
    names = ", ".join(program.inputs)
    lines += [f"for tensor in ({names},):", "    tensor.requires_grad_(True)", "anyway = [" + names + "]", ""]
    # the inputs bound as defaults: a statement may reassign an input's name (`x = x * 2`) inside forward()
    defaults = ", ".join(f"{name}={name}" for name in program.inputs)
    lines += ["", f"def forward({defaults}):", *(f"    {c}" for c in statement_lines(program))]
    return [*lines, f"    return {program.output}", ""]


def _mlp_forward(width: int, depth: int, batch: int) -> list[str]:
    """The seeded MLP and its batch, as the page builds them, with `forward()` calling the model."""
    return [
        "with torch.random.fork_rng(devices=[]):",
        "    torch.manual_seed(SEED)",
        "    layers = []",
        f"    for index in range({depth}):",
        f"        layers.append(torch.nn.Linear({width}, {width}))",
        f"        if index < {depth} - 1:",
        "            layers.append(torch.nn.ReLU())",
        "model = torch.nn.Sequential(*layers).to(device=DEVICE, dtype=DTYPE)",
        f"batch = torch.randn({batch}, {width}, generator=torch.Generator().manual_seed(SEED + 1))",
        "batch = batch.to(device=DEVICE, dtype=DTYPE)",
        "anyway = [*model.parameters(), batch]",
        "",
        "",
        "def forward():",
        "    return model(batch)",
        "",
    ]


def _modes_lines(budget_s: float) -> list[str]:
    """Each mode: what autograd saved beyond what exists anyway, the output's flags, and the forward's time."""
    return [
        "",
        "MODES = {'grad': torch.enable_grad, 'no_grad': torch.no_grad, 'inference_mode': torch.inference_mode}",
        "for mode, context in MODES.items():",
        "    storages = {}",
        "",
        "    def pack(tensor):",
        "        storage = tensor.untyped_storage()",
        "        storages[storage.data_ptr()] = storage.nbytes()",
        "        return tensor",
        "",
        "    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor), context():",
        "        output = forward()",
        "    exists_anyway = {t.untyped_storage().data_ptr() for t in (*anyway, output)}",
        "    extra = sum(size for ptr, size in storages.items() if ptr not in exists_anyway)",
        "    timer = benchmark.Timer(stmt='with context(): forward()',",
        "                            globals={'context': context, 'forward': forward},",
        "                            num_threads=torch.get_num_threads())",
        f"    median = timer.adaptive_autorange(max_run_time={budget_s!r}).median",
        '    print(f"{mode}: requires_grad={output.requires_grad} is_inference={output.is_inference()} "',
        '          f"saved beyond what exists anyway={extra} bytes, forward {median:.3e} s")',
        "",
    ]
