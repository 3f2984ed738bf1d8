"""Generates the engine API fuzzer (C) from the headers' rp8:api blocks.

Nothing is listed by hand: every function declared between the
`rp8:api begin`/`rp8:api end` markers of console/engine/*.h is read the way
console/engine_build.py reads it, and gets a caller that draws its
arguments from edge sets (see fuzz_support.h). Parameters the generator
understands:

- `p8_state *` - the machine under test;
- integer scalars (fix32, int, int32_t, uint8_t, size_t, ...); a parameter
  named `argc` gets plausible argument counts;
- a pointer followed by an integer parameter - a buffer of exactly that
  many elements (input when `const`, output otherwise), random bytes;
- any other pointer with an annotation after the declaration,
  `/* rp8:out NAME EXPR */`, where EXPR is a C expression over the other
  parameters giving how many elements NAME must hold;
- a buffer with a length and the note `/* rp8:lent NAME */`: the engine
  keeps the pointer after the call (p8_stage_rom), so the harness keeps the
  buffer until the next call of that function replaces it, as hosts must;
- a `uint8_t *rom` with no length - the cart ROM the platform lends the
  machine (p8_set_rom, p8_set_rom_rw): the harness's own ROM buffer,
  exactly P8_ROM_DATA bytes, so a read past the cart data is an overrun.

A function with any other parameter is skipped and listed, so a new kind
of parameter shows up instead of being silently ignored.

Run directly to write the harness: python tests/engine/c/fuzz_api.py OUT.c
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The same markers, and the same headers, the cffi build reads.
from console.engine_build import API_BLOCK, ENGINE_DIR  # noqa: E402

SUPPORT = Path(__file__).resolve().parent / "fuzz_support.h"
OUT_NOTE = re.compile(r"/\*\s*rp8:out\s+(\w+)\s+(.*?)\s*\*/", re.S)
LENT_NOTE = re.compile(r"/\*\s*rp8:lent\s+(\w+)\s*\*/")
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
DECL = re.compile(r"^(?P<ret>[\w\s\*]*?[\w\*])\s*\b(?P<name>\w+)\s*\((?P<params>[^()]*)\)$", re.S)

INTEGER_TYPES = {
    "fix32", "int", "unsigned", "long", "int8_t", "uint8_t", "int16_t", "uint16_t",
    "int32_t", "uint32_t", "size_t", "char", "_Bool", "bool",
}


@dataclass
class Param:
    name: str
    base: str          # type without const and pointer
    pointer: bool
    const: bool


@dataclass
class Function:
    name: str
    ret: str
    params: list[Param]
    out_sizes: dict[str, str] = field(default_factory=dict)
    lent: set[str] = field(default_factory=set)


def api_text(engine_dir: Path = ENGINE_DIR) -> list[tuple[str, str]]:
    """(header name, api block text) for every block, in build order."""
    blocks = []
    for header in sorted(engine_dir.glob("*.h")):
        for block in API_BLOCK.findall(header.read_text()):
            blocks.append((header.name, block))
    return blocks


def parse_param(text: str, index: int) -> Param:
    words = text.replace("*", " * ").split()
    pointer = "*" in words
    const = "const" in words
    words = [w for w in words if w not in ("*", "const")]
    if len(words) >= 2:
        name, base = words[-1], " ".join(words[:-1])
    else:
        name, base = f"arg{index}", " ".join(words)
    return Param(name=name, base=base, pointer=pointer, const=const)


def parse_block(block: str) -> list[Function]:
    """Declarations of one api block; an `rp8:out` note after a declaration's
    semicolon belongs to that declaration."""
    marked = LENT_NOTE.sub(lambda m: f" @lent {m.group(1)}@ ", block)
    marked = OUT_NOTE.sub(lambda m: f" @out {m.group(1)} {m.group(2)}@ ", marked)
    marked = COMMENT.sub(" ", marked)
    functions: list[Function] = []
    for piece in marked.split(";"):
        for buf, expr in re.findall(r"@out (\w+) (.*?)@", piece):
            if functions:
                functions[-1].out_sizes[buf] = expr
        for buf in re.findall(r"@lent (\w+)@", piece):
            if functions:
                functions[-1].lent.add(buf)
        text = " ".join(re.sub(r"@(out|lent) .*?@", " ", piece).split())
        match = DECL.match(text)
        if not match or text.startswith(("typedef", "struct", "enum")):
            continue
        raw = match.group("params").strip()
        params = [] if raw in ("", "void") else [
            parse_param(p, i) for i, p in enumerate(raw.split(","))
        ]
        functions.append(Function(match.group("name"), match.group("ret").strip(), params))
    return functions


def is_count(p: Param) -> bool:
    return not p.pointer and p.base in INTEGER_TYPES


def plan(fn: Function) -> tuple[list[str], list[str], str] | str:
    """(declarations, cleanups, call) in C for one function, or the reason
    it cannot be fuzzed."""
    decls: list[str] = []
    frees: list[str] = []
    args: list[str] = []
    counts: dict[str, str] = {}      # count parameter -> buffer parameter
    params = fn.params
    for i, p in enumerate(params):
        if p.pointer and p.base != "p8_state" and p.name not in fn.out_sizes:
            nxt = params[i + 1] if i + 1 < len(params) else None
            if p.name == "rom" and p.base == "uint8_t" and (nxt is None or not is_count(nxt)):
                continue                    # the harness's ROM (see the module notes)
            if nxt is None or not is_count(nxt):
                return f"pointer parameter `{p.name}` has no length and no rp8:out note"
            counts[nxt.name] = p.name
    for p in params:
        if p.pointer and p.base == "p8_state":
            args.append("p8")
        elif not p.pointer and p.base in INTEGER_TYPES:
            if p.name in counts:
                value = "fz_count()"
            elif p.name == "argc":
                value = "fz_argc()"
            elif p.base == "fix32":
                value = "fz_fix32()"
            else:
                value = "fz_int()"
            decls.append(f"  {p.base} {p.name} = ({p.base}){value};")
            args.append(p.name)
        elif p.pointer and p.name not in fn.out_sizes:
            args.append(p.name)
        elif p.pointer:
            args.append(p.name)
        else:
            return f"parameter `{p.name}` of type `{p.base}` is not a scalar the fuzzer knows"
    # Buffers come after every scalar, so size expressions can use them.
    for p in params:
        if not p.pointer or p.base == "p8_state":
            continue
        if p.name == "rom" and p.name not in counts.values() and p.name not in fn.out_sizes:
            args[args.index(p.name)] = "fz_rom"
            continue
        if p.name in fn.out_sizes:
            size = f"(long)({fn.out_sizes[p.name]})"
        else:
            count = next(c for c, b in counts.items() if b == p.name)
            size = f"(long){count}"
        qual = "const " if p.const else ""
        decls.append(f"  {qual}{p.base} *{p.name} = fz_buffer({size}, sizeof({p.base}));")
        if p.name in fn.lent:
            kept = f"fz_lent_{fn.name}_{p.name}"
            decls.insert(0, f"  static void *{kept};")
            frees.append(f"  free({kept});")
            frees.append(f"  {kept} = (void *){p.name};")
        else:
            frees.append(f"  free((void *){p.name});")
    call = f"{fn.name}({', '.join(args)})"
    if fn.ret != "void":
        call = f"(void){call}"
    return decls, frees, call


def generate(engine_dir: Path = ENGINE_DIR,
             only: set[str] | None = None) -> tuple[str, list[str], list[str]]:
    """The harness source, the fuzzed function names, and 'name: reason'
    for each skipped function. `only` restricts the harness to some
    functions (the fuzzer's own self-tests use it)."""
    blocks = api_text(engine_dir)
    headers = sorted({h for h, _ in blocks})
    fuzzed: list[str] = []
    skipped: list[str] = []
    out = [
        "/* Generated by tests/engine/c/fuzz_api.py from the engine's rp8:api blocks. */",
        '#include "fuzz_support.h"',
    ]
    out += [f'#include "{h}"' for h in headers]
    out.append("")
    seen: set[str] = set()
    for _, block in blocks:
        for fn in parse_block(block):
            if fn.name in seen or (only is not None and fn.name not in only):
                continue
            seen.add(fn.name)
            result = plan(fn)
            if isinstance(result, str):
                skipped.append(f"{fn.name}: {result}")
                continue
            decls, frees, call = result
            out.append(f"static void call_{fn.name}(p8_state *p8) {{")
            out += decls
            out.append(f"  {call};")
            out += frees
            out.append("  (void)p8;")
            out.append("}")
            out.append("")
            fuzzed.append(fn.name)
    out.append("typedef void (*fz_fn)(p8_state *);")
    out.append("static const struct { const char *name; fz_fn fn; } fz_calls[] = {")
    out += [f'  {{ "{n}", call_{n} }},' for n in fuzzed]
    out.append("};")
    out.append(MAIN)
    return "\n".join(out) + "\n", fuzzed, skipped


MAIN = r"""
#define FZ_NCALLS ((uint32_t)(sizeof fz_calls / sizeof fz_calls[0]))

int main(int argc, char **argv) {
  long iters = argc > 1 ? atol(argv[1]) : 100000, i;
  unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
  p8_state *p8;
  fz_state ^= seed * 0x9e3779b97f4a7c15ull;
  if (fz_state == 0) fz_state = 1;
  fz_watchdog();
  p8 = fz_machine(p8_state_size());
  fz_rom = fz_buffer((long)sizeof fz_rom_copy, 1);
  fz_rom_snapshot();
  p8_set_rom_rw(p8, fz_rom);
  p8_power_on(p8);
  fz_check_canary();
  for (i = 0; i < iters; i++) {
    uint32_t k;
    int writable;
    if (fz_below(16) == 0) fz_scramble(p8);
    if (fz_below(512) == 0) {
      fz_fill(fz_rom, sizeof fz_rom_copy);
      fz_rom_snapshot();
    }
    k = fz_below(FZ_NCALLS);
    fz_current = fz_calls[k].name;
    writable = p8->rom_rw != NULL;
    alarm(20);
    fz_calls[k].fn(p8);
    alarm(0);
    fz_check_canary();
    fz_check_rom(p8, writable);
  }
  printf("fuzz: %ld calls over %u functions, canary and ROM intact\n", iters, (unsigned)FZ_NCALLS);
  return 0;
}
"""


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tests/engine/c/fuzz_api.py OUT.c", file=sys.stderr)
        return 2
    source, fuzzed, skipped = generate()
    Path(argv[1]).write_text(source)
    print(f"{len(fuzzed)} functions fuzzed")
    for line in skipped:
        print(f"skipped {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
