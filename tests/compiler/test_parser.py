"""The PICO-8 parser: every dialect item of issue 4, and every corpus cart."""
from __future__ import annotations

from pathlib import Path

import pytest

from aot import ast
from aot.parser import parse
from aot.resolver import resolve
from aot.source import CartSyntaxError, Source
from support.aot_corpus import cart_source, text_carts


def body(code: str) -> list[ast.Stmt]:
    return parse(code).body.body


def one(code: str) -> ast.Stmt:
    stmts = body(code)
    assert len(stmts) == 1, stmts
    return stmts[0]


def expr(code: str) -> ast.Expr:
    st = one("x=" + code)
    assert isinstance(st, ast.Assign)
    return st.values[0]


def shape(e: ast.Node) -> object:
    """A compact nested form of an expression for comparing trees."""
    if isinstance(e, ast.BinOp):
        return (e.op, shape(e.left), shape(e.right))
    if isinstance(e, ast.UnOp):
        return (e.op, shape(e.operand))
    if isinstance(e, ast.Peek):
        return ("peek%d" % e.size, shape(e.operand))
    if isinstance(e, ast.Name):
        return e.name
    if isinstance(e, ast.Number):
        return e.raw / 65536
    if isinstance(e, ast.Paren):
        return ("()", shape(e.expr))
    if isinstance(e, ast.Call):
        return ("call", shape(e.func), [shape(a) for a in e.args])
    if isinstance(e, ast.String):
        return repr(e.value)
    return type(e).__name__


# ------------------------------------------------------------ compound assignment

@pytest.mark.parametrize("op", [
    "+", "-", "*", "/", "\\", "%", "^", "..", "|", "&", "^^", "<<", ">>", ">>>", "<<>", ">><",
])
def test_compound_assignment_for_every_operator(op: str) -> None:
    st = one(f"a[i] {op}= 2")
    assert isinstance(st, ast.OpAssign)
    assert st.op == op
    assert isinstance(st.target, ast.Index)
    assert shape(st.value) == 2


def test_local_compound_assignment() -> None:
    # zepto8 t/syntax.p8 t2.12: `local a+=2` declares a from the outer a
    st = one("local a+=2")
    assert isinstance(st, ast.Local)
    assert shape(st.values[0]) == ("+", "a", 2)


def test_compound_assignment_binds_the_whole_expression() -> None:
    st = one("a -= 1 + 2 * b")
    assert isinstance(st, ast.OpAssign)
    assert shape(st.value) == ("+", 1, ("*", 2, "b"))


def test_statements_run_together_on_one_line() -> None:
    stmts = body("x+=1x+=(function(x)x+=1x+=x return x end)(1)")
    assert [type(s).__name__ for s in stmts] == ["OpAssign", "OpAssign"]


# ------------------------------------------------------------ operators

def test_not_equal_spellings() -> None:
    assert shape(expr("a != b")) == ("~=", "a", "b")
    assert shape(expr("a ~= b")) == ("~=", "a", "b")


def test_binary_tilde_is_xor_and_unary_is_bnot() -> None:
    assert shape(expr("a ~ b")) == ("^^", "a", "b")
    assert shape(expr("~a")) == ("~", "a")
    assert shape(expr("a ^^ ~b")) == ("^^", "a", ("~", "b"))


def test_precedence_pico8() -> None:
    # shrinko8 test.p8 cases 40-42
    assert shape(expr("1+4*5==21")) == ("==", ("+", 1, ("*", 4, 5)), 21)
    assert shape(expr("0x1f2&0xff<<4")) == ("&", 0x1F2, ("<<", 0xFF, 4))
    assert shape(expr("-2^4")) == ("-", ("^", 2, 4))
    assert shape(expr("a|b^^c&d")) == ("|", "a", ("^^", "b", ("&", "c", "d")))
    assert shape(expr("a<b|c")) == ("<", "a", ("|", "b", "c"))
    assert shape(expr("a..b<<c")) == ("<<", ("..", "a", "b"), "c")
    assert shape(expr("a..b..c")) == ("..", "a", ("..", "b", "c"))     # right associative
    assert shape(expr("a^b^c")) == ("^", "a", ("^", "b", "c"))
    assert shape(expr("a\\b*c")) == ("*", ("\\", "a", "b"), "c")
    assert shape(expr("a or b and c")) == ("or", "a", ("and", "b", "c"))
    assert shape(expr("not a == b")) == ("==", ("not", "a"), "b")


