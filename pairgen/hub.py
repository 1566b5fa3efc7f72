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

import json
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pairgen import __version__
from pairgen.errors import HubError, UsageError

REPO_TYPES = ("dataset", "model", "space")
OWNED = ("data/*", "provenance/*", "pairgen.json", "label_hist.png")
"""What pairgen writes in a dataset repo: of these, whatever a push does not send is deleted in
its commit, so `data/*-*.parquet` globs never pick up a stale shard and no old manifest stays."""
HIDDEN = [".*", "*/.*"]
"""Hidden files and folders (.cache, .DS_Store, ...) never leave the machine."""
CARD = "README.md"
CONNECT_TIMEOUT_S = 5.0
"""How long the reachability check waits for the Hub to answer."""
_OFFLINE = "HF_HUB_OFFLINE is set, so nothing can be pushed: unset it, or use --dry-run"
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

    Checked before use: a token is printable ASCII, and one with a control character, a space or
    a non-ASCII character would end up (in some form) in an HTTP library's error message.

    >>> resolve_token("hf_xxx")
    'hf_xxx'
    """
    if token is not None:
        if not token.strip():
            raise HubError("--token is empty: pass a token, or leave --token out to use HF_TOKEN")
        return _valid(token.strip(), "--token")
    env = os.environ.get("HF_TOKEN", "").strip()
    if env:
        return _valid(env, "HF_TOKEN")
    from huggingface_hub import get_token

    saved = get_token()
    if not saved:
        raise HubError(_NO_TOKEN)
    return _valid(saved.strip(), "the token saved by `hf auth login`")


def _valid(token: str, where: str) -> str:
    """`token` if it is printable ASCII; else a HubError that names the problem, not the token."""
    for i, char in enumerate(token):
        if not "!" <= char <= "~":
            what = (
                "a control character (a line break?)"
                if ord(char) < 0x20 or ord(char) == 0x7F
                else "a space"
                if char == " "
                else "a non-ASCII character"
            )
            raise HubError(
                f"{where} is not a valid Hugging Face token: it has {what} at position {i + 1} "
                "(a token is printable ASCII); copy it again from your Hub settings"
            )
    return token


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
    provenance: bool = True,
    manifest: bool = True,
) -> PushReport:
    """Create the repo if needed and commit the folder to it in one commit.

    Pushing again makes a new commit in the same repo (none when nothing changed). With
    `revision`, the branch is created from main if missing. A dry run needs no token and sends
    nothing. For a dataset repo the folder must be a pairgen output (`check_pairgen_output`); its
    card is sent with the repo id in the usage snippet, and `provenance=False` / `manifest=False`
    leave the provenance config / pairgen.json out (the card then lists only what is sent).

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
    branch = revision or "main"
    with tempfile.TemporaryDirectory(prefix="pairgen-push-") as tmp:
        stage = folder
        if repo_type == "dataset":
            stage = _stage(folder, Path(tmp), repo_id, provenance=provenance, manifest=manifest)
        files = list_files(stage)
        if not files:
            raise HubError(f"{folder} holds no files to push")
        url = repo_url(repo_id, repo_type, revision)
        report = PushReport(repo_id, repo_type, url, None, files, private, branch)
        if dry_run:
            return report
        if is_offline():
            raise HubError(_OFFLINE)
        message = commit_message or f"Upload {folder.name} with pairgen {__version__}"
        commit, deleted, changed = _push(stage, report, message, resolve_token(token))
    return replace(report, commit=commit, deleted=deleted, changed=changed)


def ready_to_push(repo_id: str, token: str | None) -> str:
    """Check, before any work, what a push will need: a well-formed repo id, the Hub not switched
    off by HF_HUB_OFFLINE, and a token. Returns the token to push with (nothing is sent)."""
    validate_repo_id(repo_id)
    if is_offline():
        raise HubError(_OFFLINE.replace("use --dry-run", "leave the push out"))
    return resolve_token(token)


def check_reachable(what: str, repo_id: str, repo_type: str, token: str | None) -> None:
    """One quick request before a Hub load, so that a dead network or a wrong HF_ENDPOINT costs a
    second, not the client's retries (`load_dataset` of a Hub id spent 23.6 s in them).

    Only an unreachable Hub raises (HubError); any HTTP answer, a 404 included, means the Hub is
    there, and the load that follows reports on the repo itself.
    """
    from huggingface_hub import HfApi, constants
    from huggingface_hub.errors import HfHubHTTPError

    try:
        HfApi(endpoint=constants.ENDPOINT).repo_info(
            repo_id, repo_type=repo_type, token=token or None, timeout=CONNECT_TIMEOUT_S
        )
    except HfHubHTTPError:
        return
    except Exception as err:
        if not _is_transport_error(err):
            raise
        reason = scrub(
            _one_line(str(err).splitlines()[0] if str(err) else type(err).__name__), token or ""
        )
    else:
        return
    raise HubError(
        f"{what}: cannot reach the Hugging Face Hub at {constants.ENDPOINT} ({reason}): check the "
        "network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use a copy in the local cache"
    )


