"""`pairgen push`: the real huggingface_hub client against a fake Hub (tests/hub_server.py).

Routing: huggingface_hub reads HF_ENDPOINT into `huggingface_hub.constants.ENDPOINT` once, at
import, and pytest has imported it long before a fixture could set the variable. So the in-process
tests patch `constants.ENDPOINT` (what `push_folder` reads at call time), and the subprocess tests
set HF_ENDPOINT in the environment of a fresh interpreter, which is how a user points the client
elsewhere. Both routes are checked: the fake Hub records every request it gets.

The client uploads parquet (LFS) files through Xet when `hf_xet` is installed; the fake Hub speaks
the LFS batch protocol but not Xet's storage protocol, so `HF_HUB_DISABLE_XET` is set here.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import huggingface_hub.constants as hf_constants
import pytest
from click.testing import CliRunner
from hub_server import GITATTRIBUTES, FakeHub, write_corpus, write_layout_folder
from huggingface_hub import DatasetCard

from pairgen.cli.hub import push_cmd
from pairgen.errors import HubError, UsageError
from pairgen.hub import check_pairgen_output, push_folder, resolve_token
from pairgen.write.card import card_for_repo

# The client's LFS upload passes a file as `data=`, which httpx2 deprecates; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=:DeprecationWarning")

WRITE = "hf_TESTwriteTOKEN0123456789abcdef"
READ = "hf_TESTreadTOKEN0123456789abcdef"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_real_hub(monkeypatch, tmp_path):
    """Keep the client off the user's login, cache and network settings."""
    for var in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE", "HF_ENDPOINT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(hf_constants, "HF_TOKEN_PATH", str(tmp_path / "hf_home" / "token"))
    monkeypatch.setattr(hf_constants, "AGENT_HARNESSES_PATH", str(tmp_path / "hf_home" / "agents"))
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_XET", True)
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hf_constants, "ENDPOINT", "http://127.0.0.1:9")  # never the real Hub


@pytest.fixture
def hub(monkeypatch):
    with FakeHub(tokens={WRITE: "write", READ: "read"}) as fake:
        monkeypatch.setattr(hf_constants, "ENDPOINT", fake.url)
        yield fake


@pytest.fixture
def output(tmp_path) -> Path:
    return write_layout_folder(tmp_path / "output")


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def sent(folder: Path, repo_id: str = "alice/uk-pairs", provenance: bool = True) -> dict:
    """What a push of `folder` sends: its files, with the card rewritten for the repo."""
    files = folder_bytes(folder)
    card = files["README.md"].decode("utf-8")
    files["README.md"] = card_for_repo(card, repo_id, provenance=provenance).encode("utf-8")
    if not provenance:
        files = {p: b for p, b in files.items() if not p.startswith("provenance/")}
    return files


def pushed(hub: FakeHub, branch: str = "main") -> dict[str, bytes]:
    files = hub.repo("dataset", "alice/uk-pairs").files(branch)
    assert files.pop(".gitattributes") == GITATTRIBUTES
    return files


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- what arrives ---------------------------------------------------------------------------------


def test_push_sends_the_folder_byte_for_byte_in_one_commit(hub, output, capfd):
    report = push_folder(output, "alice/uk-pairs", private=True, token=WRITE, commit_message="v1")

    repo = hub.repo("dataset", "alice/uk-pairs")
    assert (repo.repo_type, repo.private) == ("dataset", True)
    assert pushed(hub) == sent(output)
    assert [c.summary for c in repo.commits()] == ["v1"]
    assert report.commit == repo.commits()[0].oid
    assert report.url == f"{hub.url}/datasets/alice/uk-pairs"
    assert dict(report.files) == {p: len(b) for p, b in sent(output).items()}
    assert hub.unknown == []
    out, err = capfd.readouterr()
    assert WRITE not in out + err