@pytest.mark.parametrize("op", [">>", ">>>", "<<", "<<>", ">><"])
def test_shifts_share_a_level(op: str) -> None:
    assert shape(expr(f"a {op} b + c")) == (op, "a", ("+", "b", "c"))
    assert shape(expr(f"a {op} b {op} c")) == (op, (op, "a", "b"), "c")


def test_peek_operators() -> None:
    assert shape(expr("@a")) == ("peek1", "a")
    assert shape(expr("%a+1")) == ("+", ("peek2", "a"), 1)
    assert shape(expr("$0x5f00")) == ("peek4", 0x5F00)
    assert shape(expr("a%b")) == ("%", "a", "b")


# ------------------------------------------------------------ one-line if / while

def test_short_if() -> None:
    st = one("if (a) b=1 c=2")
    assert isinstance(st, ast.If) and st.short
    assert len(st.clauses[0][1].body) == 2
    assert st.orelse is None


def test_short_if_body_ends_at_line_end() -> None:
    stmts = body("if (a) b=1\nc=2")
    assert len(stmts) == 2
    assert len(stmts[0].clauses[0][1].body) == 1  # type: ignore[attr-defined]


def test_short_if_else_and_nesting() -> None:
    # shrinko8 test.p8 case 74: the inner short if takes the first else
    st = one("if (1==1) if (2==3) a=1 else a=2 else a=3")
    assert isinstance(st, ast.If)
    inner = st.clauses[0][1].body[0]
    assert isinstance(inner, ast.If) and inner.orelse is not None
    assert st.orelse is not None and len(st.orelse.body) == 1


def test_short_if_with_full_if_inside() -> None:
    st = one("if (1==1) if (2==2) then a=4 else a=5 end else a=6")
    assert isinstance(st, ast.If) and st.short and st.orelse is not None


def test_short_if_empty_body_before_end() -> None:
    # shrinko8 test.p8 case 78: `do a=0 if (1==2) end a=123`
    stmts = body("do a=0 if (1==2) end a=123")
    assert [type(s).__name__ for s in stmts] == ["Do", "Assign"]


def test_parenthesised_condition_followed_by_operator_is_normal_if() -> None:
    st = one("if (a) and b then c=1 end")
    assert isinstance(st, ast.If) and not st.short
    assert shape(st.clauses[0][0]) == ("and", ("()", "a"), "b")


def test_short_if_whose_body_starts_with_paren() -> None:
    st = one("if (c) (t).x=1")
    assert isinstance(st, ast.If) and st.short
    assert isinstance(st.clauses[0][1].body[0], ast.Assign)


def test_short_while() -> None:
    # shrinko8 test.p8 case 30: k=1; while (j>0) j-=1 k*=2
    st = body("k=1 while (j>0) j-=1 k*=2\nx=1")[1]
    assert isinstance(st, ast.While)
    assert len(st.body.body) == 2


def test_if_do_is_accepted() -> None:
    st = one("if j==2 do a=1 else a=2 end")
    assert isinstance(st, ast.If) and not st.short and st.orelse is not None


# ------------------------------------------------------------ print shorthand

def test_print_shorthand_anywhere_a_statement_starts() -> None:
    stmts = body("a=1 ?a, 2\n?\"x\"")
    calls = [s for s in stmts if isinstance(s, ast.CallStat)]
    assert [shape(c.call) for c in calls] == [("call", "print", ["a", 2]), ("call", "print", ["'x'"])]


