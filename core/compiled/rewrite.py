"""The two rewrites PyTorch suggests for a data-dependent `if`, applied to the learner's program.

- `torch.where`: both branches computed, the condition choosing between them. The result is a program in the
  page's own language (text the learner can keep editing), checked again like anything typed.
- `torch.cond`: each branch becomes a function and `torch.cond` chooses at run time inside one graph. The program
  language has no functions, so this version is a built Python function (core.compiled.function), shown as code.

Both need branches of plain assignments; an `if` holding another block is refused with `RewriteRefused`.
"""

from __future__ import annotations

import ast
import copy

from core.compiled.function import FUNCTION_NAME, BuiltFunction, assign, at_line, build, float_powers
from core.program import Branch, Program, Repeat, Statement, loop_variables, parse_program


class RewriteRefused(ValueError):
    """A rewrite cannot apply: `code` says why ("no_branch" or "nested"), `line` where."""

    def __init__(self, code: str, line: int = 0) -> None:
        self.code = code
        self.line = line
        super().__init__(f"{code} at line {line}")

    def __reduce__(self):
        return (RewriteRefused, (self.code, self.line))


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.Name:
        return ast.Name(self.names.get(node.id, node.id), node.ctx)


def _renamed(expression: ast.expr, names: dict[str, str]) -> ast.expr:
    return _Rename(names).visit(copy.deepcopy(expression))


class _Names:
    """Fresh names that collide with nothing the program uses."""

    def __init__(self, program: Program) -> None:
        trees = [s.expression for s in program.statements] + [b.condition for b in program.branches]
        self.taken = {node.id for tree in trees for node in ast.walk(tree) if isinstance(node, ast.Name)}
        self.numbers = set(loop_variables(program.body))  # loop counters: plain numbers, never operands
        self.taken |= set(program.targets) | set(program.inputs) | self.numbers

    def fresh(self, stem: str) -> str:
        name, count = stem, 1
        while name in self.taken:
            count += 1
            name = f"{stem}{count}"
        self.taken.add(name)
        return name


def _check_rewritable(program: Program) -> None:
    if not program.branches:
        raise RewriteRefused("no_branch")
    for branch in program.branches:
        for block in (*branch.body, *branch.orelse):
            if not isinstance(block, Statement):
                raise RewriteRefused("nested", branch.line)


def _branch_outputs(branch: Branch, defined: set[str]) -> list[str]:
    """Names the rest of the program may read after the `if`: set on both sides, or set on one and known before."""
    then_names = [s.target for s in branch.body]
    else_names = [s.target for s in branch.orelse]
    both = dict.fromkeys([*then_names, *else_names])
    return [n for n in both if n in defined or (n in then_names and n in else_names)]


def _side(statements, names: _Names, suffix: str) -> tuple[list[tuple[str, ast.expr, int]], dict[str, str]]:
    """A branch's assignments under fresh names (`z` becomes `z_then`), reading earlier renamed names."""
    renamed: dict[str, str] = {}
    out = []
    for statement in statements:
        expression = _renamed(statement.expression, renamed)
        new = names.fresh(f"{statement.target}_{suffix}")
        renamed[statement.target] = new
        out.append((new, expression, statement.line))
    return out, renamed


def where_program(program: Program) -> str:
    """The program with every `if`/`else` replaced by both branches and `torch.where`, as program text.

    Raises:
        RewriteRefused: no `if`, or an `if` holding another block.
        ProgramError: when the rewritten program is refused (for instance it needs more statements than allowed).
    """
    _check_rewritable(program)
    names = _Names(program)
    lines = _where_lines(program.body, set(program.inputs), names, "")
    text = "\n".join(lines)
    parse_program(text)  # checked like anything typed: the page loads it into the editor
    return text