def test_token_goes_in_the_authorization_header_and_never_to_storage(hub, output):
    push_folder(output, "alice/uk-pairs", token=WRITE)

    api = [r for r in hub.requests if r.path != "/api/agent-harnesses" and "/_lfs/" not in r.path]
    assert {r.headers.get("authorization") for r in api} == {f"Bearer {WRITE}"}
    uploads = [r for r in hub.requests if r.method == "PUT"]
    assert len(uploads) == 4  # the parquet shards went through LFS ...
    assert all("authorization" not in r.headers for r in uploads)  # ... without the token
    for request in hub.requests:
        assert WRITE.encode() not in request.body
        assert all(WRITE not in v for k, v in request.headers.items() if k != "authorization")


def test_public_by_default_with_a_default_commit_message(hub, output):
    push_folder(output, "alice/uk-pairs", token=WRITE)

    repo = hub.repo("dataset", "alice/uk-pairs")
    assert repo.private is False
    assert repo.commits()[0].summary == "Upload output with pairgen 0.1.0"


def test_second_push_makes_a_second_commit_in_the_same_repo(hub, output):
    first = push_folder(output, "alice/uk-pairs", token=WRITE, commit_message="first")
    write_layout_folder(output, salt=" (2)")
    second = push_folder(output, "alice/uk-pairs", token=WRITE, commit_message="second")

    repo = hub.repo("dataset", "alice/uk-pairs")
    assert [c.summary for c in repo.commits()] == ["first", "second"]
    assert first.commit != second.commit and second.changed
    assert pushed(hub) == sent(output)
    assert len(hub.repos) == 1


def test_unchanged_folder_makes_no_empty_commit(hub, output):
    first = push_folder(output, "alice/uk-pairs", token=WRITE)
    again = push_folder(output, "alice/uk-pairs", token=WRITE)

    assert len(hub.repo("dataset", "alice/uk-pairs").commits()) == 1
    assert (again.changed, again.commit) == (False, first.commit)


def test_shards_the_new_build_lacks_are_deleted_in_the_same_commit(hub, output, tmp_path):
    push_folder(output, "alice/uk-pairs", token=WRITE)
    smaller = write_layout_folder(tmp_path / "no-test", test=False)
    report = push_folder(smaller, "alice/uk-pairs", token=WRITE)

    assert report.deleted == (
        "data/test-00000-of-00001.parquet",
        "provenance/test-00000-of-00001.parquet",
    )
    assert pushed(hub) == sent(smaller)
    assert len(hub.repo("dataset", "alice/uk-pairs").commits()) == 2


def test_revision_creates_the_branch_and_leaves_main_alone(hub, output):
    report = push_folder(output, "alice/uk-pairs", token=WRITE, revision="v2")
    write_layout_folder(output, salt="!")
    push_folder(output, "alice/uk-pairs", token=WRITE, revision="v2")  # branch exists now

    assert pushed(hub, "v2") == sent(output)
    assert pushed(hub, "main") == {}
    assert len(hub.repo("dataset", "alice/uk-pairs").commits("v2")) == 2
    assert report.url.endswith("/datasets/alice/uk-pairs/tree/v2")


def test_a_real_build_passes_the_checks_and_arrives_whole(hub, tmp_path):
    try:
        from pairgen.pipeline import build
    except ImportError as err:
        pytest.skip(f"pairgen build is not importable yet: {err}")
    output = tmp_path / "output"
    build(write_corpus(tmp_path / "corpus"), output, n=60, seed=7, test_size=0.3, workers=1)
    push_folder(output, "alice/uk-pairs", token=WRITE)

    assert pushed(hub) == sent(output)
    assert {"README.md", "pairgen.json", "data/test-00000-of-00001.parquet"} <= pushed(hub).keys()


def test_dry_run_needs_no_token_and_sends_nothing(hub, output):
    report = push_folder(output, "alice/uk-pairs", dry_run=True, private=True)

    assert report.commit is None
    assert [p for p, _ in report.files] == sorted(folder_bytes(output))
    assert hub.requests == []


