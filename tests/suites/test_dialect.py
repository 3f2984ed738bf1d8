"""PICO-8's dialect of Lua, construct by construct, run in both consoles.

Each case is a small program and the lines PICO-8 prints for it. The
interpreter runs every case on its own; the compiled console runs all of
them as one program (one g++ build). Sources: the PICO-8 manual (0.2.5g,
"Lua syntax primer" and "Compound assignment operators", "Operators",
"Memory: @ % $"), and z8lua's test/syntax.lua (the z8lua/shrinko8
author's record of what PICO-8 accepts; its assertion numbers are given
as "z8 N")."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.aot_cpp import assert_cases_compiled, assert_prints

pytest.importorskip("console._engine")

CASES: list[tuple[str, str, list[str]]] = [
    # `do` where Lua needs `then`, after `if` and `elseif` (z8 25.8; issue 14:
    # two minified BBS carts use `elseif c do`)
    ("if_do", """
j=3
if j==3 do printh("a") end
if j==2 do printh("no") elseif j==3 do printh("b") else printh("no") end
if j==2 then printh("no") elseif j==4 do printh("no") elseif j==3 then printh("c") end
""", ["a", "b", "c"]),
    # one-line if/while: parenthesised condition, body to the end of the line
    # (manual: "if (not b) i=1 j=2"; z8 26-30, 74-77)
    ("short_if", """
j=6
if (j==6) j=0;j=1 else printh("no")
printh(j)
if (j==5) printh("no") else j=2
printh(j)
if (1==1) if (2==3) a=1 else a=2 else a=3
printh(a)
if (1==2) if (2==3) a=1 else a=2 else a=3
printh(a)
if (1==2) i=1 else if (1==3) i=2 else i=3
printh(i)
if (1==1) if (2==2) then a=4 else a=5 end else a=6
printh(a)
if (j==2) printh("same line")
printh("next line")
if (j==9) printh("no")
printh("runs")
""", ["1", "2", "2", "3", "3", "4", "same line", "next line", "runs"]),
    ("short_while", """
j=2 k=1 while (j>0) j-=1 k*=2
printh(k) printh(j)
i=1 while(i<10) i+=1 if (i==5) break
printh(i)
""", ["4", "0", "5"]),
    # `?` is print, where a statement starts, also in a one-line if (manual:
    # "? is shorthand for print"; z8 79-80)
    ("print_shorthand", """
local print = function(x, y) printh("p:" .. tostr(x) .. (y and ("," .. y) or "")) end
?1
?"two", 5
if (true) ?3
""", ["p:1", "p:two,5", "p:3"]),
    # compound assignment for every operator and every kind of target; the
    # target is evaluated once (manual "Compound assignment operators"; z8 72)
    ("compound_ops", """
a=10 a+=5 printh(a) a-=1 printh(a) a*=2 printh(a) a/=4 printh(a)
a\\=2 printh(a) a%=2 printh(a) a=3 a^=2 printh(a)
b=12 b&=10 printh(b) b|=1 printh(b) b^^=3 printh(b) b<<=2 printh(b) b>>=1 printh(b)
c=-16 c>>>=2 printh(c) c=0x.0001 c>><=1 printh(c) c<<>=2 printh(tostr(c, true))
s="a" s..="b" s..=1 printh(s)
""", ["15", "14", "28", "7", "3", "1", "9", "8", "9", "10", "40", "20", "16380", "-32768", "0x0000.0002", "ab1"]),
    ("compound_targets", """
t={1,2,x={y=3}} t[1]+=1 t.x.y*=5 printh(t[1]) printh(t.x.y)
n=0 function k() n+=1 return n end
u={10,20} u[k()]+=1 printh(u[1]) printh(u[2]) printh(n)
local l=1 l..="z" printh(l)
local function up() l..="u" end up() printh(l)
g=5 function gf() g-=1 end gf() printh(g)
function obj() n+=1 return t end obj().x.y-=1 printh(t.x.y) printh(n)
""", ["2", "15", "11", "20", "1", "1z", "1zu", "4", "14", "2"]),
    # `!=` is `~=` (manual "Operators"; z8 43)
    ("not_equal", """
printh(1!=2) printh(1!=1) printh("a"!="a")
""", ["true", "false", "false"]),
    # numbers glued to keywords, as minifiers write them
    ("glued_numbers", """
for i=1,2do printh(i)end
if 1==1and 0==0then printh("and")end
x=0x10or 2 printh(x)
y=nil or 0b11and 5 printh(y)
z=0if z==0then printh("if")end
w=1 repeat w+=1until w>=3printh(w)
""", ["1", "2", "and", "16", "5", "if", "3"]),
    # `//` starts a comment like `--` (manual "Comments")
    ("comments", """
printh(1) // printh(2)
--[[ printh(3) ]] printh(4) -- printh(5)
""", ["1", "4"]),
    # integer division `\\` is flr(a/b) (manual "Operators")
    ("integer_division", """
printh(7\\2) printh(-7\\2) printh(7\\-2) printh(1.5\\0.5) printh(7\\0)
""", ["3", "-4", "-4", "3", "32767"]),
    # peek operators: @ peek, % peek2, $ peek4 (manual "Memory")
    ("peek_operators", """
poke(0x4300, 0x12, 0x34, 0x56, 0x78)
printh(@0x4300) printh(%0x4300) printh(tostr($0x4300, true)) printh(@0x4300+1)
""", ["18", "13330", "0x7856.3412", "19"]),
    # bitwise operators: ^^ xor, ~ unary not and binary xor, rotates
    # (manual "Operators": <<> rotl, >>< rotr)
    ("bitwise", """
printh(12^^10) printh(12~10) printh(tostr(~0, true)) printh(1<<>3) printh(-1>><4)
printh(0x0.0001>><1) printh(tostr(0x1234.5678<<>4, true)) printh(0x8000>>>15)
""", ["6", "6", "0xffff.ffff", "8", "4095.9375", "-32768", "0x2345.6781", "1"]),
    # decimal literals wrap past 32767 like hex ones, truncated toward zero
    # (shrinko8 test_compare/const.p8.printh, recorded from PICO-8: 60001
    # prints 0xea61.0000, 32768.00002 0x8000.0001, 65533^2 9), so
    # shrinko8's 42405.5 is the same fill pattern as 0b1010010110100101.1
    # (desert_drift minified drew another pattern)
    ("decimal_literal_wrap", """
printh(tostr(60001, true)) printh(tostr(32768.00002, true)) printh(65533^2)
printh(42405.5 == 0b1010010110100101.1) printh(65536) printh(tostr(-40000.5, true))
""", ["0xea61.0000", "0x8000.0001", "9", "true", "0", "0x63bf.8000"]),
    # goto and labels (Lua 5.2; z8 48-49, 65-67)
    ("goto", """
for i=1,3 do
  if (i==2) goto continue
  printh(i)
  ::continue::
end
local n=0 ::top:: n+=1 if n<3 then goto top end printh(n)
""", ["1", "3", "3"]),
    # _ENV (Lua 5.2; z8 51-52): free names index whatever _ENV is in scope
    ("env", """
local ph=printh
do local _ENV={x=5} ph(x) end
function withenv(_ENV) return y end
ph(withenv({y=7}))
x=1 ph(x)
""", ["5", "7", "1"]),
]


@pytest.mark.parametrize("name,code,want", CASES, ids=[c[0] for c in CASES])
def test_interpreter(name: str, code: str, want: list[str]) -> None:
    assert_prints(name, code, want)


def test_compiled(tmp_path: Path) -> None:
    assert_cases_compiled(CASES, tmp_path, "dialect")
