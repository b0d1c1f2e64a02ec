"""'Reproduce this': each page's script runs standalone in a fresh interpreter and prints what the page shows."""

from __future__ import annotations

import re

import pytest
import torch

from core.program import parse_program
from dashboard.i18n import catalog
from tests.frame.test_presenter import walk
from tests.reproduce.test_reproduce_core import run_script

EN = catalog("en")
ADDRESS = re.compile(r"0x[0-9a-f]+")


def page_script(at) -> str:
    """The script the page offers: shown in its 'Reproduce this' expander, next to the download button."""
    (expander,) = [e for e in at.expander if e.label == EN["export.reproduce"]]
    (script,) = [c.value for c in expander.code]
    return script


def text_blocks(at) -> list[str]:
    """What the page printed: its plain-text code blocks outside the script itself."""
    script = page_script(at)
    return [c.value for c in at.code if c.language == "text" and c.value != script]


def blocks_before(at, heading: str) -> list[str]:
    """Plain-text code blocks in page order, up to the element whose text is `heading`."""
    blocks = []
    for node in walk(at.main):
        value = getattr(node, "value", None)
        if isinstance(value, str) and value == heading:
            return blocks
        if getattr(node, "type", None) == "code" and node.language == "text":
            blocks.append(node.value)
    raise AssertionError(f"no {heading!r} on the page")


def test_home_script_prints_the_example_output(make_app, tmp_path):
    at = make_app({"dtype": "float64"})
    output = run_script(page_script(at), tmp_path)
    example = [c.value for c in at.code if c.value.startswith("tensor(")]
    assert example and output.strip() == example[0]


@pytest.mark.parametrize(
    "query",
    [
        {"x": "1, 2.5, -3", "program": "y = x * 2 + 5\nz = y ** 2 - 10\nq = torch.sin(w) * 2 ** 3 + b"},
        {"n": "12", "seed": "9", "dtype": "float64", "program": "y = torch.exp(x / 4)\nz = y.clamp(min=1.1)"},
        {"x": "1, 2", "program": "y = x * ((10 * 10) ** 3)\nprint = y + 2 ** 0.5\ntype = print - 1"},
        {"x": "4, 9", "program": "y = x.sqrt()\nz = y * y\nq = z - x", "step": "2"},
    ],
)
def test_steps_script_prints_every_card_the_page_shows(make_app, tmp_path, query):
    at = make_app(query, page="steps")
    output = run_script(page_script(at), tmp_path)
    eager_tab = at.tabs[0]
    cards = [c.value for c in eager_tab.code if c.language == "text" and c.value.startswith("tensor(")]
    executed = int(query.get("step", len(query["program"].splitlines())))
    # the inputs the program reads, then one card per executed statement, then the last one's print output
    cards = cards[:-1] if executed else cards
    assert len(cards) == len(parse_program(query["program"]).inputs) + executed
    position = 0
    for card in cards:
        found = output.find(card, position)
        assert found >= 0, (card, output)
        position = found + len(card)
    unexecuted = query["program"].splitlines()[executed:]
    assert all(f"{line.split(' = ')[0]} =\n" not in output for line in unexecuted)


def test_autograd_script_prints_the_flags_and_the_gradients(make_app, tmp_path):
    query = {"x": "1, 2, 3", "program": "y = x * w + b\nz = (y ** 2).sum()", "grad": "x,w", "backward": "1"}
    at = make_app(query, page="autograd")
    output = run_script(page_script(at), tmp_path)
    flags = at.table[0].value
    for _, row in flags.iterrows():
        line = f"{row.iloc[0]}: requires_grad = {row['requires_grad']} is_leaf = {row['is_leaf']} grad_fn = "
        assert line + str(row["grad_fn"]) in output
    gradients = [block for block in text_blocks(at) if block.startswith("tensor(")]
    assert len(gradients) == 2 and all(f"grad =\n{g}\n" in output for g in gradients)


def test_autograd_script_follows_a_program_that_reuses_an_input_name(make_app, tmp_path):
    at = make_app({"x": "1, 2", "program": "x = x * 2\ny = x + 1", "grad": "x", "backward": "1"}, page="autograd")
    output = run_script(page_script(at), tmp_path)
    (gradient,) = [b for b in blocks_before(at, EN["autograd.errors.header"]) if b.startswith("tensor(")]
    assert f"x.grad =\n{gradient}\n" in output and output.count("x: requires_grad") == 1


def test_autograd_script_before_backward_shows_the_flags_only(make_app, tmp_path):
    at = make_app({"x": "1, 2", "program": "y = x * 2"}, page="autograd")
    output = run_script(page_script(at), tmp_path)
    assert "y: requires_grad = True is_leaf = False grad_fn = MulBackward0" in output and ".grad" not in output


def test_steps_script_stops_where_the_page_does(make_app, tmp_path):
    at = make_app({"x": "1, 2", "program": "y = x + 1\nz = y.sum(dim=3)\nq = y * 2"}, page="steps")
    output = run_script(page_script(at), tmp_path)
    with pytest.raises(IndexError) as refusal:
        torch.tensor([2.0, 3.0]).sum(dim=3)
    assert output.endswith(f"IndexError: {refusal.value}\n") and "q =" not in output
    assert str(refusal.value) in at.error[0].value.replace("\\", "")


