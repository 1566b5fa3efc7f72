"""One error decorator for every command: a library error is one `Error: ...` line on stderr.

`PairgenError`s carry their exit code (`UsageError` 2, `Interrupted` 130, others 1); an `OSError`
the library did not expect is named with its file; an interruption (also one a library wrapped in
its own exception) exits 130. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from pairgen.errors import PairgenError
from pairgen.text import safe_text

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(fn: F) -> F:
    """Turn library errors and interruptions into one line on stderr and the right exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PairgenError as exc:
            click.echo(f"Error: {safe_text(str(exc))}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Error: interrupted; nothing was written", err=True)
            sys.exit(130)
        except OSError as exc:  # the environment, not a bug: a file the library did not expect
            if _interrupted(exc):
                click.echo("Error: interrupted; nothing was written", err=True)
                sys.exit(130)
            where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
        except Exception as exc:
            if not _interrupted(exc):
                raise  # a bug: the traceback is what a report needs
            click.echo("Error: interrupted; nothing was written", err=True)
            sys.exit(130)

    wrapper.reports_errors = True  # type: ignore[attr-defined]  # checked by tests/test_help.py
    return wrapper  # type: ignore[return-value]


def _interrupted(exc: BaseException) -> bool:
    """Whether `exc` is, or was caused by, a KeyboardInterrupt that a library re-raised."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False