def _is_transport_error(err: Exception) -> bool:
    import httpx2

    return isinstance(err, httpx2.TransportError | ConnectionError | TimeoutError)


def is_offline() -> bool:
    """Whether HF_HUB_OFFLINE is set (as huggingface_hub reads it)."""
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def _stage(folder: Path, stage: Path, repo_id: str, *, provenance: bool, manifest: bool) -> Path:
    """What a dataset push sends, laid out in `stage`: links to the folder's files (minus what is
    left out, minus hidden files) and the card rewritten for the repo. The folder is not touched.
    """
    from pairgen.write.card import card_for_repo

    skip = set() if manifest else {"pairgen.json"}
    for rel, _ in list_files(folder):
        if rel in skip or (not provenance and rel.startswith("provenance/")) or rel == CARD:
            continue
        _link(folder / rel, stage / rel)
    text = (folder / CARD).read_text(encoding="utf-8")
    (stage / CARD).write_text(card_for_repo(text, repo_id, provenance=provenance), "utf-8")
    return stage


def _link(source: Path, target: Path) -> None:
    """`target` shows `source`'s bytes: a hard link, else a symlink, else a copy."""
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    for make in (os.link, os.symlink):
        try:
            make(source.resolve(), target)
            return
        except OSError:
            continue
    shutil.copyfile(source, target)


def _push(
    stage: Path, report: PushReport, commit_message: str, token: str
) -> tuple[str, tuple[str, ...], bool]:
    """Create repo (and branch), read the head, upload the staged folder in one commit.

    `upload_folder` deletes, in the same commit, the files pairgen owns in a dataset repo that this
    push does not send (`OWNED`), so the Hub never mixes shards of two builds.
    Returns (oid, deleted, changed).
    """
    from huggingface_hub import HfApi, constants
    from huggingface_hub.utils import filter_repo_objects

    endpoint = constants.ENDPOINT
    api = HfApi(endpoint=endpoint, token=token, library_name="pairgen", library_version=__version__)
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
    owned = list(OWNED) if report.repo_type == "dataset" else None
    local = {path for path, _ in report.files}
    remote = [s.rfilename for s in head.siblings or []]
    stale = tuple(
        p for p in filter_repo_objects(remote, allow_patterns=owned or []) if p not in local
    )
    info = guard(
        api.upload_folder,
        "committing",
        **where,
        folder_path=str(stage),
        commit_message=commit_message,
        revision=report.revision,
        ignore_patterns=HIDDEN,
        delete_patterns=owned,
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
            if (
                message is None
            ):  # unforeseen: still one line, for its traceback could hold the token
                text = f"unexpected {type(err).__name__} while {step}: {_first_line(str(err))}"
                message = scrub(_one_line(text), self.token)
        raise HubError(message)

    def explain(self, err: Exception, step: str) -> str | None:
        from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

        target = f"{self.report.repo_type} {self.report.repo_id}"
        if isinstance(err, OfflineModeIsEnabled):
            text = _OFFLINE
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
        elif _is_transport_error(err):
            text = (
                f"cannot reach the Hugging Face Hub at {self.endpoint} while {step} ({err}): "
                "check the network or HF_ENDPOINT, or try --dry-run"
            )
        elif isinstance(err, ValueError):
            text = f"{step} for {target} failed: {err}"
        else:
            return None
        return scrub(_one_line(text), self.token)


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


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


SCRUB_RUN = 8
"""Characters of the token in a row that are masked wherever they appear (a partial echo)."""


def scrub(text: str, token: str) -> str:
    """`text` with the token masked in every form: as is, escaped (repr, JSON, URL) and any run
    of `SCRUB_RUN` of its characters (a server that echoes part of it, a cut-off header).

    >>> scrub("bad token hf_abcdefghijkl, or ...hijkl?", "hf_abcdefghijkl")
    'bad token ***, or ...hijkl?'
    """
    if not token:
        return text
    from urllib.parse import quote

    for form in sorted({token, repr(token)[1:-1], json.dumps(token)[1:-1], quote(token, "")}):
        text = text.replace(form, "***")
    k = min(SCRUB_RUN, len(token))
    pieces = {token[i : i + k] for i in range(len(token) - k + 1)}
    masked = [False] * len(text)
    for i in range(len(text) - k + 1):
        if text[i : i + k] in pieces:
            masked[i : i + k] = [True] * k
    if not any(masked):
        return text
    out, i = [], 0
    while i < len(text):
        if masked[i]:
            while i < len(text) and masked[i]:
                i += 1
            out.append("***")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
