"""Every backend of the program core computes what plain eager PyTorch computes, and refuses what it refuses.

Hypothesis writes programs inside the allow-list as small trees (assignments, `if`/`else`, `for i in range(k)`,
integer and float powers, powers of plain numbers and loop counters, broadcasting x, w and b, every dtype); the
test writes each tree as program text for the checker and runs the same tree itself with plain torch (the
reference). Backends: the interpreter, the TORCH closures, the FLOATS closures element by element (elementwise
programs), the built function run eagerly, the fx graph (no data-dependent `if`), and the reproduce script's
statements run with torch alone. Examples are derandomised; regressions are kept as explicit examples.
"""

from __future__ import annotations

import operator

import pytest
import torch
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from core.closures import FLOATS, TORCH, compile_program
from core.compiled.function import program_function
from core.loops.implementations import check_elementwise
from core.program import MAX_EXECUTED, ProgramError, parse_program, run_program
from core.scripts import statement_lines
from core.steps.tracing import trace_program
from core.tensors import DTYPES

OPERATORS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
    "@": operator.matmul,
    ">": operator.gt,
    "<=": operator.le,
    "==": operator.eq,
}
FAILURES = (RuntimeError, TypeError, ValueError, IndexError, ZeroDivisionError, OverflowError)
SHAPES = [(3,), (1,), (2, 3), ()]
ELEMENTWISE = ("sin", "cos", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu")
REDUCTIONS = ("sum", "mean", "max", "min")
CONSTANTS = (0, 1, 2, 3, 0.5, 2.5, 10, 1000000)
EXPONENTS = (2, 3, 0.5, -1, 10, 0, 2.5)
TARGETS = ("y", "z", "u", "x")
COUNTERS = ("i", "j", "k")
# what a tensor expression is, weighted towards programs that run (a matrix product of the wrong shapes does not)
KINDS = (
    "name",
    "name",
    "op",
    "op",
    "power",
    "neg",
    "function",
    "function",
    "reduce",
    "clamp",
    "where",
    "pair",
    "matmul",
)


# --- the trees: expressions and statements, as the test writes and runs them ------------------------------------


def num(value):
    return ("num", value)


def var(name, number=False):
    return ("name", name, number)


def op(symbol, left, right):
    return ("op", symbol, left, right)


def neg(operand):
    return ("neg", operand)


def call(function, receiver, *args, **keywords):
    return ("call", function, receiver, args, tuple(keywords.items()))


def assign(target, expression):
    return ("assign", target, expression)


def when(condition, body, orelse=()):
    return ("if", condition, tuple(body), tuple(orelse))


def loop(counter, count, body):
    return ("for", counter, count, tuple(body))


def plain(tree) -> bool:
    """A number, never a tensor: constants and loop counters, and what is made of them alone (the language's rule)."""
    kind = tree[0]
    if kind == "num":
        return True
    if kind == "name":
        return tree[2]
    if kind == "neg":
        return plain(tree[1])
    if kind == "op":
        return plain(tree[2]) and plain(tree[3])
    return False


def text_of(tree) -> str:
    kind = tree[0]
    if kind == "num":
        return repr(tree[1])
    if kind == "name":
        return tree[1]
    if kind == "neg":
        return f"(-{text_of(tree[1])})"
    if kind == "op":
        return f"({text_of(tree[2])} {tree[1]} {text_of(tree[3])})"
    _, function, receiver, args, keywords = tree
    written = [text_of(a) for a in args] + [f"{k}={text_of(v)}" for k, v in keywords]
    owner = "torch" if receiver is None else text_of(receiver)
    return f"{owner}.{function}({', '.join(written)})"


def program_lines(statements, indent="") -> list[str]:
    lines = []
    for statement in statements:
        if statement[0] == "assign":
            lines.append(f"{indent}{statement[1]} = {text_of(statement[2])}")
        elif statement[0] == "if":
            lines += [f"{indent}if {text_of(statement[1])}:", *program_lines(statement[2], indent + "    ")]
            if statement[3]:
                lines += [f"{indent}else:", *program_lines(statement[3], indent + "    ")]
        else:
            lines += [f"{indent}for {statement[1]} in range({statement[2]}):"]
            lines += program_lines(statement[3], indent + "    ")
    return lines


# --- the reference: the tree run directly with torch, as a learner would write it in Python -----------------------


def value_of(tree, env):
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "name":
        return env[tree[1]]
    if kind == "neg":
        return -value_of(tree[1], env)
    if kind == "op":
        left, right = value_of(tree[2], env), value_of(tree[3], env)
        if tree[1] == "**" and isinstance(left, int):
            left = float(left)  # a power of plain numbers is taken in float (an int could grow without bound)
        return OPERATORS[tree[1]](left, right)
    _, function, receiver, args, keywords = tree
    owner = torch if receiver is None else value_of(receiver, env)
    return getattr(owner, function)(*[value_of(a, env) for a in args], **{k: value_of(v, env) for k, v in keywords})


class Stopped(Exception):
    """The reference's failure: PyTorch's (or Python's) exception and the line it stopped at."""

    def __init__(self, error: Exception, line: int) -> None:
        self.error, self.line = error, line


def run_reference(statements, env, steps, line=1) -> int:
    """Run `statements` over `env`, counting executed assignments in `steps`; returns the next line number."""
    for statement in statements:
        kind, here = statement[0], line
        if kind == "assign":
            try:
                env[statement[1]] = value_of(statement[2], env)
            except FAILURES as exc:
                raise Stopped(exc, here) from None
            steps.append(statement[1])
            line += 1
        elif kind == "if":
            try:
                taken = bool(value_of(statement[1], env))
            except FAILURES as exc:
                raise Stopped(exc, here) from None
            after_body = here + 1 + len(program_lines(statement[2]))
            if taken:
                run_reference(statement[2], env, steps, here + 1)
            elif statement[3]:
                run_reference(statement[3], env, steps, after_body + 1)
            line = here + len(program_lines([statement]))
        else:
            for index in range(statement[2]):
                env[statement[1]] = index
                run_reference(statement[3], env, steps, here + 1)
            env.pop(statement[1])
            line = here + len(program_lines([statement]))
    return line


# --- the generator: programs the checker accepts ----------------------------------------------------------------


def number_tree(draw, counters, depth):
    kind = draw(st.sampled_from(["num", "counter", "op", "power", "neg"] if depth else ["num", "counter"]))
    if kind == "counter" and counters:
        return var(draw(st.sampled_from(counters)), number=True)
    if kind == "op":
        symbol = draw(st.sampled_from("+-*/"))
        return op(symbol, number_tree(draw, counters, depth - 1), number_tree(draw, counters, depth - 1))
    if kind == "power":
        return op("**", number_tree(draw, counters, depth - 1), exponent(draw))
    if kind == "neg":
        return neg(number_tree(draw, counters, depth - 1))
    return num(draw(st.sampled_from(CONSTANTS)))


def exponent(draw):
    value = draw(st.sampled_from(EXPONENTS))
    return neg(num(-value)) if value < 0 else num(value)


def tensor_tree(draw, names, counters, depth):
    kind = draw(st.sampled_from(KINDS if depth else ["name"]))
    inner = [names, counters, depth - 1]
    if kind == "op":  # tensor and tensor, tensor and number, or number and tensor
        left = tensor_tree(draw, *inner)
        right = tensor_tree(draw, *inner) if draw(st.booleans()) else number_tree(draw, counters, 1)
        if plain(right) and draw(st.booleans()):
            left, right = right, left
        return op(draw(st.sampled_from("+-*/")), left, right)
    if kind == "power":
        return op("**", tensor_tree(draw, *inner), exponent(draw))
    if kind == "neg":
        return neg(tensor_tree(draw, *inner))
    if kind == "function":
        function, operand = draw(st.sampled_from(ELEMENTWISE)), tensor_tree(draw, *inner)
        return call(function, None, operand) if draw(st.booleans()) else call(function, operand)
    if kind == "reduce":
        return reduction(draw, tensor_tree(draw, *inner))
    if kind == "clamp":
        bounds = draw(st.sampled_from([{"min": 0}, {"max": 0}, {"min": 0, "max": 0}]))
        return call("clamp", tensor_tree(draw, *inner), **{k: number_tree(draw, counters, 1) for k in bounds})
    if kind == "where":
        condition = op(
            draw(st.sampled_from([">", "<=", "=="])), tensor_tree(draw, *inner), number_tree(draw, counters, 1)
        )
        chosen, other = tensor_tree(draw, *inner), tensor_tree(draw, *inner)
        if draw(st.booleans()):
            return call("where", None, condition, chosen, other)
        return call("where", chosen, condition, other)  # t.where(condition, other): torch.where(condition, t, other)
    if kind == "pair":  # the elementwise max and min of two tensors
        function = draw(st.sampled_from(["max", "min"]))
        left, right = tensor_tree(draw, *inner), tensor_tree(draw, *inner)
        return call(function, None, left, right) if draw(st.booleans()) else call(function, left, right)
    if kind == "matmul":
        return op("@", tensor_tree(draw, *inner), tensor_tree(draw, *inner))
    return var(draw(st.sampled_from(sorted(names))))


def reduction(draw, operand):
    function = draw(st.sampled_from(REDUCTIONS))
    if function in {"sum", "mean"} and draw(st.booleans()):
        dim = draw(st.sampled_from([0, -1, 0, 1]))  # 1 on a vector: PyTorch's IndexError
        return call(function, operand, dim=neg(num(1)) if dim < 0 else num(dim), keepdim=num(draw(st.booleans())))
    return call(function, operand) if draw(st.booleans()) else call(function, None, operand)


def condition_tree(draw, names, counters):
    if counters and draw(st.booleans()):  # decided by a loop counter alone: no data-dependent branch
        return op(draw(st.sampled_from([">", "=="])), var(draw(st.sampled_from(counters)), True), num(1))
    subject = tensor_tree(draw, names, counters, 1)
    if draw(st.integers(0, 3)):  # mostly one value; otherwise PyTorch refuses bool() of several
        subject = reduction(draw, subject)
    return op(draw(st.sampled_from([">", "<="])), subject, number_tree(draw, counters, 1))


def block_trees(draw, names: frozenset[str], counters: tuple[str, ...], depth: int, budget: list[int]):
    """A few statements reading only names surely assigned before them; also returns the names surely assigned
    after them. `budget` is how many statements (block headers too) may still be written."""
    statements = []
    for _ in range(draw(st.integers(1, 3 if depth == 0 else 2))):
        if budget[0] <= 0:
            break
        budget[0] -= 1
        kind = draw(st.sampled_from(["assign", "assign", "if", "for"] if depth < 2 and budget[0] >= 2 else ["assign"]))
        if kind == "assign":
            target = draw(st.sampled_from(TARGETS))
            statements.append(assign(target, tensor_tree(draw, names, counters, 2)))
            names = names | {target}
        elif kind == "if":
            condition = condition_tree(draw, names, counters)
            body, then_names = block_trees(draw, names, counters, depth + 1, budget)
            orelse, else_names = [], names
            if budget[0] >= 1 and draw(st.booleans()):
                orelse, else_names = block_trees(draw, names, counters, depth + 1, budget)
            statements.append(when(condition, body, orelse))
            names = then_names & else_names  # a name set on one side only is not surely set after
        else:
            counter = next(c for c in COUNTERS if c not in counters)
            body, names = block_trees(draw, names, (*counters, counter), depth + 1, budget)  # range(k >= 1) runs
            statements.append(loop(counter, draw(st.integers(1, 3)), body))
    return statements, names


@st.composite
def cases(draw):
    statements, names = block_trees(draw, frozenset({"x", "w", "b"}), (), 0, [10])
    statements.append(assign(draw(st.sampled_from(TARGETS)), tensor_tree(draw, names, (), 2)))
    x_shape = draw(st.sampled_from(SHAPES))
    shapes = {"x": x_shape, **{n: x_shape if draw(st.booleans()) else draw(st.sampled_from(SHAPES)) for n in "wb"}}
    values = {
        name: draw(st.lists(st.floats(-3, 3, width=32), min_size=_numel(shape), max_size=_numel(shape)))
        for name, shape in shapes.items()
    }
    return Case(tuple(statements), dtype=draw(st.sampled_from(list(DTYPES))), shapes=shapes, values=values)


def _numel(shape) -> int:
    return int(torch.Size(shape).numel())


class Case:
    """A generated program tree and the inputs to run it on."""

    def __init__(self, statements, dtype="float32", shapes=None, values=None) -> None:
        self.statements, self.dtype = statements, dtype
        self.shapes = shapes or {name: (3,) for name in "xwb"}
        self.values = values or {"x": [1.5, -2.0, 0.0], "w": [0.5, 3.0, -1.0], "b": [-0.25, 2.0, 1.0]}

    def inputs(self, dtype=None) -> dict[str, torch.Tensor]:
        wanted = DTYPES[self.dtype] if dtype is None else dtype
        return {
            n: torch.tensor(self.values[n], dtype=torch.float64)
            .reshape(self.shapes[n])
            .to(DTYPES[self.dtype])
            .to(wanted)
            for n in "xwb"
        }

    def __repr__(self) -> str:  # what a failing example shows: the program as the learner would type it
        return f"Case({program_lines(self.statements)!r}, {self.dtype!r}, {self.shapes!r}, {self.values!r})"


class Outcome:
    """What the reference did: the names' final values, the assignments run, and its failure with the line."""

    def __init__(self, case: Case, dtype=None) -> None:
        self.env, steps = case.inputs(dtype), []
        self.error, self.line = None, 0
        try:
            run_reference(case.statements, self.env, steps)
        except Stopped as stopped:
            self.error, self.line = stopped.error, stopped.line
        self.steps = len(steps)


# --- the backends against the reference -------------------------------------------------------------------------


def same(actual, expected) -> None:
    torch.testing.assert_close(actual, expected, equal_nan=True)


def agrees(run, expected: Outcome, output: str) -> None:
    """A backend that runs as plain Python: PyTorch's own exception where the reference failed, else its value."""
    if expected.error is not None:
        with pytest.raises(type(expected.error)):
            run()
    else:
        same(run(), expected.env[output])


def check_interpreter(program, inputs, expected: Outcome) -> None:
    trace = run_program(program, inputs)
    assert len(trace.steps) == expected.steps
    if expected.error is not None:
        assert (trace.error.code, trace.error.line) == ("runtime", expected.line), trace.error
        return
    assert trace.error is None, trace.error
    for name in program.targets:
        if name in expected.env:
            same(trace.env[name], expected.env[name])


def run_script(program, inputs):
    namespace = {"torch": torch, "_float": float, **inputs}  # what a reproduce script's header binds
    exec("\n".join(statement_lines(program)), namespace)  # noqa: S102 - text core wrote from the checked tree
    return namespace[program.output]


def check_fx(program, case: Case, inputs, expected: Outcome) -> None:
    if data_dependent(case.statements):
        with pytest.raises(ProgramError) as refused:
            trace_program(program)
        assert refused.value.code == "fx_control_flow" or (refused.value.code, expected.error) != ("runtime", None)
        return
    try:
        traced = trace_program(program)
    except ProgramError as exc:  # a failure of plain numbers happens while tracing: the reference failed too
        assert exc.code == "runtime" and expected.error is not None, exc
        return
    agrees(lambda: traced.run({n: inputs[n] for n in program.inputs})[program.output], expected, program.output)


def data_dependent(statements) -> bool:
    """Some `if` reads a tensor (fx cannot trace it)."""
    for statement in statements:
        if statement[0] == "if" and (not plain(statement[1]) or data_dependent(statement[2] + statement[3])):
            return True
        if statement[0] == "for" and data_dependent(statement[3]):
            return True
    return False


def check_floats(program, case: Case) -> None:
    """Elementwise programs on same-shaped vectors: the float loop, element by element in float64, every name."""
    try:
        check_elementwise(program)
    except ProgramError:
        return
    shapes = {case.shapes[n] for n in program.inputs}
    if len(shapes) != 1 or len(next(iter(shapes))) != 1:
        return
    expected = Outcome(case, torch.float64)
    on_floats = compile_program(program, FLOATS)
    columns = case.inputs(torch.float64)
    values = zip(*[columns[n].tolist() for n in program.inputs], strict=True)
    rows = [dict(zip(program.inputs, row, strict=True)) for row in values]
    if expected.error is not None:
        with pytest.raises(type(expected.error)):
            [on_floats(row) for row in rows]
        return
    envs = [on_floats(row) for row in rows]
    for name in program.targets:
        if expected.env[name].is_floating_point():  # not a complex power of a negative plain number
            same(torch.tensor([env[name] for env in envs], dtype=torch.float64), expected.env[name])


X, Y = var("x"), var("y")
NEGATIVE = {"x": [-1.5, -2.0, 3.0], "w": [0.5, 3.0, -1.0], "b": [-0.25, 2.0, 1.0]}


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(cases())
# powers of plain numbers are floats: too large for one, PyTorch's overflow, never an unbounded int
@example(Case((assign("y", op("*", X, op("**", op("**", num(1000000), num(10)), num(10)))),)))
@example(Case((loop("i", 3, [assign("y", op("*", X, op("**", op("*", var("i", True), num(1000000)), num(10))))]),)))
@example(Case((assign("y", op("*", X, op("**", op("**", neg(num(8)), num(0.5)), num(2)))),)))  # a complex base
# a loop counter's name, assigned a tensor after its loop, is a tensor there (its power is no float of it)
@example(
    Case(
        (
            loop("i", 2, [assign("y", op("*", X, var("i", True)))]),
            assign("i", op("*", X, num(2))),
            assign("z", op("**", var("i"), num(2))),
        )
    )
)
# plain numbers divide as Python does (1 / 0 raises); tensors as PyTorch does (x / 0 is inf)
@example(
    Case((loop("i", 2, [assign("y", op("*", X, op("/", num(1), var("i", True))))]), assign("z", op("/", Y, num(0)))))
)
# an `if` on several values is PyTorch's refusal at that line
@example(Case((when(op(">", X, num(0)), [assign("y", X)], [assign("y", neg(X))]),)))
# the float loop answers as PyTorch at the edges: -0 to a negative power, a root of -inf, nan through relu and max,
# sin of inf
@example(
    Case(
        (assign("y", op("**", op("*", X, num(0)), neg(num(1)))), assign("z", op("**", op("/", X, num(0)), num(0.5)))),
        values=NEGATIVE,
    )
)
@example(
    Case(
        (
            assign("y", call("relu", call("log", X))),
            assign("z", call("max", None, var("w"), call("sqrt", X))),
        ),
        values=NEGATIVE,
    )
)
@example(Case((assign("y", call("sin", op("/", X, num(0)))), assign("z", call("cos", Y)))))
# half precision overflows where float32 does not; broadcasting of x, w and b
@example(Case((assign("y", op("**", call("exp", X), num(10))),), dtype="float16"))
@example(
    Case(
        (assign("y", op("+", op("*", X, var("w")), var("b"))), assign("z", op("@", Y, var("w")))),
        dtype="bfloat16",
        shapes={"x": (2, 3), "w": (3,), "b": ()},
        values={"x": [1.0, -2.0, 0.5, 3.0, -0.5, 2.0], "w": [0.5, 1.0, -1.0], "b": [2.0]},
    )
)
def test_every_backend_computes_and_refuses_what_eager_pytorch_does(case):
    try:
        program = parse_program("\n".join(program_lines(case.statements)))
    except ProgramError as exc:
        assume(exc.code != "too_many_executed")  # loops inside loops: a program the checker rightly refuses
        raise
    assume(program.max_executed <= MAX_EXECUTED)
    inputs = case.inputs()
    expected = Outcome(case)
    output = program.output
    check_interpreter(program, inputs, expected)
    agrees(lambda: compile_program(program, TORCH)(inputs)[output], expected, output)
    built = program_function(program)
    agrees(lambda: built.function(*(inputs[n] for n in program.inputs)), expected, output)
    agrees(lambda: run_script(program, inputs), expected, output)
    check_fx(program, case, inputs, expected)
    check_floats(program, case)