def test_hidden_files_stay_home(hub, output):
    (output / ".cache").mkdir()
    (output / ".cache" / "lock").write_text("x")
    (output / ".DS_Store").write_text("x")
    push_folder(output, "alice/uk-pairs", token=WRITE)

    assert not any(p.startswith(".") for p in pushed(hub))


def test_the_pushed_card_names_the_repo_and_the_folder_stays_as_it_was(hub, tmp_path):
    from pairgen.pipeline import build

    output = tmp_path / "output"
    build(write_corpus(tmp_path / "corpus"), output, n=40, seed=7, test_size=0.3, workers=1)
    before = folder_bytes(output)
    push_folder(output, "alice/uk-pairs", token=WRITE)

    card = pushed(hub)["README.md"].decode("utf-8")
    assert 'load_dataset("alice/uk-pairs")' in card
    assert 'load_dataset("alice/uk-pairs", "provenance")' in card
    assert 'load_dataset("output")' not in card
    assert folder_bytes(output) == before


def test_provenance_and_manifest_can_be_left_out_and_old_copies_go(hub, output):
    push_folder(output, "alice/uk-pairs", token=WRITE)
    report = push_folder(output, "alice/uk-pairs", token=WRITE, provenance=False, manifest=False)

    files = pushed(hub)
    assert sorted(files) == ["README.md", "data/test-00000-of-00001.parquet",
                             "data/train-00000-of-00001.parquet"]  # fmt: skip
    assert set(report.deleted) == {
        "pairgen.json",
        "provenance/test-00000-of-00001.parquet",
        "provenance/train-00000-of-00001.parquet",
    }
    assert files == {p: b for p, b in sent(output, provenance=False).items() if p in files}
    card = DatasetCard(files["README.md"].decode("utf-8"))
    assert [c["config_name"] for c in card.data.configs] == ["default"]
    assert (output / "pairgen.json").is_file() and (output / "provenance").is_dir()


def test_files_a_push_does_not_own_stay_on_the_hub(hub, output):
    push_folder(output, "alice/uk-pairs", token=WRITE)
    repo = hub.repo("dataset", "alice/uk-pairs")
    repo.branches["main"][-1].tree["NOTES.md"] = b"written on the Hub by hand"
    push_folder(output, "alice/uk-pairs", token=WRITE, manifest=False)

    assert pushed(hub)["NOTES.md"] == b"written on the Hub by hand"
    assert "pairgen.json" not in pushed(hub)


def test_build_push_to_hub_private_creates_a_private_repo(hub, tmp_path):
    from pairgen.pipeline import build

    output = tmp_path / "output"
    corpus = write_corpus(tmp_path / "corpus")
    build(corpus, output, n=40, seed=7, test_size=0.3, workers=1, push_to_hub="alice/uk-pairs",
          private=True, token=WRITE)  # fmt: skip

    assert hub.repo("dataset", "alice/uk-pairs").private is True
    assert pushed(hub) == sent(output)


@pytest.mark.parametrize(
    ("env", "args", "message"),
    [
        ({}, ["--push-to-hub", "alice/uk-pairs"], "Error: no Hugging Face token"),
        ({}, ["--push-to-hub", "alice"], "Error: malformed repo id 'alice'"),
        ({"HF_HUB_OFFLINE": "1"}, ["--push-to-hub", "alice/uk-pairs", "--token", WRITE],
         "Error: HF_HUB_OFFLINE is set, so nothing can be pushed"),
    ],
)  # fmt: skip
def test_build_checks_the_push_before_building(hub, tmp_path, monkeypatch, env, args, message):
    from pairgen.cli import main

    if env:
        monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    output = tmp_path / "output"
    corpus = write_corpus(tmp_path / "corpus")
    result = CliRunner().invoke(main, ["build", str(corpus), "-o", str(output), "-q", *args])

    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(message), result.stderr
    assert not output.exists()  # failed before any reading or writing
    assert hub.requests == []


