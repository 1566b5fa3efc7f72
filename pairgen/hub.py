"""Publish a pairgen output folder (or a trained model folder) to the Hugging Face Hub.

Why a module of its own: the push is one `create_repo` and ONE commit of the whole folder, and the
parts that need care are around it: which token is used, that the token never reaches a message,
and that every way the Hub can say no becomes one readable line (`HubError`, or `UsageError` for a
malformed repo id, found before anything is sent).

    report = push_folder(Path("output"), "alice/uk-pairs", private=True)
    print(describe(report))

`huggingface_hub` is imported inside the functions, so `import pairgen` stays light. The endpoint is
`huggingface_hub.constants.ENDPOINT`, read at call time: it follows `HF_ENDPOINT` as the client
read it at import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pairgen.errors import HubError, UsageError

REPO_TYPES = ("dataset", "model", "space")
# pairgen owns these folders in a dataset repo: files there that the new build no longer has are
# deleted in the same commit, so `data/*-*.parquet` globs never pick up a stale shard.
OWNED_FOLDERS = ("data/", "provenance/")
_NO_TOKEN = "no Hugging Face token: pass --token, set HF_TOKEN or run `hf auth login`"


@dataclass(frozen=True)
class PushReport:
    """What a push sent (or, for a dry run, would send) and where.

    `commit` is None for a dry run; `changed` is False when the Hub already had these exact files
    (the client then makes no empty commit and `commit` is the existing head).
    """

    repo_id: str
    repo_type: str
    url: str
    commit: str | None
    files: tuple[tuple[str, int], ...]
    private: bool = False
    revision: str = "main"
    deleted: tuple[str, ...] = ()
    changed: bool = True

    @property
    def total_bytes(self) -> int:
        return sum(size for _, size in self.files)


def resolve_token(token: str | None) -> str:
    """The token to push with: `token`, else `HF_TOKEN`, else the one `hf auth login` saved.

    >>> resolve_token("hf_xxx")
    'hf_xxx'
    """
    if token is not None:
        if not token.strip():
            raise HubError("--token is empty: pass a token, or leave --token out to use HF_TOKEN")
        return token.strip()
    env = os.environ.get("HF_TOKEN", "").strip()
    if env:
        return env
    from huggingface_hub import get_token

    saved = get_token()
    if not saved:
        raise HubError(_NO_TOKEN)
    return saved


def check_pairgen_output(folder: Path) -> None:
    """Raise HubError unless `folder` looks like what `pairgen build` writes.

    Checked: the folder exists, has the manifest `pairgen.json`, a `README.md` card with YAML front
    matter (the Hub reads `configs` from it), and at least one `data/train-*.parquet` shard.
    """
    folder = Path(folder)
    hint = "run `pairgen build CORPUS -o FOLDER` first"
    if not folder.is_dir():
        raise HubError(f"{folder} is not a folder: {hint}")
    if not (folder / "pairgen.json").is_file():
        raise HubError(f"{folder} is not a pairgen output: no pairgen.json manifest ({hint})")
    card = folder / "README.md"
    if not card.is_file():
        raise HubError(f"{folder} is not a pairgen output: no README.md dataset card ({hint})")
    if not card.read_text(encoding="utf-8", errors="replace").startswith("---"):
        raise HubError(f"{card} has no YAML front matter, so the Hub would not see its configs")
    if not any((folder / "data").glob("train-*.parquet")):
        raise HubError(f"{folder} is not a pairgen output: no data/train-*.parquet ({hint})")


def personal_data_warning(folder: Path) -> str | None:
    """A warning when a dataset folder built without `--redact` holds e-mail addresses, URLs,
    phone numbers or @handles (`pairgen.ingest.redact.find`), else None.

    Pushing publishes them to anyone who opens the repo; the warning says how many and how to
    rebuild. A folder built with `--redact` is not scanned.
    """
    import json
    from collections import Counter

    import pyarrow.parquet as pq

    from pairgen.ingest.redact import find

    folder = Path(folder)
    try:
        manifest = json.loads((folder / "pairgen.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("options", {}).get("redact"):
        return None
    found: Counter[str] = Counter()
    for shard in sorted((folder / "data").glob("*.parquet")):
        table = pq.read_table(shard, columns=["sentence1", "sentence2"])
        for column in table.columns:
            for text in set(column.to_pylist()):
                found.update(find(text))
    if not found:
        return None
    what = ", ".join(f"{kind} {n}" for kind, n in sorted(found.items()))
    return (
        f"{folder} was built without --redact and its pairs contain personal data ({what}); "
        "pushing publishes it. Rebuild with --redact to replace them with placeholders"
    )


def validate_repo_id(repo_id: str) -> None:
    """Raise UsageError unless `repo_id` is NAMESPACE/NAME as the Hub accepts it (no network)."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id as hf_validate

    example = "expected NAMESPACE/NAME, e.g. alice/uk-pairs"
    if repo_id.count("/") != 1:
        raise UsageError(f"malformed repo id {repo_id!r}: {example}")
    try:
        hf_validate(repo_id)
    except HFValidationError as err:
        reason = str(err).removesuffix(f": '{repo_id}'.")
    else:
        return
    raise UsageError(f"malformed repo id {repo_id!r}: {reason} ({example})")


