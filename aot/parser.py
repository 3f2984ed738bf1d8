"""PICO-8 Lua -> AST, by recursive descent over aot.lexer's tokens.

Lua 5.2's grammar plus PICO-8's additions:
- compound assignment `target op= value` for every binary operator;
- one-line `if (cond) stmts [else stmts]` and `while (cond) stmts`: when
  the condition is parenthesised and not followed by `then`/`do`, the body
  runs to the end of the line (a statement that itself spans lines is
  taken whole);
- `if cond do ... end` is accepted like `then`;
- `?a, b` is `print(a, b)`, wherever a statement can start;
- unary `@ % $` read memory; unary `~` is bnot; binary `~` is `^^`;
- PICO-8's operator precedence (below), where `&`, `^^`, `|` sit between
  comparison and shifts as in Lua 5.3, and the shifts just above them.
"""
from __future__ import annotations

from aot import ast
from aot.lexer import Token, tokenize
from aot.source import CartSyntaxError, Source

# Binary operator -> (left priority, right priority). Higher binds tighter;
# right-associative operators have right < left.
_BINARY = {
    "or": (1, 1), "and": (2, 2),
    "<": (3, 3), ">": (3, 3), "<=": (3, 3), ">=": (3, 3), "~=": (3, 3), "!=": (3, 3), "==": (3, 3),
    "|": (4, 4), "^^": (5, 5), "~": (5, 5), "&": (6, 6),
    "<<": (7, 7), ">>": (7, 7), ">>>": (7, 7), "<<>": (7, 7), ">><": (7, 7),
    "..": (9, 8),
    "+": (10, 10), "-": (10, 10),
    "*": (11, 11), "/": (11, 11), "\\": (11, 11), "%": (11, 11),
    "^": (14, 13),
}
_UNARY_PRIORITY = 12
_UNARY = {"not": "not", "-": "-", "#": "#", "~": "~", "@": 1, "%": 2, "$": 4}
# Spellings folded into one: `!=` is `~=`, binary `~` is `^^`.
_CANON = {"!=": "~=", "~": "^^"}

_COMPOUND = {
    "+=": "+", "-=": "-", "*=": "*", "/=": "/", "\\=": "\\", "%=": "%", "^=": "^",
    "..=": "..", "|=": "|", "&=": "&", "^^=": "^^", "<<=": "<<", ">>=": ">>",
    ">>>=": ">>>", "<<>=": "<<>", ">><=": ">><",
}

_BLOCK_END = frozenset(("end", "else", "elseif", "until", "eof"))

# PICO-8 is Lua 5.2, whose parser counts a level for every statement and
# every (sub)expression it is inside, and refuses more than LUAI_MAXCCALLS
# (200) with "too many C levels (limit is 200)". Counting the same way
# refuses the same carts, and bounds how deep every later pass recurses.
MAX_LEVELS = 200


