"""The desktop interpreter as a library, for tests and tools: compile a cart
to Lua and run it to completion in the player's LuaJIT runtime.

This module only names console/runtime/harness.py under the `aot` package,
where the AOT compiler's differential tests look for their reference; the
runtime itself (API, sandbox, numbers) is the player's, so there is one.
"""
from __future__ import annotations

from console.runtime.harness import CartRuntimeError, Compiled, Harness, compile_cart

__all__ = ["CartRuntimeError", "Compiled", "Harness", "compile_cart"]
