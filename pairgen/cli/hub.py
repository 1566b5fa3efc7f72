"""`pairgen push`: the thin command around `pairgen.hub.push_folder`.

Only click is imported at module top, so `pairgen --help` does not pay for huggingface_hub.
"""

import click

from pairgen.cli.errors import reports_errors


@click.command(
    "push",
    epilog="""\b
Examples:
  pairgen push output alice/uk-pairs --dry-run
  pairgen push output alice/uk-pairs --private
  pairgen push output alice/uk-pairs --no-provenance --no-manifest
  HF_TOKEN=hf_... pairgen push output alice/uk-pairs --revision v2 -m "Rebuild, seed 7"
""",
)
@click.argument("output", type=click.Path(path_type=str))
@click.argument("repo_id")
@click.option("--private", is_flag=True, help="Create the repo private (ignored if it exists).")
@click.option(
    "--revision", metavar="BRANCH", help="Push to this branch; created from main if missing."
)
@click.option(
    "--commit-message", "-m", metavar="TEXT", help="Commit message (default: Upload ...)."
)
@click.option("--token", metavar="TOKEN", help="Hub token; default HF_TOKEN, then `hf auth login`.")
@click.option(
    "--no-provenance",
    is_flag=True,
    help="Leave the provenance config out (the card then lists only the pairs).",
)
@click.option("--no-manifest", is_flag=True, help="Leave pairgen.json out.")
@click.option("--dry-run", is_flag=True, help="List the files, sizes and target; send nothing.")
@reports_errors
def push_cmd(
    output: str,
    repo_id: str,
    private: bool,
    revision: str | None,
    commit_message: str | None,
    token: str | None,
    no_provenance: bool,
    no_manifest: bool,
    dry_run: bool,
) -> None:
    """Publish a `pairgen build` OUTPUT folder as the Hub dataset REPO_ID (NAMESPACE/NAME).

    Creates the repo if needed, then commits the folder (card, manifest, both configs) in one
    commit, with the repo id in the card's usage snippet; shards, manifest or figure of an earlier
    push that this one does not send are deleted in the same commit. Pushing again adds a new
    commit (none if nothing changed). The token is never printed.
    """
    from pathlib import Path

    from pairgen.hub import describe, personal_data_warning, push_folder

    warning = personal_data_warning(Path(output))
    if warning:
        click.echo(f"warning: {warning}", err=True)
    report = push_folder(
        Path(output),
        repo_id,
        private=private,
        revision=revision,
        commit_message=commit_message,
        token=token,
        dry_run=dry_run,
        provenance=not no_provenance,
        manifest=not no_manifest,
    )
    click.echo(describe(report))
