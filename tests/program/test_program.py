"""The Program: parsing against the allow-list and eager runs checked against torch written directly."""

import pytest
import torch

from core.program import (
    DEFAULT_PROGRAM,
    MAX_CONSTANT,
    MAX_RANGE,
    MAX_STATEMENTS,
    ProgramError,
    parse_program,
    run_program,
)

TOLERANCE = {
    torch.float64: dict(rtol=1e-12, atol=1e-12),
    torch.float32: dict(rtol=1e-6, atol=1e-6),
    torch.bfloat16: dict(rtol=1e-2, atol=1e-2),
    torch.float16: dict(rtol=1e-3, atol=1e-3),
}

# (program, the same computation written directly in torch)
EQUIVALENTS = [
    (DEFAULT_PROGRAM, lambda x: (x * 2 + 5) ** 2 - 10),
    ("y = torch.sin(x) * torch.cos(x)", lambda x: torch.sin(x) * torch.cos(x)),
    ("y = x.exp().log()", lambda x: x.exp().log()),
    ("y = torch.sqrt(x.abs()) / 2", lambda x: torch.sqrt(x.abs()) / 2),
    ("y = -x.tanh() + x.sigmoid()", lambda x: -x.tanh() + x.sigmoid()),
    ("y = torch.relu(x - 1)\nz = y.sum()", lambda x: torch.relu(x - 1).sum()),
    ("m = x > 0\ny = torch.where(m, x, 0)", lambda x: torch.where(x > 0, x, 0)),
    ("y = x.clamp(min=-1, max=1)", lambda x: x.clamp(min=-1, max=1)),
    ("y = x @ x", lambda x: x @ x),
    ("y = x.mean(dim=0, keepdim=True)", lambda x: x.mean(dim=0, keepdim=True)),
    ("y = x.max() - x.min()", lambda x: x.max() - x.min()),
    ("y = (x * 2).abs().sqrt()", lambda x: (x * 2).abs().sqrt()),
    ("y = x ** -2 + (x + 1) ** 0.5", lambda x: x**-2 + (x + 1) ** 0.5),
    ("y = x * 2\ny = y * 2\ny = y * 2", lambda x: x * 8),
    ("y = 2 ** 3 * x", lambda x: 8 * x),
]


@pytest.mark.parametrize("dtype", list(TOLERANCE))
@pytest.mark.parametrize(("text", "direct"), EQUIVALENTS)
def test_running_a_program_matches_torch_written_directly(text, direct, dtype):
    x = torch.tensor([0.5, 1.0, 2.0, 3.0], dtype=dtype)
    trace = run_program(parse_program(text), {"x": x})
    assert trace.error is None and trace.finished
    expected = direct(x)
    result = trace.steps[-1].tensor
    assert result.dtype == expected.dtype
    torch.testing.assert_close(result, expected, **TOLERANCE[dtype])


def test_each_step_records_what_print_shows_and_the_autograd_attributes():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    trace = run_program(parse_program(DEFAULT_PROGRAM), {"x": x})
    y, z = trace.steps
    assert (y.target, y.line, y.source) == ("y", 1, "y = x * 2 + 5")
    assert (z.target, z.line, z.source) == ("z", 2, "z = y ** 2 - 10")
    direct_z = (x * 2 + 5) ** 2 - 10
    assert z.printed == str(direct_z)
    assert z.shape == (3,) and z.dtype == "float32" and z.device == "cpu"
    assert z.requires_grad and not z.is_leaf and z.grad_fn == type(direct_z.grad_fn).__name__ == "SubBackward0"
    assert y.grad_fn == "AddBackward0"


def test_running_part_of_a_program_stops_after_the_requested_steps():
    program = parse_program(DEFAULT_PROGRAM)
    x = torch.tensor([1.0, 2.0, 3.0])
    assert len(run_program(program, {"x": x}, steps=0).steps) == 0
    partial = run_program(program, {"x": x}, steps=1)
    assert [s.target for s in partial.steps] == ["y"] and not partial.finished
    assert "z" not in partial.env
    assert len(run_program(program, {"x": x}, steps=99).steps) == 2


