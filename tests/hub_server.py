"""A small fake Hugging Face Hub on 127.0.0.1, to run the real `huggingface_hub` client offline.

It implements only the endpoints that `pairgen push` and reading a Hub dataset
(`datasets.load_dataset(..., streaming=True)`) make the installed clients call (found by logging
every request and answering 404 to the rest; `FakeHub.unknown` keeps those):

    GET  /api/agent-harnesses                              the client's User-Agent registry
    POST /api/validate-yaml                                README front matter check
    POST /api/repos/create                                 create_repo (409 when it exists)
    GET  /api/{type}s/{ns}/{name}[/revision/{rev}]         repo_info: head sha and file list
    POST /api/{type}s/{ns}/{name}/branch/{branch}          create_branch
    POST /api/{type}s/{ns}/{name}/preupload/{rev}          upload mode per file: "lfs" or "regular"
    POST /{prefix}{ns}/{name}.git/info/lfs/objects/batch   LFS batch API (basic transfer)
    PUT  /_lfs/{oid}, POST /_lfs/verify                    where the batch answer sends the bytes
    POST /api/{type}s/{ns}/{name}/commit/{rev}             ndjson commit: regular, lfsFile, deleted*
    GET  /api/{type}s/{ns}/{name}/tree/{rev}[/{path}]      file listing (`recursive`), LFS pointers
    POST /api/{type}s/{ns}/{name}/paths-info/{rev}         the same for named paths
    HEAD/GET /{prefix}{ns}/{name}/resolve/{rev}/{path}     file bytes (Range requests), its commit

A revision is a branch or a commit id. Public repos are readable without a token, as on the Hub;
`FakeHub.publish` puts files in a repo the way its owner would have pushed them.

Like the real Hub, `*.parquet` files go through LFS (its default .gitattributes) and text files
inline in the commit. The client uploads LFS files through Xet when `hf_xet` is installed; the Xet
storage protocol is not faked here, so tests switch the client to the LFS path
(`huggingface_hub.constants.HF_HUB_DISABLE_XET = True`).

Auth: `tokens` maps a token to "write" or "read". A request without a known token gets 401
("Invalid credentials in Authorization header", as the Hub says), a read token gets 403 on writes.

    with FakeHub(tokens={"hf_w": "write"}) as hub:
        ...  # point the client at hub.url
        hub.repo("dataset", "alice/pairs").files("main")
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from huggingface_hub.utils.sha import git_hash

if TYPE_CHECKING:
    import pytest

GITATTRIBUTES = b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"
_PREFIX = {"dataset": "datasets/", "space": "spaces/", "model": ""}
_API_REPO = re.compile(
    r"^/api/(?P<type>models|datasets|spaces)/(?P<id>[^/]+/[^/]+)"
    r"(?:/(?P<action>revision|branch|preupload|commit)/(?P<rev>[^/]+))?$"
)
_API_FILES = re.compile(
    r"^/api/(?P<type>models|datasets|spaces)/(?P<id>[^/]+/[^/]+)"
    r"/(?P<action>tree|paths-info)/(?P<rev>[^/]+)(?:/(?P<path>.*))?$"
)
_RESOLVE = re.compile(
    r"^/(?:(?P<prefix>datasets|spaces)/)?(?P<id>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<path>.+)$"
)
_LFS_BATCH = re.compile(
    r"^/(?:(?P<prefix>datasets|spaces)/)?(?P<id>[^/]+/[^/]+)\.git/info/lfs/objects/batch$"
)


@dataclass
class Request:
    """One request as the server saw it (headers lower-cased)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Commit:
    """One commit: its message and the whole tree after it (path -> bytes)."""

    oid: str
    summary: str
    description: str
    tree: dict[str, bytes]


@dataclass
class Repo:
    """A repo: type, visibility and, per branch, the list of its commits (oldest first)."""

    repo_type: str
    repo_id: str
    private: bool
    branches: dict[str, list[Commit]] = field(default_factory=dict)

    def files(self, branch: str = "main") -> dict[str, bytes]:
        """The files at the head of `branch`, .gitattributes included."""
        return dict(self.branches[branch][-1].tree)

    def commits(self, branch: str = "main") -> list[Commit]:
        """Commits of `branch` after the initial one that create_repo makes."""
        return self.branches[branch][1:]


