"""Exceptions that the CLI turns into one-line messages.

Library code raises these with a message that names the file or option and says what to do; the CLI
prints `Error: <message>` and exits with `exit_code`, never a traceback.
"""

from __future__ import annotations


class PairgenError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""

    exit_code = 1


class UsageError(PairgenError, ValueError):
    """An option value or combination that makes no sense; nothing was read or written.

    Also a ValueError, so a caller of the Python API can catch what it would expect.
    """

    exit_code = 2


class OptionTypeError(UsageError, TypeError):
    """An option of the wrong type (`n="ten"`, `output=None`); a TypeError for API callers."""


class CorpusError(PairgenError):
    """The corpus is missing, unreadable or holds no usable Ukrainian sentences."""


class LexiconError(PairgenError):
    """A thesaurus or word-list file is malformed; the message names the file and line."""


class OutputError(PairgenError):
    """The output location cannot be written, or would overwrite something without --overwrite."""


class NotEnoughPairsError(PairgenError):
    """The corpus cannot give the requested number of distinct pairs."""


class MissingDependencyError(PairgenError):
    """An optional extra (stanza, train, plot, ray) or a model it needs is not installed."""


class HubError(PairgenError):
    """The Hub refused or could not be reached; the message never contains the token."""


class Interrupted(PairgenError):
    """The build was stopped by SIGINT or SIGTERM; nothing was written."""

    exit_code = 130


def install_hint(extra: str) -> str:
    """How to get an optional extra, in a form that cannot install the wrong package.

    The name `pairgen` on PyPI belongs to an unrelated project, so a hint never asks pip for
    `pairgen` by name: it names the extra's own requirements (read from this package's
    metadata, declared once in pyproject.toml) and the install-from-checkout form.

    >>> install_hint("plot")  # doctest: +SKIP
    "pip install 'matplotlib>=3.7' (or, in a pairgen checkout: pip install -e '.[plot]')"
    """
    from importlib.metadata import PackageNotFoundError, requires

    try:
        declared = requires("pairgen") or []
    except PackageNotFoundError:
        declared = []
    marker = f'extra == "{extra}"'
    needs = [r.split(";")[0].strip() for r in declared if marker in r]
    checkout = f"pip install -e '.[{extra}]'"
    if not needs:
        return f"in a pairgen checkout: {checkout}"
    packages = " ".join(f"'{n}'" if any(c in n for c in "<>=![") else n for n in needs)
    return f"pip install {packages} (or, in a pairgen checkout: {checkout})"