# -- the token ------------------------------------------------------------------------------------


def test_token_order_flag_then_env_then_saved_login(monkeypatch):
    Path(hf_constants.HF_TOKEN_PATH).parent.mkdir(parents=True)
    Path(hf_constants.HF_TOKEN_PATH).write_text("hf_saved\n")
    assert resolve_token(None) == "hf_saved"
    monkeypatch.setenv("HF_TOKEN", "hf_env")
    assert resolve_token(None) == "hf_env"
    assert resolve_token("hf_flag") == "hf_flag"


def test_no_token_anywhere(hub, output):
    with pytest.raises(HubError) as caught:
        push_folder(output, "alice/uk-pairs")
    assert str(caught.value) == (
        "no Hugging Face token: pass --token, set HF_TOKEN or run `hf auth login`"
    )
    assert hub.requests == []


# -- the errors -----------------------------------------------------------------------------------


def one_line_without_token(err: Exception, token: str) -> str:
    message = str(err)
    assert "\n" not in message and token not in message
    assert err.__cause__ is None and err.__context__ is None  # the client's error is not attached
    return message


def test_rejected_token_401(hub, output):
    bad = "hf_NOTaVALIDtoken000000000000000"
    with pytest.raises(HubError) as caught:
        push_folder(output, "alice/uk-pairs", token=bad)
    message = one_line_without_token(caught.value, bad)
    assert message.startswith(f"the Hub at {hub.url} rejected the token (401)")
    assert hub.repos == {}


def test_no_write_access_403(hub, output):
    with pytest.raises(HubError) as caught:
        push_folder(output, "alice/uk-pairs", token=READ)
    message = one_line_without_token(caught.value, READ)
    assert message.startswith("no write access to dataset alice/uk-pairs (403)")
    assert "'alice' namespace" in message


@pytest.mark.parametrize(
    "repo_id",
    ["uk-pairs", "alice/bob/uk-pairs", "alice/uk pairs", "alice/uk--pairs", "alice/x.git"],
)
def test_malformed_repo_id_fails_before_any_request(hub, output, repo_id):
    with pytest.raises(UsageError) as caught:
        push_folder(output, repo_id, token=WRITE)
    assert str(caught.value).startswith(f"malformed repo id {repo_id!r}")
    assert caught.value.exit_code == 2
    assert hub.requests == []


def test_unreachable_endpoint_names_it_and_suggests_dry_run(monkeypatch, output):
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setattr(hf_constants, "ENDPOINT", endpoint)
    with pytest.raises(HubError) as caught:
        push_folder(output, "alice/uk-pairs", token=WRITE)
    message = one_line_without_token(caught.value, WRITE)
    assert message.startswith(f"cannot reach the Hugging Face Hub at {endpoint}")
    assert message.endswith("or try --dry-run")


def test_offline_mode_says_so(hub, output, monkeypatch):
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubError, match="HF_HUB_OFFLINE is set, so nothing can be pushed"):
        push_folder(output, "alice/uk-pairs", token=WRITE)
    assert hub.requests == []


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        ("pairgen.json", "no pairgen.json manifest"),
        ("README.md", "no README.md dataset card"),
        ("data/train-00000-of-00001.parquet", "no data/train-*.parquet"),
    ],
)
def test_folder_that_is_not_a_pairgen_output(hub, output, remove, expected):
    (output / remove).unlink()
    with pytest.raises(HubError, match=re.escape(expected)):
        push_folder(output, "alice/uk-pairs", token=WRITE)
    with pytest.raises(HubError, match=re.escape(expected)):
        push_folder(output, "alice/uk-pairs", dry_run=True)
    assert hub.requests == []


def test_card_without_front_matter_is_refused(output):
    (output / "README.md").write_text("# just a title\n")
    with pytest.raises(HubError, match="no YAML front matter"):
        check_pairgen_output(output)