def test_a_pytorch_refusal_keeps_earlier_steps_and_pytorchs_message():
    program = parse_program("y = x * 2\nz = y @ y.sum()")
    x = torch.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError) as direct:
        (x * 2) @ (x * 2).sum()
    trace = run_program(program, {"x": x})
    assert [s.target for s in trace.steps] == ["y"]
    assert trace.error.code == "runtime" and trace.error.line == 2
    assert trace.error.params["detail"] == str(direct.value)


def test_a_statement_without_tensors_is_reported():
    trace = run_program(parse_program("y = 2 + 3"), {"x": torch.ones(2)})
    assert trace.error.code == "not_a_tensor" and trace.error.params == {"name": "y"}


def test_inputs_are_the_names_read_before_assignment():
    program = parse_program("y = x + 1\nx = y * 2\nz = x + y")
    assert program.inputs == ("x",)
    assert program.targets == ("y", "x", "z")
    with pytest.raises(ProgramError) as caught:
        run_program(program, {})
    assert caught.value.code == "missing_input"


HOSTILE = [
    ("__import__('os')", "not_assignment"),
    ("y = __import__('os')", "forbidden_call"),
    ("y = x.__class__", "forbidden"),
    ("y = ().__class__.__bases__", "forbidden"),
    ("y = x ** 10**10", "exponent_not_number"),
    ("y = x ** 11", "exponent_too_large"),
    ("y = 10 ** 100 * x", "exponent_too_large"),
    ("y = " + "(" * 10_000 + "x" + ")" * 10_000, "too_long"),
    ("y = " + "(" * 300 + "x" + ")" * 300, "syntax"),
    ("y = " + "-" * 40 + "x", "too_deep"),
    ("y = '" + "a" * 1_000_000 + "'", "too_long"),
    ("import os", "not_assignment"),
    ("from os import system", "not_assignment"),
    ("y = lambda: 1", "forbidden"),
    ("y = [i for i in range(3)]", "forbidden"),
    ("y = {i: i for i in range(3)}", "forbidden"),
    ("y = (i for i in x)", "forbidden"),
    ("y = 'text'", "forbidden"),
    ("y = b'bytes'", "forbidden"),
    ("y = f'{x}'", "forbidden"),
    ("y = x[0]", "forbidden"),
    ("y = x.T", "forbidden"),
    ("y = torch.load('f')", "unknown_function"),
    ("y = torch.ops.aten.add(x, x)", "unknown_function"),
    ("y = torch.ops.aten.sum(x)", "forbidden"),
    ("y = torch.sum(torch)", "reserved_name"),
    ("y = x.numpy()", "unknown_function"),
    ("y = x.sum().__class__", "forbidden"),
    ("y = x.sum().item()", "unknown_function"),
    ("y = (1).__class__", "forbidden"),
    ("y = x.clamp(min=True)", "forbidden"),
    ("y = eval('1')", "forbidden_call"),
    ("y = open('/etc/passwd')", "forbidden_call"),
    ("y = x.sum(**{'dim': 0})", "bad_keyword"),
    ("y = x.clamp(out=x)", "bad_keyword"),
    ("y = x.max(dim=0)", "call_result"),
    ("y = torch.sum(*x)", "forbidden"),
    ("_y = x", "reserved_name"),
    ("torch = x", "reserved_name"),
    ("__builtins__ = x", "reserved_name"),
    ("y = _secret + x", "reserved_name"),
    ("y = x + q", "unknown_name"),
    ("y = q.sum()", "unknown_name"),
    ("y = x if x else x", "forbidden"),
    ("y = x and x", "forbidden"),
    ("y = 0 < x < 1", "chained_comparison"),
    ("y = x // 2", "forbidden"),
    ("y = x % 2", "forbidden"),
    ("y = ~x", "forbidden"),
    ("y = True * x", "forbidden"),
    ("y = None", "forbidden"),
    ("y = 1j * x", "forbidden"),
    (f"y = x * {MAX_CONSTANT * 10}", "constant_too_large"),
    ("y = x * 1e308", "constant_too_large"),
    ("y, z = x, x", "bad_target"),
    ("y = z = x", "bad_target"),
    ("x.data = x", "bad_target"),
    ("y += x", "not_assignment"),
    ("y: int = 3", "not_assignment"),
    ("def f(): pass", "not_assignment"),
    ("for i in x: y = i", "bad_loop"),
    ("for i in range(1, 3): y = x", "bad_loop"),
    ("for i in range(k=2): y = x", "bad_loop"),
    ("for a, b in range(2): y = x", "bad_loop"),
    ("for i in range(x): y = x", "bad_range"),
    (f"for i in range({MAX_RANGE + 1}): y = x", "bad_range"),
    ("for i in range(0): y = x", "bad_range"),
    ("for i in range(2.0): y = x", "bad_range"),
    ("for i in range(True): y = x", "bad_range"),
    ("for i in range(2): y = x\nelse: y = x", "forbidden"),
    ("for i in range(2): break", "not_assignment"),
    ("for i in range(2): i = x", "loop_variable_assigned"),
    ("for x in range(2): y = x", "loop_variable_taken"),
    ("for i in range(2):\n for i in range(2): y = x", "loop_variable_taken"),
    ("for torch in range(2): y = x", "reserved_name"),
    ("for _i in range(2): y = x", "reserved_name"),
    ("for i in range(2): y = x\nz = i", "unknown_name"),
    ("if x.sum() > 0:\n z = x\ny = z", "one_branch_name"),
    ("if x.sum() > 0:\n z = x\nelse:\n w2 = x\ny = z", "one_branch_name"),
    ("if __import__('os'): y = x", "forbidden_call"),
    ("if x.sum() > 0: pass", "not_assignment"),
    ("if x:\n if x:\n  if x:\n   if x: y = x", "too_nested"),
    ("for i in range(2):\n for j in range(2):\n  for k in range(2):\n   for m in range(2): y = x", "too_nested"),
    (f"for i in range({MAX_RANGE}):\n for j in range({MAX_RANGE}): y = x", "too_many_executed"),
    ("if x.sum() > 0:\n" + " y = x\n" * MAX_STATEMENTS, "too_many_statements"),
    ("while True: pass", "not_assignment"),
    ("with open('f') as f: y = f", "not_assignment"),
    ("y = x\n" * (MAX_STATEMENTS + 1), "too_many_statements"),
    ("y = torch.sum(" + ", ".join(["x"] * 310) + ")", "too_many_nodes"),
    ("y = x +", "syntax"),
    ("y = (x", "syntax"),
    ("", "empty"),
    ("   \n# only a comment\n", "empty"),
    ("y = x\x00", "syntax"),
]