def list_files(folder: Path) -> tuple[tuple[str, int], ...]:
    """(path in repo, size) of every file to push, sorted; hidden files and folders stay out."""
    files = []
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files.append((rel.as_posix(), path.stat().st_size))
    return tuple(files)


def repo_url(repo_id: str, repo_type: str = "dataset", revision: str | None = None) -> str:
    """The repo's web page on the configured endpoint (branch page when `revision` is given)."""
    from huggingface_hub import constants

    prefix = {"dataset": "datasets/", "space": "spaces/"}.get(repo_type, "")
    url = f"{constants.ENDPOINT}/{prefix}{repo_id}"
    return f"{url}/tree/{revision}" if revision and revision != "main" else url


def push_folder(
    folder: Path,
    repo_id: str,
    *,
    repo_type: str = "dataset",
    private: bool = False,
    revision: str | None = None,
    commit_message: str | None = None,
    token: str | None = None,
    dry_run: bool = False,
) -> PushReport:
    """Create the repo if needed and commit the whole folder to it in one commit.

    Pushing again makes a new commit in the same repo (none when nothing changed). With
    `revision`, the branch is created from main if missing. A dry run needs no token and sends
    nothing. For a dataset repo the folder must be a pairgen output (`check_pairgen_output`).

        push_folder(Path("output"), "alice/uk-pairs", dry_run=True).files
        push_folder(Path("models/uk-mini"), "alice/uk-mini", repo_type="model")
    """
    folder = Path(folder)
    if repo_type not in REPO_TYPES:
        raise UsageError(f"repo type {repo_type!r} is not one of {', '.join(REPO_TYPES)}")
    validate_repo_id(repo_id)
    if revision is not None and not revision.strip():
        raise UsageError("--revision is empty: pass a branch name, or leave it out for main")
    if repo_type == "dataset":
        check_pairgen_output(folder)
    elif not folder.is_dir():
        raise HubError(f"{folder} is not a folder")
    files = list_files(folder)
    if not files:
        raise HubError(f"{folder} holds no files to push")
    branch = revision or "main"
    report = PushReport(
        repo_id, repo_type, repo_url(repo_id, repo_type, revision), None, files, private, branch
    )
    if dry_run:
        return report
    commit, deleted, changed = _push(folder, report, commit_message, resolve_token(token))
    return replace(report, commit=commit, deleted=deleted, changed=changed)


