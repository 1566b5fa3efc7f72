"""`--redact`: e-mail addresses, URLs, phone numbers and @handles replaced with placeholders.

Meeting notes, letters and forum dumps carry contact details of real people; a dataset pushed to
the Hub publishes them. With `--redact` every match becomes a placeholder in square brackets
(`[email]`, `[url]`, `[phone]`, `[handle]`), so the sentence keeps its shape and still pairs; the
summary counts replacements per kind and the card states that the text was redacted. Without it,
`pairgen push` warns when the folder holds such strings (`find`).

Not covered: names of people (that needs a named-entity model), postal addresses, ID numbers.

    >>> redact("Пишіть на olena.k@example.com або дзвоніть +380 67 123 45 67.")
    ('Пишіть на [email] або дзвоніть [phone].', {'email': 1, 'phone': 1})
"""

from __future__ import annotations

import re
from collections import Counter

PLACEHOLDERS = {"email": "[email]", "url": "[url]", "handle": "[handle]", "phone": "[phone]"}
"""Kinds in the order they are matched: an address inside a URL counts as a URL."""

_PATTERNS = {
    "url": r"(?:https?://|www\.)[^\s<>«»\"]+[^\s<>«»\".,;:!?)\]]|\bt\.me/\w+",
    "email": r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}\b",
    "handle": r"(?<![\w@.])@[A-Za-z_][A-Za-z0-9_]{3,31}\b",
    "phone": r"(?<![\w+])(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)|\d{2,5})"
    r"(?:[\s.-]?\d{2,4}){2,4}(?!\w)",
}
_ALL = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _PATTERNS.items()))
_MIN_PHONE_DIGITS = 9
"""A run of digits and separators is a phone number from 9 digits on (`067 123 45 67`, `044
234-56-78` with its area code); shorter runs are years, counts or dates."""


def _matches(text: str):
    for m in _ALL.finditer(text):
        kind = m.lastgroup or ""
        if kind == "phone" and sum(c.isdigit() for c in m.group()) < _MIN_PHONE_DIGITS:
            continue
        yield kind, m


def redact(text: str) -> tuple[str, dict[str, int]]:
    """`text` with personal contact data replaced, and how many of each kind were replaced."""
    if not any(c in text for c in "@/.0123456789"):
        return text, {}
    counts: Counter[str] = Counter()
    parts: list[str] = []
    last = 0
    for kind, m in _matches(text):
        parts += [text[last : m.start()], PLACEHOLDERS[kind]]
        last = m.end()
        counts[kind] += 1
    if not counts:
        return text, {}
    parts.append(text[last:])
    return "".join(parts), dict(counts)


def find(text: str) -> dict[str, int]:
    """How many strings of each kind `redact` would replace in `text`."""
    return redact(text)[1]
