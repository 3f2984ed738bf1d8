"""Errors that are the user's (a bad cart, a bad flag), not rp8's: the CLI
prints them as one line and exits with status 2, never with a traceback."""
from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input; the message names the file and what is wrong."""