class FakeHub:
    """The fake Hub: start with `with FakeHub(...) as hub:`, read `hub.url`, `hub.requests`."""

    def __init__(self, tokens: dict[str, str] | None = None) -> None:
        self.tokens = dict(tokens or {})
        self.requests: list[Request] = []
        self.unknown: list[str] = []
        self.repos: dict[tuple[str, str], Repo] = {}
        self.lfs: dict[str, bytes] = {}
        self.yaml_errors: list[str] = []  # set to make /api/validate-yaml reject the card
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def repo(self, repo_type: str, repo_id: str) -> Repo:
        return self.repos[(repo_type, repo_id)]

    def publish(
        self,
        repo_id: str,
        files: dict[str, bytes],
        *,
        repo_type: str = "dataset",
        private: bool = False,
        message: str = "upload",
    ) -> str:
        """Commit `files` (the whole tree) to `repo_id`'s main branch, creating the repo if need
        be, as an owner would; returns the commit id. For tests that read from the Hub."""
        with self._lock:
            repo = self.repos.setdefault(
                (repo_type, repo_id), Repo(repo_type, repo_id, private, {"main": []})
            )
            commits = repo.branches["main"]
            oid = _oid(repo_id, "main", len(commits), message)
            commits.append(Commit(oid, message, "", {".gitattributes": GITATTRIBUTES, **files}))
            return oid

    # -- request handling -------------------------------------------------------------------

    def handle(self, req: Request) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            self.requests.append(req)
            return self._route(req)

    def _route(self, req: Request) -> tuple[int, dict[str, str], Any]:
        if req.path == "/api/validate-yaml" and req.method == "POST":
            errors = [{"message": m} for m in self.yaml_errors]
            return (400 if errors else 200), {}, {"errors": errors, "warnings": []}
        if req.path == "/api/agent-harnesses" and req.method == "GET":
            # Fetched once per process by the client's User-Agent builder; no token is sent.
            return 200, {}, {"standardEnvVars": [], "harnesses": {}}
        if req.path == "/api/repos/create" and req.method == "POST":
            return self._create(req)
        if req.path.startswith("/_lfs/"):
            return self._lfs_transfer(req)
        if m := _LFS_BATCH.match(req.path):
            repo_type = {"datasets": "dataset", "spaces": "space"}.get(m["prefix"] or "", "model")
            return self._lfs_batch(req, repo_type, m["id"])
        if m := _API_FILES.match(req.path):
            return self._files_api(
                req,
                m["type"][:-1],
                m["id"],
                m["action"],
                unquote(m["rev"]),
                unquote(m["path"] or ""),
            )
        if (m := _RESOLVE.match(req.path)) and req.method in ("GET", "HEAD"):
            repo_type = {"datasets": "dataset", "spaces": "space"}.get(m["prefix"] or "", "model")
            return self._resolve(req, repo_type, m["id"], unquote(m["rev"]), unquote(m["path"]))
        if m := _API_REPO.match(req.path):
            repo_type = m["type"][:-1]
            rev = unquote(m["rev"]) if m["rev"] else "main"
            return self._repo_api(req, repo_type, m["id"], m["action"], rev)
        self.unknown.append(f"{req.method} {req.path}")
        return 404, {}, {"error": f"fake hub: no route for {req.method} {req.path}"}

    def _auth(
        self, req: Request, write: bool, public: bool = False
    ) -> tuple[int, dict[str, str], Any] | None:
        if public and not write and "authorization" not in req.headers:
            return None  # anyone may read a public repo
        token = req.headers.get("authorization", "").removeprefix("Bearer ")
        scope = self.tokens.get(token)
        if scope is None:
            message = "Invalid credentials in Authorization header"
            return 401, {"X-Error-Message": message}, {"error": message}
        if write and scope != "write":
            message = "You don't have the rights to write to this repo"
            return 403, {"X-Error-Message": message}, {"error": message}
        return None

    def _create(self, req: Request) -> tuple[int, dict[str, str], Any]:
        if denied := self._auth(req, write=True):
            return denied
        body = json.loads(req.body)
        repo_type = body.get("type") or "model"
        repo_id = f"{body['organization']}/{body['name']}"
        url = f"{self.url}/{_PREFIX[repo_type]}{repo_id}"
        if (repo_type, repo_id) in self.repos:
            return 409, {}, {"error": "You already created this repo", "url": url}
        first = Commit(
            _oid("init", repo_id), "initial commit", "", {".gitattributes": GITATTRIBUTES}
        )
        repo = Repo(repo_type, repo_id, body.get("visibility") == "private", {"main": [first]})
        self.repos[(repo_type, repo_id)] = repo
        return 200, {}, {"url": url, "name": repo_id}

    def _repo_api(
        self, req: Request, repo_type: str, repo_id: str, action: str | None, rev: str
    ) -> tuple[int, dict[str, str], Any]:
        write = action in ("branch", "preupload", "commit")
        repo = self.repos.get((repo_type, repo_id))
        if repo is None and not write:
            return 404, {"X-Error-Code": "RepoNotFound"}, {"error": "Repository not found"}
        if denied := self._auth(req, write=write, public=repo is not None and not repo.private):
            return denied
        if repo is None:
            return 404, {"X-Error-Code": "RepoNotFound"}, {"error": "Repository not found"}
        if action == "branch":
            if rev in repo.branches:
                return 409, {}, {"error": f"Branch {rev} already exists"}
            repo.branches[rev] = [repo.branches["main"][-1]]
            return 200, {}, {}
        head = self._head(repo_type, repo_id, rev)
        if head is None or (write and rev not in repo.branches):
            return 404, {"X-Error-Code": "RevisionNotFound"}, {"error": f"Invalid rev id: {rev}"}
        if action in (None, "revision"):
            siblings = [{"rfilename": p} for p in sorted(head.tree)]
            return (
                200,
                {},
                {"id": repo_id, "sha": head.oid, "private": repo.private, "siblings": siblings},
            )
        if action == "preupload":
            return (
                200,
                {},
                {"files": [_upload_mode(f, head.tree) for f in json.loads(req.body)["files"]]},
            )
        return self._commit(req, repo, rev)

    def _head(self, repo_type: str, repo_id: str, rev: str) -> Commit | None:
        repo = self.repos.get((repo_type, repo_id))
        if repo is None:
            return None
        if rev in repo.branches:
            return repo.branches[rev][-1]
        return next(
            (c for commits in repo.branches.values() for c in commits if c.oid == rev), None
        )

    def _readable(self, req: Request, repo_type: str, repo_id: str, rev: str) -> Commit:
        """The commit `rev` names, if the request may read the repo; else raises `_Refused`."""
        repo = self.repos.get((repo_type, repo_id))
        if repo is None:
            raise _Refused(404, {"X-Error-Code": "RepoNotFound"}, {"error": "Repository not found"})
        if denied := self._auth(req, write=False, public=not repo.private):
            raise _Refused(*denied)
        head = self._head(repo_type, repo_id, rev)
        if head is None:
            raise _Refused(
                404, {"X-Error-Code": "RevisionNotFound"}, {"error": f"Invalid rev id: {rev}"}
            )
        return head

    def _files_api(
        self, req: Request, repo_type: str, repo_id: str, action: str, rev: str, path: str
    ) -> tuple[int, dict[str, str], Any]:
        try:
            head = self._readable(req, repo_type, repo_id, rev)
        except _Refused as refused:
            return refused.answer
        if action == "paths-info":
            form = parse_qs(req.body.decode())
            wanted = form.get("paths") or json.loads(req.body or b"{}").get("paths", [])
            return 200, {}, [e for e in _entries(head.tree, "", True) if e["path"] in wanted]
        recursive = req.query.get("recursive", ["false"])[0].lower() == "true"
        entries = _entries(head.tree, path.strip("/"), recursive)
        if path and not entries:
            return 404, {"X-Error-Code": "EntryNotFound"}, {"error": f"{path} not found"}
        return 200, {}, entries

    def _resolve(
        self, req: Request, repo_type: str, repo_id: str, rev: str, path: str
    ) -> tuple[int, dict[str, str], Any]:
        try:
            head = self._readable(req, repo_type, repo_id, rev)
        except _Refused as refused:
            return refused.answer
        if path not in head.tree:
            return 404, {"X-Error-Code": "EntryNotFound"}, {"error": f"{path} not found"}
        data = head.tree[path]
        etag = hashlib.sha256(data).hexdigest() if _is_lfs(path, len(data)) else git_hash(data)
        headers = {"X-Repo-Commit": head.oid, "ETag": f'"{etag}"', "Accept-Ranges": "bytes"}
        if _is_lfs(path, len(data)):
            headers["X-Linked-Etag"] = f'"{etag}"'
            headers["X-Linked-Size"] = str(len(data))
        if m := re.fullmatch(r"bytes=(\d*)-(\d*)", req.headers.get("range", "")):
            start = int(m[1]) if m[1] else max(0, len(data) - int(m[2]))
            end = min(len(data) - 1, int(m[2])) if m[1] and m[2] else len(data) - 1
            if start >= len(data):
                return 416, {"Content-Range": f"bytes */{len(data)}"}, b""
            headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            return 206, headers, data[start : end + 1]
        return 200, headers, data

    def _commit(self, req: Request, repo: Repo, rev: str) -> tuple[int, dict[str, str], Any]:
        lines = [json.loads(line) for line in req.body.decode().splitlines() if line.strip()]
        header = lines[0]["value"]
        tree = dict(repo.branches[rev][-1].tree)
        for item in lines[1:]:
            value = item["value"]
            if item["key"] == "file":
                tree[value["path"]] = base64.b64decode(value["content"])
            elif item["key"] == "lfsFile":
                if value["oid"] not in self.lfs:
                    return 422, {}, {"error": f"LFS object {value['oid']} was never uploaded"}
                tree[value["path"]] = self.lfs[value["oid"]]
            elif item["key"] == "deletedFile":
                del tree[value["path"]]
            elif item["key"] == "deletedFolder":
                prefix = value["path"].rstrip("/") + "/"
                tree = {p: d for p, d in tree.items() if not p.startswith(prefix)}
            else:
                return 400, {}, {"error": f"unknown commit operation {item['key']}"}
        oid = _oid(repo.repo_id, rev, len(repo.branches[rev]), header["summary"])
        repo.branches[rev].append(
            Commit(oid, header["summary"], header.get("description", ""), tree)
        )
        url = f"{self.url}/{_PREFIX[repo.repo_type]}{repo.repo_id}/commit/{oid}"
        return 200, {}, {"success": True, "commitOid": oid, "commitUrl": url}

    def _lfs_batch(
        self, req: Request, repo_type: str, repo_id: str
    ) -> tuple[int, dict[str, str], Any]:
        if denied := self._auth(req, write=True):
            return denied
        if (repo_type, repo_id) not in self.repos:
            return 404, {"X-Error-Code": "RepoNotFound"}, {"error": "Repository not found"}
        objects = []
        for obj in json.loads(req.body)["objects"]:
            entry: dict[str, Any] = {"oid": obj["oid"], "size": obj["size"]}
            if obj["oid"] not in self.lfs:
                entry["actions"] = {
                    "upload": {"href": f"{self.url}/_lfs/{obj['oid']}"},
                    "verify": {"href": f"{self.url}/_lfs/verify"},
                }
            objects.append(entry)
        return 200, {}, {"transfer": "basic", "objects": objects}

    def _lfs_transfer(self, req: Request) -> tuple[int, dict[str, str], Any]:
        if req.method == "POST" and req.path == "/_lfs/verify":
            oid = json.loads(req.body)["oid"]
            return (200, {}, {}) if oid in self.lfs else (404, {}, {"error": "object missing"})
        oid = req.path.removeprefix("/_lfs/")
        if req.method != "PUT" or hashlib.sha256(req.body).hexdigest() != oid:
            return 400, {}, {"error": "LFS upload does not match its oid"}
        self.lfs[oid] = req.body
        return 200, {}, {}