def test_missing_folder(tmp_path):
    with pytest.raises(HubError, match="is not a folder"):
        check_pairgen_output(tmp_path / "nope")


def test_hub_rejecting_the_card_metadata_is_one_line(hub, output):
    hub.yaml_errors = ['"size_categories" must be one of [n<1K, ...]', "second problem"]
    with pytest.raises(HubError) as caught:
        push_folder(output, "alice/uk-pairs", token=WRITE)
    message = one_line_without_token(caught.value, WRITE)
    assert "Invalid metadata in README.md" in message and "second problem" in message


def test_token_echoed_by_the_server_is_scrubbed(hub, output):
    hub.yaml_errors = [f"bad token {WRITE} in card"]
    with pytest.raises(HubError) as caught:
        push_folder(output, "alice/uk-pairs", token=WRITE)
    assert "bad token *** in card" in one_line_without_token(caught.value, WRITE)


@pytest.mark.parametrize(
    "echo",
    [WRITE[:12], WRITE[10:30], repr(WRITE), f"Bearer {WRITE}", WRITE.lower()[:3] + WRITE[3:20]],
    ids=["prefix", "middle", "repr", "header", "partial-run"],
)
def test_a_partial_or_escaped_echo_of_the_token_is_scrubbed(hub, output, echo):
    """A server that echoes part of the token, or the token quoted: no run of 8 of its
    characters reaches the message."""
    hub.yaml_errors = [f"rejected {echo} here"]
    with pytest.raises(HubError) as caught:
        push_folder(output, "alice/uk-pairs", token=WRITE)
    message = one_line_without_token(caught.value, WRITE)
    assert not any(WRITE[i : i + 8] in message for i in range(len(WRITE) - 7)), message
    assert "rejected" in message and "here" in message


def test_a_model_folder_can_be_pushed_too(hub, tmp_path):
    model = tmp_path / "uk-mini"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "README.md").write_text("---\nlibrary_name: sentence-transformers\n---\n")
    report = push_folder(model, "alice/uk-mini", repo_type="model", token=WRITE)

    files = hub.repo("model", "alice/uk-mini").files()
    assert files.keys() == {".gitattributes", "config.json", "README.md"}
    assert report.url == f"{hub.url}/alice/uk-mini"


# -- the command ----------------------------------------------------------------------------------


def test_cli_dry_run_lists_files_sizes_and_target(output):
    result = CliRunner().invoke(push_cmd, [str(output), "alice/uk-pairs", "--dry-run"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "Dry run: would push 6 files, "
        f"{sum(map(len, sent(output).values())):,} bytes "
        "to dataset alice/uk-pairs (public, branch main)"
    )
    assert lines[1] == "  http://127.0.0.1:9/datasets/alice/uk-pairs"
    listed = {line.split()[1]: int(line.split()[0].replace(",", "")) for line in lines[2:-1]}
    assert listed == {p: len(b) for p, b in sent(output).items()}
    assert lines[-1] == "Nothing was sent."


def test_cli_dry_run_shows_private_and_branch(output):
    args = [str(output), "alice/uk-pairs", "--dry-run", "--private", "--revision", "v2"]
    result = CliRunner().invoke(push_cmd, args)
    assert "(private, branch v2)" in result.output.splitlines()[0]
    assert result.output.splitlines()[1].endswith("/datasets/alice/uk-pairs/tree/v2")


def test_cli_push_reports_the_commit(hub, output):
    args = [str(output), "alice/uk-pairs", "--token", WRITE, "-m", "from the CLI"]
    result = CliRunner().invoke(push_cmd, args)

    assert result.exit_code == 0, result.output
    commit = hub.repo("dataset", "alice/uk-pairs").commits()[0]
    assert commit.summary == "from the CLI"
    assert result.stdout.splitlines()[0].endswith(f"in commit {commit.oid[:10]}")
    assert result.stdout.splitlines()[-1] == f"{hub.url}/datasets/alice/uk-pairs"
    assert WRITE not in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["alice"], 2, "Error: malformed repo id 'alice'"),
        (["alice/uk-pairs"], 1, "Error: no Hugging Face token"),
        (["alice/uk-pairs", "--token", READ], 1, "Error: no write access"),
        (["alice/uk-pairs", "--token", "hf_wrong"], 1, "Error: the Hub at"),
    ],
)
def test_cli_errors_are_one_line_with_exit_code(hub, output, args, code, message):
    result = CliRunner().invoke(push_cmd, [str(output), *args])

    assert result.exit_code == code
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert "Traceback" not in result.output and READ not in result.output


