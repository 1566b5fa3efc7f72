"""Build options from a file: a TOML config, or a previous build's pairgen.json (to replay it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pairgen.errors import UsageError


def load_config(path: Path) -> dict[str, Any]:
    """The options in `path`; a pairgen.json manifest gives its recorded `options`."""
    if not path.is_file():
        raise UsageError(f"--config: {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--config: cannot read {path} ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"--config: {path} is not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    try:
        if path.suffix == ".json":
            data = json.loads(text)
            data = data.get("options", data) if isinstance(data, dict) else data
        else:
            import tomllib

            data = tomllib.loads(text)
            data = data.get("build", data)
    except (ValueError, ImportError) as exc:
        raise UsageError(
            f"--config: {path} is not valid {path.suffix[1:] or 'TOML'}: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise UsageError(f"--config: {path} must hold a table of options")
    return dict(data)