def test_autograd_script_shows_pytorchs_refusal_like_the_page(make_app, tmp_path):
    at = make_app({"x": "1, 2", "grad": "", "backward": "1"}, page="autograd")
    output = run_script(page_script(at), tmp_path)
    # only the backward section: the error cases further down show the same refusal
    (refusal,) = [b for b in blocks_before(at, EN["autograd.errors.header"]) if b.startswith("RuntimeError")]
    assert refusal.startswith("RuntimeError: element 0")
    assert refusal + "\n" in output


def test_loops_script_times_the_same_sizes_and_agrees(make_app, tmp_path):
    at = make_app({"sizes": "10,100", "budget": "0.05", "program": "y = torch.tanh(x) * 3 - x"}, page="loops")
    output = run_script(page_script(at), tmp_path)
    lines = [line for line in output.splitlines() if line.startswith("n=")]
    assert [int(line.split(":")[0][2:]) for line in lines] == at.dataframe[0].value["n"].tolist()
    timings = [float(v) for line in lines for v in re.findall(r"(\d\.\d+e[-+]\d+) s", line)]
    assert len(timings) == 4 and all(v > 0 for v in timings)
    # the page says the lesson loop agrees with the vectorized call to the last bit; so does the script
    agreement = at.success[0].value.replace("\\", "")
    assert f"{EN['loops.impl.lesson_loop']}: 0;" in agreement  # "; " between implementations (decimal commas)
    assert all(line.endswith("max abs difference 0") for line in lines)


@pytest.mark.parametrize("query", [{"size": "5000", "seed": "4"}, {"workload": "mlp", "width": "32", "batch": "16"}])
def test_grad_modes_script_saves_the_bytes_the_page_counts(make_app, tmp_path, query):
    at = make_app(query, page="grad-modes")
    output = run_script(page_script(at), tmp_path)
    table = at.table[0].value
    for (_, row), mode in zip(table.iterrows(), ("grad", "no_grad", "inference_mode"), strict=True):
        extra = row[EN["grad_modes.table.extra"]]
        line = (
            f"{mode}: requires_grad={row['requires_grad']} is_inference={row['is_inference()']} "
            f"saved beyond what exists anyway={extra} bytes"
        )
        assert line in output
    assert table[EN["grad_modes.table.extra"]].iloc[0] > 0


@pytest.mark.parametrize("case", ["non_scalar", "inference_without_no_grad", "accumulate", "inplace", "bad_fix"])
def test_pitfalls_script_prints_what_the_page_shows(make_app, tmp_path, case):
    at = make_app({"case": case, "x": "0.5, -1, 2"}, page="pitfalls")
    output = ADDRESS.sub("0x?", run_script(page_script(at), tmp_path))
    outcomes = [ADDRESS.sub("0x?", block) for block in text_blocks(at)]
    assert len(outcomes) >= 2
    for block in outcomes:
        assert block in output


def test_sync_timing_script_times_both_ways(make_app, tmp_path):
    at = make_app({"case": "sync_timing"}, page="pitfalls")
    output = run_script(page_script(at), tmp_path)
    naive, synced = (float(v) for v in re.findall(r"(\d\.\d+e[-+]\d+) s", output))
    assert naive > 0 and synced > 0


def test_steps_script_of_a_program_with_blocks_stops_where_the_page_does(make_app, tmp_path):
    program = (
        "y = x * 2 - 1\nfor i in range(3):\n    y = y * 2 + i\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"
    )
    for step in ("3", "5"):
        at = make_app({"x": "1, 2", "program": program, "step": step}, page="steps")
        output = run_script(page_script(at), tmp_path)
        x = torch.tensor([1.0, 2.0])
        y = x * 2 - 1
        shown = [y]
        for i in range(3):
            y = y * 2 + i
            shown.append(y)
        shown.append(y**2 - 10)
        expected = "".join(f"{value}\n" for value in shown[: int(step)])
        printed = "".join(line + "\n" for line in output.splitlines() if line.startswith("tensor"))
        assert printed == expected and f"x = {x}" in output


def test_compiled_script_captures_breaks_and_recompiles_like_the_page(make_app, tmp_path):
    program = "y = x * 2 + 5\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"
    at = make_app({"x": "1, 2, 3", "program": program, "backends": "eager,aot_eager"}, page="compiled")
    output = run_script(page_script(at), tmp_path)
    shown = {m.label: m.value for m in at.metric}
    graphs, breaks = shown[EN["compiled.explain.graphs"]], shown[EN["compiled.explain.breaks"]]
    assert f"graphs: {graphs} graph breaks: {breaks}" in output and (graphs, breaks) == ("2", "1")
    assert "break: generic_jump TensorVariable() at line 2\n" in output  # the program's line, as on the page
    assert "fullgraph refused: Unsupported: Data-dependent branching" in output
    assert "export refused: GuardOnDataDependentSymNode" in output
    assert "tensor 'x' size mismatch at index 0. expected 3, actual 4" in output
    assert re.search(r"aot_eager: compile \d+\.\d+ s, per call", output)
