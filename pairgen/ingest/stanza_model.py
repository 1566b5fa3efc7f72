"""The optional stanza model: where it lives, whether it is there, and fetching it.

`pairgen models download` wraps `stanza.download` so that users never need to know stanza's folder
layout, and `--segmenter auto` asks `stanza_model_available()` before choosing stanza. That check
only reads a JSON file and looks for model files: it never imports stanza (which imports torch and
takes seconds), so `auto` stays cheap on machines that have stanza but no model.

    >>> download_stanza_model()            # doctest: +SKIP
    PosixPath('/home/me/.cache/stanza/1.15.0/resources')
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

from pairgen.errors import MissingDependencyError, PairgenError, install_hint

LANG = "uk"
PROCESSORS = "tokenize,pos,lemma"
"""What `download_stanza_model` fetches: the tokenizer for segmentation, pos and lemma for the
synonym stage that may use them."""

DOWNLOAD_HINT = "pairgen models download"


def stanza_installed() -> bool:
    """Whether `import stanza` would work (found on the path; nothing is imported)."""
    if "stanza" in sys.modules:  # imported already, or blocked with sys.modules["stanza"] = None
        return sys.modules["stanza"] is not None
    try:
        return importlib.util.find_spec("stanza") is not None
    except (ImportError, ValueError):
        return False


def default_model_dir() -> Path:
    """stanza's own default model folder (`stanza.resources.common.DEFAULT_MODEL_DIR`).

    Worked out without importing stanza: `$STANZA_RESOURCES_DIR`, else the platform cache folder
    for stanza's resources version (`~/.cache/stanza/<version>/resources` on Linux).
    """
    env = os.environ.get("STANZA_RESOURCES_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("stanza", "StanfordNLP", _resources_version())) / "resources"


def _resources_version() -> str:
    spec = importlib.util.find_spec("stanza")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError(f"stanza is not installed: {install_hint('stanza')}")
    version_file = Path(next(iter(spec.submodule_search_locations))) / "_version.py"
    try:
        found = re.search(r"__resources_version__\s*=\s*['\"]([^'\"]+)", version_file.read_text())
    except OSError:
        found = None
    if found:
        return found.group(1)
    from stanza._version import __resources_version__  # layout changed: pay for the import

    return str(__resources_version__)


def _needed_files(model_dir: Path) -> list[Path] | None:
    """The model files a `processors="tokenize"` pipeline loads, or None without resources.json."""
    try:
        resources = json.loads((model_dir / "resources.json").read_text(encoding="utf-8"))
        lang = LANG
        while "alias" in resources.get(lang, {}):
            lang = resources[lang]["alias"]
        defaults = resources[lang]["default_processors"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    wanted = [p for p in ("tokenize", "mwt") if isinstance(defaults.get(p), str)]
    if "tokenize" not in wanted:
        return None
    return [model_dir / lang / p / f"{defaults[p]}.pt" for p in wanted]


def stanza_model_available(dir: Path | None = None) -> bool:
    """Whether stanza's Ukrainian tokenizer model is in `dir` (default: stanza's own folder).

    True when `resources.json` names a default Ukrainian tokenizer (and multi-word-token model,
    if the language has one) and those `.pt` files exist. stanza itself need not be installed
    for this check, but `--segmenter auto` also requires it.
    """
    try:
        folder = Path(dir) if dir is not None else default_model_dir()
    except MissingDependencyError:
        return False
    files = _needed_files(folder)
    return files is not None and all(f.is_file() for f in files)


def download_stanza_model(dir: Path | None = None) -> Path:
    """Fetch stanza's Ukrainian tokenize, pos and lemma models into `dir`; returns the folder.

    Needs the network once (stanza downloads from raw.githubusercontent.com and huggingface.co).
    Raises MissingDependencyError when stanza is not installed and PairgenError when the download
    fails, both with a one-line message.
    """
    if not stanza_installed():
        raise MissingDependencyError(f"stanza is not installed: {install_hint('stanza')}")
    folder = Path(dir) if dir is not None else default_model_dir()
    import stanza

    try:
        stanza.download(LANG, model_dir=str(folder), processors=PROCESSORS, logging_level="WARN")
    except (OSError, ValueError, RuntimeError) as e:  # requests' errors are OSErrors
        raise PairgenError(
            f"could not download the stanza Ukrainian model into {folder} "
            f"({type(e).__name__}: {_first_line(e)}): check the network connection and retry "
            f"`{DOWNLOAD_HINT}`"
        ) from e
    if not stanza_model_available(folder):
        raise PairgenError(
            f"stanza.download finished but no Ukrainian tokenizer model is in {folder}: "
            f"retry `{DOWNLOAD_HINT}`"
        )
    return folder


def _first_line(error: BaseException, limit: int = 160) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else "no details"
    return text if len(text) <= limit else text[: limit - 1] + "…"