def test_print_shorthand_in_an_expression() -> None:
    # shrinko8 test_input/reorder.p8: `local c=?"w/e"`
    st = one('local c=?"w/e"')
    assert shape(st.values[0]) == ("call", "print", ["'w/e'"])  # type: ignore[attr-defined]


# ------------------------------------------------------------ calls, tables, functions

def test_calls_with_string_and_table_arguments() -> None:
    assert shape(expr('f"s"')) == ("call", "f", ["'s'"])
    assert shape(expr("f[[s]]")) == ("call", "f", ["'s'"])
    e = expr("f{1,2}")
    assert isinstance(e, ast.Call) and isinstance(e.args[0], ast.Table)
    m = expr('o:m"s"')
    assert isinstance(m, ast.MethodCall) and m.name == "m"


def test_literal_is_not_callable_so_statement_ends() -> None:
    # shrinko8 test.p8 case 81: f=1({x=1}).x=2 is two statements
    assert [type(s).__name__ for s in body("f=1({x=1}).x=2")] == ["Assign", "Assign"]
    assert [type(s).__name__ for s in body('f="1"({x=1}).x=2')] == ["Assign", "Assign"]


def test_table_items() -> None:
    t = expr("{1,a=2;[3]=4,f(),}")
    assert isinstance(t, ast.Table)
    keys = [None if k is None else shape(k) for k, _ in t.items]
    assert keys == [None, "'a'", 3, None]


def test_function_statement_forms() -> None:
    st = one("function a.b.c:m(x) end")
    assert isinstance(st, ast.Assign)
    f = st.values[0]
    assert isinstance(f, ast.Function) and f.is_method and f.name == "a.b.c:m"
    assert [p[0] for p in f.param_names] == ["self", "x"]
    lf = one("local function g(...) return ... end")
    assert isinstance(lf, ast.LocalFunction) and lf.func.is_vararg


def test_goto_and_labels() -> None:
    stmts = body("::top:: goto top")
    assert isinstance(stmts[0], ast.Label) and stmts[0].name == "top"
    assert isinstance(stmts[1], ast.Goto) and stmts[1].label == "top"


def test_positions_on_nodes() -> None:
    st = body("a=1\n  b = c + d")[1]
    assert (st.line, st.col) == (2, 3)
    e = st.values[0]  # type: ignore[attr-defined]
    assert (e.line, e.col) == (2, 9)                 # the operator


# ------------------------------------------------------------ errors

@pytest.mark.parametrize("code,message", [
    ("x = = 1", "unexpected symbol near '='"),
    ("if x then", "'end' expected"),
    ("f(", "unexpected symbol near '<eof>'"),
    ("1 = 2", "unexpected symbol near '1'"),
    ("a.b", "syntax error near '<eof>'"),
    ("return 1 x=2", "'<eof>' expected"),
    ("local x <const> = 1", "not PICO-8 syntax"),
    ("for i do end", "'=' or 'in' expected"),
])
def test_syntax_errors(code: str, message: str) -> None:
    with pytest.raises(CartSyntaxError, match=message):
        parse(code)


def test_syntax_error_is_a_user_error_with_location() -> None:
    from aot.errors import UserError
    src = Source("x=1\n-->8\nfunction f()\n  if x then\nend\n", "cart.p8")
    with pytest.raises(UserError) as info:
        parse(src)
    text = str(info.value)
    assert text.startswith("syntax error: cart.p8 tab 1 line 4:1: 'end' expected (to close 'function' at line 3)")
    assert "Traceback" not in text


# ------------------------------------------------------------ the corpus

def _corpus_ids() -> list[str]:
    from conftest import CORPUS
    if not CORPUS.is_dir():
        return ["(no corpus)"]
    return [str(p.relative_to(CORPUS)) for p in text_carts(CORPUS)]


@pytest.mark.parametrize("rel", _corpus_ids())
def test_corpus_cart_parses_and_resolves(corpus: Path, rel: str) -> None:
    src = cart_source(corpus / rel)
    chunk = parse(src)
    info = resolve(chunk, src)
    assert chunk.body.body, "no statements"
    assert info.functions[0] is chunk.func
