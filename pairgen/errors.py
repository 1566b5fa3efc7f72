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
