"""One module per `rp8` subcommand; each defines `register(subparsers)` and
sets `run=` on its parser to a function taking the parsed args."""