class _Refused(Exception):
    """A read the fake Hub refuses; `answer` is the (status, headers, payload) it sends."""

    def __init__(self, status: int, headers: dict[str, str], payload: Any) -> None:
        super().__init__(status)
        self.answer = (status, headers, payload)


def _oid(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def _entries(tree: dict[str, bytes], folder: str, recursive: bool) -> list[dict[str, Any]]:
    """The tree API's answer: files (with their LFS pointer) and folders under `folder`."""
    prefix = folder + "/" if folder else ""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(tree):
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) :].split("/")
        for depth in range(1, len(parts)):
            sub = prefix + "/".join(parts[:depth])
            if depth == 1 or recursive:
                out.setdefault(
                    sub, {"type": "directory", "oid": _oid("dir", sub), "size": 0, "path": sub}
                )
            if not recursive:
                break
        if len(parts) == 1 or recursive:
            data = tree[path]
            entry: dict[str, Any] = {
                "type": "file",
                "oid": git_hash(data),
                "size": len(data),
                "path": path,
            }
            if _is_lfs(path, len(data)):
                entry["lfs"] = {
                    "oid": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "pointerSize": 134,
                }
            out[path] = entry
    return [out[k] for k in sorted(out)]


def _is_lfs(path: str, size: int) -> bool:
    return path.endswith(".parquet") or size > 10 * 1024 * 1024