def _where_lines(blocks, defined: set[str], names: _Names, indent: str) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Statement):
            lines.append(f"{indent}{block.target} = {ast.unparse(block.expression)}")
            defined.add(block.target)
        elif isinstance(block, Repeat):
            lines.append(f"{indent}for {block.variable} in range({block.count}):")
            inner = defined | {block.variable}
            lines += _where_lines(block.body, inner, names, indent + "    ")
            defined |= inner - {block.variable}
        else:
            condition = names.fresh(f"c{block.line}")
            lines.append(f"{indent}{condition} = {ast.unparse(block.condition)}")
            then, then_names = _side(block.body, names, "then")
            other, else_names = _side(block.orelse, names, "else")
            lines += [f"{indent}{new} = {ast.unparse(expression)}" for new, expression, _ in (*then, *other)]
            for name in _branch_outputs(block, defined):
                chosen = f"torch.where({condition}, {then_names.get(name, name)}, {else_names.get(name, name)})"
                lines.append(f"{indent}{name} = {chosen}")
                defined.add(name)
    return lines


def cond_function(program: Program) -> BuiltFunction:
    """The program as a Python function with every `if`/`else` as `torch.cond(condition, then_fn, else_fn, operands)`.

    Raises:
        RewriteRefused: no `if`, or an `if` holding another block.
    """
    _check_rewritable(program)
    names = _Names(program)
    body = _cond_statements(program.body, set(program.inputs), names)
    last = max(line for line, *_ in program.listing() if line is not None)
    body.append(at_line(ast.Return(ast.Name(program.output, ast.Load())), last))
    return build(program, body, FUNCTION_NAME)


def _cond_statements(blocks, defined: set[str], names: _Names) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for block in blocks:
        if isinstance(block, Statement):
            out.append(assign(block.target, block.expression, block.line, names.numbers))
            defined.add(block.target)
        elif isinstance(block, Repeat):
            loop_range = ast.Call(ast.Name("range", ast.Load()), [ast.Constant(block.count)], [])
            inner = defined | {block.variable}
            loop = ast.For(
                ast.Name(block.variable, ast.Store()), loop_range, _cond_statements(block.body, inner, names), [], None
            )
            out.append(at_line(loop, block.line))
            defined |= inner - {block.variable}
        else:
            out += _cond_call(block, defined, names)
    return out


def _cond_call(branch: Branch, defined: set[str], names: _Names) -> list[ast.stmt]:
    """`def then_L(<operands>)`, `def else_L(<operands>)`, then `(<outputs>,) = torch.cond(...)`."""
    outputs = _branch_outputs(branch, defined)
    read = {n.id for s in (*branch.body, *branch.orelse) for n in ast.walk(s.expression) if isinstance(n, ast.Name)}
    operands = sorted((read | set(outputs)) & defined - names.numbers)  # tensors known before; counters are closures
    functions = []
    for suffix, statements in (("then", branch.body), ("else", branch.orelse)):
        name = names.fresh(f"{suffix}_{branch.line}")
        body = [assign(s.target, s.expression, s.line, names.numbers) for s in statements]
        computed = set()  # names holding a new tensor; `z = y` or an untouched name would hand back an operand
        for s in statements:
            computed.discard(s.target)
            if not isinstance(s.expression, ast.Name):
                computed.add(s.target)
        # torch.cond may not return one of its operands as it came (an alias): such a name leaves as a copy
        results = [ast.Name(n, ast.Load()) if n in computed else _clone(n) for n in outputs]
        body.append(at_line(ast.Return(ast.Tuple(results, ast.Load())), branch.line))
        arguments = ast.arguments(
            posonlyargs=[], args=[ast.arg(n) for n in operands], kwonlyargs=[], kw_defaults=[], defaults=[]
        )
        function = ast.FunctionDef(name=name, args=arguments, body=body, decorator_list=[], returns=None)
        functions.append((name, at_line(function, branch.line)))
    call = ast.Call(
        ast.Attribute(ast.Name("torch", ast.Load()), "cond", ast.Load()),
        [
            float_powers(branch.condition, names.numbers),
            ast.Name(functions[0][0], ast.Load()),
            ast.Name(functions[1][0], ast.Load()),
            ast.Tuple([ast.Name(n, ast.Load()) for n in operands], ast.Load()),
        ],
        [],
    )
    target = ast.Tuple([ast.Name(n, ast.Store()) for n in outputs], ast.Store())
    defined.update(outputs)
    return [f for _, f in functions] + [at_line(ast.Assign([target], call, None), branch.line)]


def _clone(name: str) -> ast.Call:
    return ast.Call(ast.Attribute(ast.Name(name, ast.Load()), "clone", ast.Load()), [], [])
