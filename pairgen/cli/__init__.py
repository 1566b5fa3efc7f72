"""The `pairgen` command line: thin commands over the library, one module per command family.

`group` holds the click group and its lazy command table, `errors` the one decorator that turns
library errors into one `Error: ...` line, `options` the flags generated from the options
dataclasses. Only click is imported here, so `pairgen --help` stays fast.
"""

from pairgen.cli.group import main

__all__ = ["main"]