class Parser:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.pos = 0
        self.tok: Token = self.tokens[0]
        self.level = 0                  # Lua 5.2's nesting count (MAX_LEVELS)
        self.func_lines: list[int] = []  # where each enclosing function starts

    # ------------------------------------------------------------ helpers

    def error(self, message: str, tok: Token | None = None) -> CartSyntaxError:
        t = tok or self.tok
        return CartSyntaxError(self.source, t.line, t.col, message)

    def limit_error(self, what: str, limit: int) -> CartSyntaxError:
        """Lua 5.2's message for a compiler limit (lparser.c errorlimit)."""
        where = f"function at line {self.func_lines[-1]}" if self.func_lines else "main function"
        return self.error(f"too many {what} (limit is {limit}) in {where} near '{self.tok.describe()}'")

    def enter(self) -> None:
        self.level += 1
        if self.level > MAX_LEVELS:
            raise self.limit_error("C levels", MAX_LEVELS)

    def advance(self) -> Token:
        t = self.tok
        self.pos += 1
        self.tok = self.tokens[self.pos] if self.pos < len(self.tokens) else self.tokens[-1]
        return t

    def check(self, type: str) -> bool:
        return self.tok.type == type

    def accept(self, type: str) -> bool:
        if self.tok.type == type:
            self.advance()
            return True
        return False

    def expect(self, type: str, what: str | None = None) -> Token:
        if self.tok.type != type:
            raise self.error(f"'{what or type}' expected near '{self.tok.describe()}'")
        return self.advance()

    def expect_match(self, type: str, opener: str, line: int) -> Token:
        if self.tok.type != type:
            if line == self.tok.line:
                raise self.error(f"'{type}' expected near '{self.tok.describe()}'")
            raise self.error(f"'{type}' expected (to close '{opener}' at line {line}) near '{self.tok.describe()}'")
        return self.advance()

    def name(self) -> Token:
        if self.tok.type != "name":
            raise self.error(f"<name> expected near '{self.tok.describe()}'")
        return self.advance()

    # ------------------------------------------------------------ chunk, blocks

    def chunk(self) -> ast.Chunk:
        body = self.block()
        if not self.check("eof"):
            raise self.error(f"'<eof>' expected near '{self.tok.describe()}'")
        return ast.Chunk(body)

    def block(self) -> ast.Block:
        start = self.tok
        stmts: list[ast.Stmt] = []
        while self.tok.type not in _BLOCK_END:
            if self.tok.type == "return":
                stmts.append(self.return_stat())
                break
            st = self.statement()
            if st is not None:
                stmts.append(st)
        return ast.Block(stmts, start.line, start.col, self.tok.line)

    def line_block(self, line_of: Token) -> ast.Block:
        """The body of a one-line if/while: statements that start on the
        same line as what came before, up to a block terminator."""
        start = self.tok
        stmts: list[ast.Stmt] = []
        while self.tok.type not in _BLOCK_END and not self.tok.nl:
            if self.tok.type == "return":
                stmts.append(self.return_stat(single_line=True))
                break
            st = self.statement()
            if st is not None:
                stmts.append(st)
        return ast.Block(stmts, start.line, start.col, self.tok.line)

    def return_stat(self, single_line: bool = False) -> ast.Return:
        self.enter()                   # Lua parses `return` as a statement
        t = self.advance()
        values: list[ast.Expr] = []
        if self.tok.type not in _BLOCK_END and self.tok.type != ";" and not (single_line and self.tok.nl):
            values = self.exprlist()
        self.accept(";")
        self.level -= 1
        return ast.Return(values, t.line, t.col)

    # ------------------------------------------------------------ statements

    def statement(self) -> ast.Stmt | None:
        self.enter()
        st = self.statement_body()
        self.level -= 1
        return st

    def statement_body(self) -> ast.Stmt | None:
        t = self.tok
        k = t.type
        if k == ";":
            self.advance()
            return None
        if k == "if":
            return self.if_stat()
        if k == "while":
            return self.while_stat()
        if k == "do":
            self.advance()
            body = self.block()
            self.expect_match("end", "do", t.line)
            return ast.Do(body, t.line, t.col)
        if k == "for":
            return self.for_stat()
        if k == "repeat":
            self.advance()
            body = self.block()
            self.expect_match("until", "repeat", t.line)
            cond = self.expr()
            return ast.Repeat(body, cond, t.line, t.col)
        if k == "function":
            return self.function_stat()
        if k == "local":
            self.advance()
            if self.accept("function"):
                n = self.name()
                func = self.function_body(t, str(n.value))
                return ast.LocalFunction(str(n.value), func, t.line, t.col)
            names = [self.local_name()]
            op = _COMPOUND.get(self.tok.type)
            if op is not None:
                # PICO-8 accepts `local a += 2`: a new local from the outer a
                # (zepto8's t/syntax.p8, t2.12).
                optok = self.advance()
                name, nl, nc = names[0]
                value = ast.BinOp(op, ast.Name(name, nl, nc), self.expr(), optok.line, optok.col)
                return ast.Local(names, [value], t.line, t.col)
            while self.accept(","):
                names.append(self.local_name())
            values = self.exprlist() if self.accept("=") else []
            return ast.Local(names, values, t.line, t.col)
        if k == "return":
            raise self.error("'return' must be the last statement of a block")
        if k == "break":
            self.advance()
            return ast.Break(t.line, t.col)
        if k == "goto":
            self.advance()
            n = self.name()
            return ast.Goto(str(n.value), t.line, t.col)
        if k == "::":
            self.advance()
            n = self.name()
            self.expect("::")
            return ast.Label(str(n.value), t.line, t.col)
        if k == "?":
            self.advance()
            args = self.exprlist() if self.tok.type not in _BLOCK_END and not self.tok.nl else []
            return ast.CallStat(ast.Call(ast.Name("print", t.line, t.col), args, t.line, t.col), t.line, t.col)
        return self.expr_stat()

    def local_name(self) -> tuple[str, int, int]:
        n = self.name()
        if self.check("<"):  # Lua 5.4 attribs are not PICO-8
            raise self.error("local attributes (<const>, <close>) are not PICO-8 syntax")
        return (str(n.value), n.line, n.col)

    def expr_stat(self) -> ast.Stmt:
        t = self.tok
        e = self.suffixed_expr()
        k = self.tok.type
        if k == "=" or k == ",":
            targets = [self.assignable(e, t)]
            while self.accept(","):
                t2 = self.tok
                targets.append(self.assignable(self.suffixed_expr(), t2))
                # Lua 5.2 parses each further target one level deeper
                if len(targets) + self.level > MAX_LEVELS:
                    raise self.limit_error("C levels", MAX_LEVELS)
            self.expect("=")
            values = self.exprlist()
            return ast.Assign(targets, values, t.line, t.col)
        op = _COMPOUND.get(k)
        if op is not None:
            target = self.assignable(e, t)
            self.advance()
            value = self.expr()
            return ast.OpAssign(op, target, value, t.line, t.col)
        if isinstance(e, (ast.Call, ast.MethodCall)):
            return ast.CallStat(e, t.line, t.col)
        raise self.error(f"syntax error near '{self.tok.describe()}'")

    def assignable(self, e: ast.Expr, t: Token) -> ast.Expr:
        if isinstance(e, (ast.Name, ast.Index)):
            return e
        raise self.error("cannot assign to this expression", t)

    def cond_and_shape(self, keyword: Token) -> tuple[ast.Expr, bool]:
        """The condition of if/while and whether this is PICO-8's one-line
        form: a parenthesised condition not followed by then/do."""
        if not self.check("("):
            return self.expr(), False
        start = self.pos
        close = self.matching_paren(start)
        cond = self.expr()
        if self.tok.type in ("then", "do"):
            return cond, False
        if close is None:
            return cond, False
        if self.pos != close + 1:
            # `if (c) (t).x = 1`: the parenthesised condition was read on as
            # the start of a call; read it again as the condition alone.
            self.pos = start
            self.tok = self.tokens[start]
            open_tok = self.advance()
            inner = self.expr()
            self.expect_match(")", "(", open_tok.line)
            cond = ast.Paren(inner, open_tok.line, open_tok.col)
        return cond, True

    def matching_paren(self, start: int) -> int | None:
        depth = 0
        toks = self.tokens
        for i in range(start, len(toks)):
            k = toks[i].type
            if k in ("(", "[", "{"):
                depth += 1
            elif k in (")", "]", "}"):
                depth -= 1
                if depth == 0:
                    return i if k == ")" else None
            elif k == "eof":
                return None
        return None

    def if_stat(self) -> ast.If:
        t = self.advance()
        cond, short = self.cond_and_shape(t)
        if short:
            body = self.line_block(t)
            orelse = None
            if self.check("else") and not self.tok.nl:
                self.advance()
                orelse = self.line_block(t)
            return ast.If([(cond, body)], orelse, True, t.line, t.col)
        if not self.accept("then") and not self.accept("do"):
            raise self.error(f"'then' expected near '{self.tok.describe()}'")
        clauses = [(cond, self.block())]
        orelse = None
        while True:
            if self.check("elseif"):
                self.advance()
                c = self.expr()
                # PICO-8 takes `do` for `then` after elseif too (its parser
                # shares one condition rule for both)
                if not self.accept("then") and not self.accept("do"):
                    raise self.error(f"'then' expected near '{self.tok.describe()}'")
                clauses.append((c, self.block()))
            elif self.check("else"):
                self.advance()
                orelse = self.block()
                self.expect_match("end", "if", t.line)
                break
            else:
                self.expect_match("end", "if", t.line)
                break
        return ast.If(clauses, orelse, False, t.line, t.col)

    def while_stat(self) -> ast.While:
        t = self.advance()
        cond, short = self.cond_and_shape(t)
        if short:
            body = self.line_block(t)
            return ast.While(cond, body, t.line, t.col)
        self.expect("do")
        body = self.block()
        self.expect_match("end", "while", t.line)
        return ast.While(cond, body, t.line, t.col)

    def for_stat(self) -> ast.Stmt:
        t = self.advance()
        n1 = self.name()
        if self.accept("="):
            start = self.expr()
            self.expect(",")
            stop = self.expr()
            step = self.expr() if self.accept(",") else None
            self.expect("do")
            body = self.block()
            self.expect_match("end", "for", t.line)
            return ast.NumericFor(str(n1.value), start, stop, step, body, t.line, t.col)
        names = [(str(n1.value), n1.line, n1.col)]
        while self.accept(","):
            n = self.name()
            names.append((str(n.value), n.line, n.col))
        if not self.check("in"):
            raise self.error(f"'=' or 'in' expected near '{self.tok.describe()}'")
        self.advance()
        exprs = self.exprlist()
        self.expect("do")
        body = self.block()
        self.expect_match("end", "for", t.line)
        return ast.GenericFor(names, exprs, body, t.line, t.col)

    def function_stat(self) -> ast.Assign:
        t = self.advance()
        n = self.name()
        target: ast.Expr = ast.Name(str(n.value), n.line, n.col)
        fullname = str(n.value)
        is_method = False
        while self.check(".") or self.check(":"):
            sep = self.advance()
            k = self.name()
            target = ast.Index(target, ast.String(str(k.value), k.line, k.col), True, sep.line, sep.col)
            fullname += sep.type + str(k.value)
            if sep.type == ":":
                is_method = True
                break
        func = self.function_body(t, fullname, is_method)
        return ast.Assign([target], [func], t.line, t.col)

    def function_body(self, t: Token, name: str = "", is_method: bool = False) -> ast.Function:
        self.func_lines.append(t.line)
        self.expect("(")
        params: list[tuple[str, int, int]] = []
        if is_method:
            params.append(("self", t.line, t.col))
        vararg = False
        if not self.check(")"):
            while True:
                if self.accept("..."):
                    vararg = True
                    break
                n = self.name()
                params.append((str(n.value), n.line, n.col))
                if not self.accept(","):
                    break
        self.expect(")")
        body = self.block()
        end = self.expect_match("end", "function", t.line)
        self.func_lines.pop()
        return ast.Function(params, vararg, body, name, is_method, t.line, t.col, end.line)

    # ------------------------------------------------------------ expressions

    def exprlist(self) -> list[ast.Expr]:
        out = [self.expr()]
        while self.accept(","):
            out.append(self.expr())
        return out

    def expr(self, limit: int = 0) -> ast.Expr:
        self.enter()
        e = self.subexpr(limit)
        self.level -= 1
        return e

    def subexpr(self, limit: int) -> ast.Expr:
        """Lua's subexpr: unary operators, then binary operators binding
        tighter than `limit`; a left-associative run is read in a loop."""
        t = self.tok
        un = _UNARY.get(t.type)
        if un is not None:
            self.advance()
            operand = self.expr(_UNARY_PRIORITY)
            if isinstance(un, int):
                left: ast.Expr = ast.Peek(un, operand, t.line, t.col)
            else:
                left = ast.UnOp(un, operand, t.line, t.col)
        else:
            left = self.simple_expr()
        while True:
            op = self.tok.type
            prio = _BINARY.get(op)
            if prio is None or prio[0] <= limit:
                return left
            optok = self.advance()
            right = self.expr(prio[1])
            left = ast.BinOp(_CANON.get(op, op), left, right, optok.line, optok.col)

    def simple_expr(self) -> ast.Expr:
        t = self.tok
        k = t.type
        if k == "number":
            self.advance()
            return ast.Number(int(t.value), t.line, t.col)  # type: ignore[arg-type]
        if k == "string":
            self.advance()
            return ast.String(str(t.value), t.line, t.col)
        if k == "nil":
            self.advance()
            return ast.Nil(t.line, t.col)
        if k == "true":
            self.advance()
            return ast.TrueExpr(t.line, t.col)
        if k == "false":
            self.advance()
            return ast.FalseExpr(t.line, t.col)
        if k == "...":
            self.advance()
            return ast.Vararg(t.line, t.col)
        if k == "{":
            return self.table()
        if k == "function":
            self.advance()
            return self.function_body(t)
        if k == "?":
            # `?` inside an expression: PICO-8 rewrites it to `print(` ...
            # `)` up to the end of the line, so `c=?"x"` is c=print("x")
            # (shrinko8's test_input/reorder.p8).
            self.advance()
            args = self.exprlist() if self.tok.type not in _BLOCK_END and not self.tok.nl else []
            return ast.Call(ast.Name("print", t.line, t.col), args, t.line, t.col)
        return self.suffixed_expr()

    def primary_expr(self) -> ast.Expr:
        t = self.tok
        if t.type == "name":
            self.advance()
            return ast.Name(str(t.value), t.line, t.col)
        if t.type == "(":
            self.advance()
            e = self.expr()
            self.expect_match(")", "(", t.line)
            return ast.Paren(e, t.line, t.col)
        raise self.error(f"unexpected symbol near '{t.describe()}'")

    def suffixed_expr(self) -> ast.Expr:
        e = self.primary_expr()
        while True:
            t = self.tok
            k = t.type
            if k == ".":
                self.advance()
                n = self.name()
                e = ast.Index(e, ast.String(str(n.value), n.line, n.col), True, t.line, t.col)
            elif k == "[":
                self.advance()
                key = self.expr()
                self.expect_match("]", "[", t.line)
                e = ast.Index(e, key, False, t.line, t.col)
            elif k == ":":
                self.advance()
                n = self.name()
                args = self.call_args()
                e = ast.MethodCall(e, str(n.value), args, t.line, t.col)
            elif k == "(" or k == "string" or k == "{":
                e = ast.Call(e, self.call_args(), t.line, t.col)
            else:
                return e

    def call_args(self) -> list[ast.Expr]:
        t = self.tok
        if t.type == "string":
            self.advance()
            return [ast.String(str(t.value), t.line, t.col)]
        if t.type == "{":
            return [self.table()]
        if t.type != "(":
            raise self.error(f"function arguments expected near '{t.describe()}'")
        self.advance()
        args: list[ast.Expr] = []
        if not self.check(")"):
            args = self.exprlist()
        self.expect_match(")", "(", t.line)
        return args

    def table(self) -> ast.Table:
        t = self.expect("{")
        items: list[tuple[ast.Expr | None, ast.Expr]] = []
        while not self.check("}"):
            if self.check("["):
                self.advance()
                key = self.expr()
                self.expect("]")
                self.expect("=")
                items.append((key, self.expr()))
            elif self.check("name") and self.tokens[self.pos + 1].type == "=":
                n = self.advance()
                self.advance()
                items.append((ast.String(str(n.value), n.line, n.col), self.expr()))
            else:
                items.append((None, self.expr()))
            if not self.accept(",") and not self.accept(";"):
                break
        self.expect_match("}", "{", t.line)
        return ast.Table(items, t.line, t.col)


def parse(source: Source | str, name: str = "cart") -> ast.Chunk:
    """Source text (or a Source) -> AST. Raises CartSyntaxError."""
    src = source if isinstance(source, Source) else Source(source, name)
    chunk = Parser(src).chunk()
    return chunk