def _push(
    folder: Path, report: PushReport, commit_message: str | None, token: str
) -> tuple[str, tuple[str, ...], bool]:
    """Create repo (and branch), read the head, commit. Returns (oid, deleted, changed)."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, constants

    from pairgen import __version__ as version

    endpoint = constants.ENDPOINT
    api = HfApi(endpoint=endpoint, token=token, library_name="pairgen", library_version=version)
    where = dict(repo_id=report.repo_id, repo_type=report.repo_type)
    guard = _Guard(endpoint, token, report)

    guard(api.create_repo, "creating the repo", **where, private=report.private, exist_ok=True)
    if report.revision != "main":
        guard(
            api.create_branch,
            f"creating branch {report.revision!r}",
            **where,
            branch=report.revision,
            exist_ok=True,
        )
    head = guard(api.repo_info, "reading the repo", **where, revision=report.revision)
    local = {path for path, _ in report.files}
    remote = [s.rfilename for s in head.siblings or []] if report.repo_type == "dataset" else []
    stale = tuple(p for p in remote if p.startswith(OWNED_FOLDERS) and p not in local)
    operations: list[Any] = [CommitOperationDelete(path_in_repo=p) for p in stale]
    operations += [CommitOperationAdd(p, str(folder / p)) for p, _ in report.files]
    info = guard(
        api.create_commit,
        "committing",
        **where,
        operations=operations,
        commit_message=commit_message or f"Upload {folder.name} with pairgen {version}",
        revision=report.revision,
    )
    return info.oid, stale, info.oid != head.sha


class _Guard:
    """Calls the client and turns what it raises into one token-free line (HubError).

    The HubError is raised outside the `except` block on purpose: the client's exception (whose
    response object still holds the request and its Authorization header) is neither chained as
    `__cause__` nor kept as `__context__`.
    """

    def __init__(self, endpoint: str, token: str, report: PushReport) -> None:
        self.endpoint, self.token, self.report = endpoint, token, report

    def __call__(self, fn: Any, step: str, /, **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except Exception as err:
            message = self.explain(err, step)
            if message is None:
                raise
        raise HubError(message)

    def explain(self, err: Exception, step: str) -> str | None:
        import httpx2
        from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

        target = f"{self.report.repo_type} {self.report.repo_id}"
        if isinstance(err, OfflineModeIsEnabled):
            text = "HF_HUB_OFFLINE is set, so nothing can be pushed: unset it, or use --dry-run"
        elif isinstance(err, HfHubHTTPError):
            status = err.response.status_code
            server = _one_line(err.server_message or "")
            if status == 401:
                text = (
                    f"the Hub at {self.endpoint} rejected the token (401) while {step}: "
                    "pass a valid --token, set HF_TOKEN or run `hf auth login` again"
                )
            elif status == 403:
                text = (
                    f"no write access to {target} (403) while {step}: use a token with write "
                    f"permission for the {self.report.repo_id.split('/')[0]!r} namespace"
                )
            else:
                text = f"the Hub answered {status} while {step} for {target}: {server or err}"
        elif isinstance(err, httpx2.TransportError | ConnectionError | TimeoutError):
            text = (
                f"cannot reach the Hugging Face Hub at {self.endpoint} while {step} ({err}): "
                "check the network or HF_ENDPOINT, or try --dry-run"
            )
        elif isinstance(err, ValueError):
            text = f"{step} for {target} failed: {err}"
        else:
            return None
        return _scrub(_one_line(text), self.token)


def describe(report: PushReport) -> str:
    """The text `pairgen push` prints: the target, then one line per file with its size.

    >>> report = push_folder(Path("output"), "alice/uk-pairs", dry_run=True)  # doctest: +SKIP
    >>> print(describe(report))  # doctest: +SKIP
    """
    visibility = "private" if report.private else "public"
    target = f"{report.repo_type} {report.repo_id} ({visibility}, branch {report.revision})"
    count = f"{len(report.files)} files, {report.total_bytes:,} bytes"
    if report.commit is None:
        head = f"Dry run: would push {count} to {target}\n  {report.url}"
    elif not report.changed:
        head = f"Nothing changed: {target} already has these {count}; no new commit"
    else:
        head = f"Pushed {count} to {target} in commit {report.commit[:10]}"
    width = max(len(f"{size:,}") for _, size in report.files)
    lines = [head, *(f"  {size:>{width},}  {path}" for path, size in report.files)]
    lines += [f"  deleted  {path}" for path in report.deleted]
    lines.append("Nothing was sent." if report.commit is None else report.url)
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _scrub(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text