def test_cli_help_has_an_example():
    result = CliRunner().invoke(push_cmd, ["--help"])
    assert "pairgen push output alice/uk-pairs --dry-run" in result.output


# -- a fresh interpreter, routed by the HF_ENDPOINT variable as a user would ----------------------

PUSH = "from pairgen.cli.hub import push_cmd; push_cmd()"


def run_push(
    hub_url: str, tmp_path: Path, *args: str, token: str | None
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(
        HF_ENDPOINT=hub_url,
        HF_HOME=str(tmp_path / "hf_home"),
        HF_HUB_DISABLE_XET="1",
        PYTHONPATH=str(ROOT),
    )
    if token:
        env["HF_TOKEN"] = token
    command = [sys.executable, "-c", PUSH, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_hf_endpoint_variable_routes_a_real_cli_push(hub, output, tmp_path):
    done = run_push(hub.url, tmp_path, str(output), "alice/uk-pairs", token=WRITE)

    assert done.returncode == 0, done.stderr
    assert pushed(hub) == sent(output)
    assert WRITE not in done.stdout + done.stderr  # progress bars and logs included
    assert not (tmp_path / "hf_home" / "token").exists()
    assert all(WRITE.encode() not in data for data in folder_bytes(output).values())


def test_rejected_token_in_a_real_cli_run_is_one_line_on_stderr(hub, output, tmp_path):
    bad = "hf_NOTaVALIDtoken000000000000000"
    done = run_push(hub.url, tmp_path, str(output), "alice/uk-pairs", token=bad)

    assert done.returncode == 1
    assert done.stderr.startswith("Error: the Hub at") and done.stderr.count("\n") == 1
    assert bad not in done.stdout + done.stderr


# -- a Hub that cannot be reached -----------------------------------------------------------------


def test_an_unreachable_hub_is_one_line_before_any_load(monkeypatch):
    from pairgen.hub import check_reachable

    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setattr(hf_constants, "ENDPOINT", endpoint)
    with pytest.raises(HubError) as caught:
        check_reachable("DATASET alice/uk-pairs", "alice/uk-pairs", "dataset", WRITE)
    message = one_line_without_token(caught.value, WRITE)
    assert message.startswith(
        f"DATASET alice/uk-pairs: cannot reach the Hugging Face Hub at {endpoint}"
    )
    assert message.endswith("or set HF_HUB_OFFLINE=1 to use a copy in the local cache")


def test_a_hub_that_answers_passes_the_check_even_with_a_404(hub):
    from pairgen.hub import check_reachable

    check_reachable("DATASET alice/nothing-here", "alice/nothing-here", "dataset", None)
    assert [r.path for r in hub.requests if r.path.startswith("/api/datasets")] == [
        "/api/datasets/alice/nothing-here"
    ]


def test_train_on_a_hub_id_fails_fast_when_the_hub_is_unreachable(monkeypatch, tmp_path):
    pytest.importorskip("sentence_transformers")
    from pairgen.training import train

    monkeypatch.setattr(hf_constants, "ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(HubError, match="DATASET alice/uk-pairs: cannot reach the Hugging Face Hub"):
        train("alice/uk-pairs", tmp_path / "model", device="cpu")
    assert not (tmp_path / "model").exists()