def _upload_mode(file: dict[str, Any], tree: dict[str, bytes]) -> dict[str, Any]:
    """The preupload answer for one file; the client compares `oid` to skip unchanged files."""
    path, lfs = file["path"], _is_lfs(file["path"], file["size"])
    answer: dict[str, Any] = {"path": path, "uploadMode": "lfs" if lfs else "regular"}
    answer["shouldIgnore"] = False
    if path in tree:
        data = tree[path]
        answer["oid"] = hashlib.sha256(data).hexdigest() if lfs else git_hash(data)
    return answer


def _handler_for(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each keep-alive answer waits ~40 ms for an ACK

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Request(
                self.command, parts.path, parse_qs(parts.query), headers, self._body()
            )
            status, extra, payload = hub.handle(request)
            raw = isinstance(payload, bytes)
            data = payload if raw else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header(
                "Content-Type", "application/octet-stream" if raw else "application/json"
            )
            self.send_header("Content-Length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while size := int(self.rfile.readline().strip() or b"0", 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(chunks)
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Silent: the tests read `hub.requests` instead."""

    return Handler


# -- a folder in the pairgen output layout (docs: output layout), for tests that push or read one --

SPEC_CARD = """\
---
language:
- uk
license: cc-by-4.0
task_categories:
- sentence-similarity
task_ids:
- semantic-similarity-scoring
size_categories:
- n<1K
pretty_name: "pairgen Ukrainian sentence pairs"
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*.parquet
  - split: test
    path: data/test-*.parquet
- config_name: provenance
  data_files:
  - split: train
    path: provenance/train-*.parquet
  - split: test
    path: provenance/test-*.parquet
---

# Ukrainian sentence pairs built with pairgen

Written by the tests to the layout spec.
"""

_PAIRS = [
    ("Сонце сходило над рікою.", "Сонце  сходило над рікою.", 1.0),
    ("Діти бігли до школи.", "діти бігли до школи.", 1.0),
    ("Вітер гнув старі верби.", "Вітер хилив старі верби.", 0.75),
    ("Мати пекла хліб у печі.", "Батько косив траву в лузі.", 0.0),
    ("Ми довго йшли полем.", "Ми довго йшли лісом.", 0.75),
]


def write_layout_folder(folder: Path, *, test: bool = True, salt: str = "") -> Path:
    """Write README.md, pairgen.json and the parquet shards as `pairgen build` lays them out.

    `salt` changes the rows (and so the bytes), to make a second, different build.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pairgen.write.parquet import schema

    prov_schema = schema("provenance")

    splits = {"train": _PAIRS[:4], "test": _PAIRS[4:]} if test else {"train": _PAIRS}
    card = (
        SPEC_CARD
        if test
        else re.sub(r"  - split: test\n    path: \w+/test-\*\.parquet\n", "", SPEC_CARD)
    )
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "provenance").mkdir(exist_ok=True)
    (folder / "README.md").write_text(card, encoding="utf-8")
    manifest = {
        "pairgen_version": "0.1.0",
        "seed": 42,
        "salt": salt,
        "counts": {"pairs": len(_PAIRS), "splits": {k: len(v) for k, v in splits.items()}},
    }
    (folder / "pairgen.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    for split, rows in splits.items():
        data = pa.table(
            {
                "sentence1": [a + salt for a, _, _ in rows],
                "sentence2": [b for _, b, _ in rows],
                "score": pa.array([s for _, _, s in rows], pa.float32()),
            }
        )
        pq.write_table(data, folder / "data" / f"{split}-00000-of-00001.parquet")
        prov = pa.table(
            {
                "split": [split] * len(rows),
                "row": list(range(len(rows))),
                "kind": ["paraphrase"] * len(rows),
                "source": ["a.txt"] * len(rows),
                "sentence_index": list(range(len(rows))),
                "edits": [[] for _ in rows],
            },
            schema=prov_schema,
        )
        pq.write_table(prov, folder / "provenance" / f"{split}-00000-of-00001.parquet")
    return folder


# Ukrainian prose written for these tests (not from any book): one paragraph per line.
CORPUS = {
    "rika.txt": [
        "Уранці над рікою стелився густий туман. Рибалки повільно сідали в човни й "
        "відпливали від берега. Вода була тиха і холодна, як скло. Десь далеко кричали "
        "чайки, і їхній крик розходився над плесом.",
        "Старий Іван знав кожен вир на цій ріці. Він розповідав онукам про великі повені "
        "давніх років. Діти слухали його мовчки, затамувавши подих. Увечері вони разом "
        "варили юшку на вогнищі.",
        "Коли сонце піднялося вище, туман розвіявся. На луках заблищала роса, а в очереті "
        "прокинулися птахи. Човни поверталися до берега з повними сітками. Жінки вже "
        "чекали рибалок біля старої верби.",
    ],
    "selo.txt": [
        "Село стояло на пагорбі серед садів. Навесні тут цвіли яблуні й вишні, і весь "
        "пагорб ставав білим. Бджоли гули над квітами від ранку до вечора. Господарі "
        "лагодили плоти та білили хати.",
        "У неділю люди збиралися біля церкви. Молодь жартувала й співала пісень, а старші "
        "говорили про врожай. Дівчата вбиралися у вишиті сорочки. Хлопці приносили їм "
        "польові квіти.",
        "Восени в селі починався збір урожаю. Возами возили зерно до млина, а в садах "
        "обтрушували яблука. Вечорами в хатах світилися вікна. Бабуся пекла хліб і "
        "розповідала казки про відьом та русалок.",
        "Зима приходила раптово, з морозами й хуртовинами. Діти ліпили снігових баб і "
        "каталися з гори на санчатах. Чоловіки рубали дрова в лісі. Довгими вечорами "
        "жінки пряли біля печі.",
    ],
}


def write_corpus(folder: Path) -> Path:
    """A two-file corpus for a real small `pairgen build` (about 28 sentences)."""
    folder.mkdir(parents=True)
    for name, paragraphs in CORPUS.items():
        (folder / name).write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


def point_readers_at(hub: FakeHub, monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """Point `huggingface_hub` and `datasets` at `hub`, with their caches under `cache`, no token.

    The clients read HF_ENDPOINT into constants at import, long before a fixture runs, so the
    in-process tests patch those constants; a test that starts a fresh process sets HF_ENDPOINT
    in its environment instead, as a user does. Call `HfFileSystem.clear_instance_cache()` after
    the test: the filesystem caches listings per endpoint.
    """
    import datasets.config
    import huggingface_hub.constants as hf_constants
    from huggingface_hub import HfFileSystem

    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_XET", True)
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(cache / "hub-cache"))
    monkeypatch.setattr(hf_constants, "HF_TOKEN_PATH", str(cache / "no-token"))
    monkeypatch.setattr(hf_constants, "AGENT_HARNESSES_PATH", str(cache / "agents"))
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", cache / "ds-cache")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", False)
    for var in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(hf_constants, "ENDPOINT", hub.url)
    template = hub.url + "/{repo_id}/resolve/{revision}/{filename}"
    monkeypatch.setattr(hf_constants, "HUGGINGFACE_CO_URL_TEMPLATE", template)
    monkeypatch.setattr(datasets.config, "HF_ENDPOINT", hub.url)
    HfFileSystem.clear_instance_cache()