@pytest.fixture
def forbid_execution(monkeypatch):
    """Record any call that could run code or touch the system while a program is checked.

    `ast.parse` itself calls compile() with the AST-only flag; any other compile is execution.
    """
    import ast as ast_module
    import builtins

    calls = []
    real_compile = builtins.compile

    def guarded_compile(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast_module.PyCF_ONLY_AST:
            calls.append(("compile", mode))
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def spy(name):
        def refuse(*args, **kwargs):
            calls.append((name, args[:1]))
            raise AssertionError(f"{name} called while checking a program")

        return refuse

    monkeypatch.setattr(builtins, "compile", guarded_compile)
    for name in ("eval", "exec", "open"):
        monkeypatch.setattr(builtins, name, spy(name))
    monkeypatch.setattr("core.program._evaluate", spy("evaluate"))
    return calls


@pytest.mark.parametrize(("text", "code"), HOSTILE)
def test_hostile_or_malformed_programs_are_refused_before_anything_runs(text, code, forbid_execution):
    with pytest.raises(ProgramError) as caught:
        parse_program(text)
    assert caught.value.code == code
    assert forbid_execution == []


# Programs the checker accepts but that fail when run: each must end as a ProgramError, eagerly and traced.
FAIL_AT_RUN = [
    ("y = (2).sin()", "method_needs_tensor"),
    ("y = torch.max(x, 0).sum()", "call_result"),
    ("y = 1", "not_a_tensor"),
    ("y = torch.sin()", "runtime"),
    ("y = x @ x.sum()", "runtime"),
    ("y = torch.where(x, x, x)", "runtime"),
    ("y = 1 / 0 * x", "runtime"),
    ("y = x.sum(dim=5)", "runtime"),
]


@pytest.mark.parametrize(("text", "code"), FAIL_AT_RUN)
def test_accepted_programs_that_fail_at_run_time_end_as_program_errors(text, code):
    program = parse_program(text)
    trace = run_program(program, {"x": torch.tensor([1.0, 2.0, 3.0])})
    assert trace.error is not None and trace.error.code == code and trace.steps == ()
    from core.steps.tracing import trace_program

    try:
        trace_program(program)
    except ProgramError as exc:
        assert exc.code in {code, "runtime", "not_a_tensor", "method_needs_tensor"}


def test_there_are_at_least_thirty_hostile_cases():
    assert len(HOSTILE) >= 30


def test_each_statement_keeps_its_own_source_text():
    program = parse_program("y = x * 2; z = y + 1\nw2 = (z +\n  1)")
    assert [s.source for s in program.statements] == ["y = x * 2", "z = y + 1", "w2 = (z + 1)"]
    assert [s.line for s in program.statements] == [1, 1, 2]


def test_errors_point_at_line_and_column():
    with pytest.raises(ProgramError) as caught:
        parse_program("y = x * 2\nz = y + unknown")
    assert (caught.value.line, caught.value.column) == (2, 9)
    assert caught.value.params == {"name": "unknown"}
    with pytest.raises(ProgramError) as caught:
        parse_program("y = x *\n")
    assert caught.value.code == "syntax" and caught.value.line == 1


def test_powers_of_plain_numbers_cannot_explode():
    # ((1e6 ** 10) ** 10) would be a 600-digit integer; as floats it overflows to an error instead.
    trace = run_program(parse_program("y = ((1000000 ** 10) ** 10) ** 10 * x"), {"x": torch.ones(1)})
    assert trace.error is not None and trace.error.code == "runtime"


@pytest.mark.parametrize(
    "text",
    [
        "y = x.max(0) * 1000000 * 50",  # a tuple repeated: 1.1 GiB held by the server before this refusal
        "y = x * ((x.max(0) * 1000000 * 5 == x.max(0) * 1000000 * 5) + 1)",  # tuples compared: 26 s of CPU
        "y = x.max(0+0) * 2",
        "y = torch.where(x > 1)",
    ],
)
def test_calls_that_give_no_tensor_are_refused_before_anything_uses_them(text):
    trace = run_program(parse_program(text), {"x": torch.tensor([1.0, 2.0, 3.0])})
    assert trace.steps == () and trace.error.code == "call_result" and trace.error.line == 1
    assert trace.error.params["name"] in {"max", "min", "where"}


def test_tensor_results_of_the_same_functions_still_run():
    x = torch.tensor([1.0, 2.0, 3.0])
    trace = run_program(parse_program("y = x.max() + torch.where(x > 1, x, 0)"), {"x": x})
    assert trace.error is None
    assert torch.equal(trace.env["y"], x.max() + torch.where(x > 1, x, 0))


# --- if/else and for blocks: checked like assignments, run like Python would run them ----------------------

BLOCKS = "y = x * 2 - 1\nfor i in range(3):\n    y = y * 2 + i\nif y.sum() > 0:\n    z = y ** 2 - 10\nelse:\n    z = -y"


def blocks_in_python(x: torch.Tensor) -> tuple[torch.Tensor, int, bool]:
    """BLOCKS written as Python: its output, the assignments run, and the branch taken."""
    y = x * 2 - 1
    for i in range(3):
        y = y * 2 + i
    taken = bool(y.sum() > 0)
    return (y**2 - 10 if taken else -y), 5, taken


@pytest.mark.parametrize("values", [[1.0, 2.0, 3.0], [-1.0, -2.0, 0.5]])
def test_blocks_run_as_python_runs_them(values):
    x = torch.tensor(values)
    trace = run_program(parse_program(BLOCKS), {"x": x})
    expected, executed, taken = blocks_in_python(x)
    assert trace.finished and len(trace.steps) == executed
    torch.testing.assert_close(trace.env["z"], expected, rtol=0, atol=0)
    assert [(d.line, d.taken, d.after_steps) for d in trace.decisions] == [(4, taken, 4)]
    assert [s.context for s in trace.steps[1:4]] == [(("i", 0),), (("i", 1),), (("i", 2),)]
    assert trace.steps[-1].line == (5 if taken else 7)


def test_closures_run_blocks_like_the_interpreter():
    from core.closures import TORCH, compile_program

    program = parse_program(BLOCKS)
    for x in (torch.tensor([1.0, 2.0]), torch.tensor([-3.0, 0.25])):
        torch.testing.assert_close(compile_program(program, TORCH)({"x": x})["z"], blocks_in_python(x)[0])


def test_a_condition_with_several_values_is_pytorchs_refusal_at_the_if_line():
    x = torch.tensor([1.0, -2.0])
    trace = run_program(parse_program("y = x * 2\nif y > 0:\n    z = y\nelse:\n    z = -y"), {"x": x})
    with pytest.raises(RuntimeError) as direct:
        bool(x * 2 > 0)
    assert (trace.error.code, trace.error.line, trace.error.params["detail"]) == ("runtime", 2, str(direct.value))
    assert len(trace.steps) == 1


def test_a_stopped_run_is_the_prefix_of_the_whole_run():
    program = parse_program(BLOCKS)
    x = torch.tensor([1.0, 2.0])
    whole = run_program(program, {"x": x})
    for count in range(len(whole.steps) + 1):
        stopped = run_program(program, {"x": x}, steps=count)
        prefix = whole.prefix(count)
        assert [s.printed for s in stopped.steps] == [s.printed for s in prefix.steps]
        assert stopped.decisions == prefix.decisions and stopped.finished == prefix.finished


def test_block_limits_are_the_documented_ones():
    from core.program import MAX_BLOCK_DEPTH, MAX_EXECUTED

    assert (MAX_RANGE, MAX_BLOCK_DEPTH, MAX_EXECUTED) == (16, 3, 64)
    assert parse_program(f"for i in range({MAX_RANGE}):\n    y = x * i").max_executed == MAX_RANGE
    cube = "for i in range(4):\n    for j in range(4):\n        for k in range(4):\n            y = x + 1"
    assert parse_program(cube).max_executed == MAX_EXECUTED
    with pytest.raises(ProgramError) as caught:
        parse_program("y = x\n" + cube)
    assert (caught.value.code, caught.value.params) == ("too_many_executed", {"count": 65, "limit": MAX_EXECUTED})


def test_names_set_on_one_side_only_are_named_so():
    for text, code, name in (
        ("y = x * 2\nif y.sum() > 100:\n    z = y + 1", "output_one_branch", "z"),
        ("if x.sum() > 0:\n    z = x\ny = z * 2", "one_branch_name", "z"),
        ("range = x * 2", "reserved_name", "range"),
    ):
        with pytest.raises(ProgramError) as caught:
            parse_program(text)
        assert (caught.value.code, caught.value.params["name"]) == (code, name)


def test_fx_traces_a_branch_on_a_plain_number_without_the_names_it_skipped():
    from core.steps.tracing import trace_program

    traced = trace_program(parse_program("y = x\nfor i in range(2):\n    if i > 5:\n        z = y\ny2 = y * 2"))
    assert traced.outputs == ("y", "y2")
