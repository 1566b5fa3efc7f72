"""The dataset card (README.md) and the manifest (pairgen.json) of an output folder.

The card is what a Hub visitor reads first, so it says how the data was made (the exact command,
the label formula, counts, examples) and carries the YAML that makes the Hub show both configs.
"""

from __future__ import annotations

import json
from typing import Any

from pairgen.pairing.labels import FORMULAS
from pairgen.records import KINDS

SIZE_CATEGORIES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
)


def size_category(n: int) -> str:
    """The Hub's `size_categories` value for n rows."""
    for limit, name in SIZE_CATEGORIES:
        if n < limit:
            return name
    return "n>1T" if n >= 10**12 else "100M<n<1B"


def _yaml(manifest: dict[str, Any], splits: list[str]) -> str:
    def files(folder: str) -> str:
        return "".join(f"  - split: {s}\n    path: {folder}/{s}-*.parquet\n" for s in splits)

    name = manifest.get("pretty_name") or "pairgen Ukrainian sentence pairs"
    return (
        "---\n"
        "language:\n- uk\n"
        f"license: {manifest['license']}\n"
        "task_categories:\n- sentence-similarity\n"
        "task_ids:\n- semantic-similarity-scoring\n"
        f"size_categories:\n- {size_category(manifest['counts']['pairs'])}\n"
        f"pretty_name: {json.dumps(name, ensure_ascii=False)}\n"
        "tags:\n- pairgen\n- paraphrase\n- sentence-transformers\n"
        "configs:\n"
        "- config_name: default\n  data_files:\n"
        + files("data")
        + "- config_name: provenance\n  data_files:\n"
        + files("provenance")
        + "---\n"
    )


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def cleaning(manifest: dict[str, Any]) -> str:
    """Card lines on duplicates, decontamination and personal data (see `pairgen.ingest`)."""
    dropped = manifest["counts"]["sentences_dropped"]
    dedup = manifest.get("dedup", {"mode": "exact"})
    line = (
        f"- Duplicates (`--dedup {dedup['mode']}`): {dropped.get('duplicate', 0)} exact and "
        f"{dropped.get('duplicate (normalised)', 0)} equal after normalising case, quotes, "
        "apostrophes, dashes and spacing were dropped"
    )
    groups = dedup.get("near_groups")
    if groups:
        line += (
            f"; {groups['sentences']} near-identical sentences (word edit similarity >= "
            f"{dedup['near_similarity']}) form {groups['groups']} groups, each kept in one split"
        )
    lines = [line + ".\n"]
    sources = manifest.get("decontamination", [])
    if sources:
        named = ", ".join(f"`{s['source']}` ({s['sentences']} sentences)" for s in sources)
        lines.append(
            f"- Decontaminated against {named}: {dropped.get('excluded', 0)} corpus sentences "
            f"equal to theirs and {dropped.get('excluded (near)', 0)} near-duplicates of them "
            "were left out.\n"
        )
    else:
        lines.append("- Not decontaminated against any evaluation set (`--exclude`).\n")
    redaction = manifest.get("redaction", {})
    if redaction.get("enabled"):
        replaced = ", ".join(f"{k} {v}" for k, v in redaction["replaced"].items()) or "none found"
        lines.append(
            "- Personal data redacted (`--redact`): e-mail addresses, URLs, phone numbers and "
            f"@handles replaced with placeholders such as `[email]` ({replaced}); names of "
            "people are not.\n"
        )
    else:
        lines.append(
            "- Not redacted: e-mail addresses, URLs, phone numbers and @handles in the corpus "
            "appear as written.\n"
        )
    return "".join(lines)


def render_card(manifest: dict[str, Any], examples: dict[str, list[tuple[str, str, float]]]) -> str:
    """The README.md text: YAML metadata, then how the data was built and what it looks like."""
    counts = manifest["counts"]
    splits = [s for s in ("train", "test") if counts["splits"].get(s)]
    opts = manifest["options"]
    label = manifest["label"]
    kinds_rows = [
        [
            k,
            *(counts["by_split_kind"].get(s, {}).get(k, 0) for s in splits),
            f"{label['by_kind'].get(k, {}).get('mean', 0):.3f}",
        ]
        for k in KINDS
    ]
    q = label["quartiles"]
    parts = [
        _yaml(manifest, splits),
        "\n# Ukrainian sentence pairs built with pairgen\n\n",
        "Pairs of Ukrainian sentences with a lexical-overlap score in [0, 1], for training and "
        "evaluating sentence-similarity models (e.g. sentence-transformers with "
        "`CosineSimilarityLoss`). Built from raw prose by "
        f"[pairgen](https://pypi.org/project/pairgen/) {manifest['pairgen_version']}.\n\n",
        "## Usage\n\n```python\nfrom datasets import load_dataset\n\n"
        'pairs = load_dataset("PATH_OR_REPO_ID")            # sentence1, sentence2, score\n'
        'provenance = load_dataset("PATH_OR_REPO_ID", "provenance")  # kind, edits\n```\n\n',
        "## How it was built\n\n",
        f"```\n{manifest['command']}\n```\n\n",
        f"- Corpus: {len(manifest['corpus']['files'])} file(s), "
        f"fingerprint `{manifest['corpus']['fingerprint'][:16]}`; "
        f"{counts['sentences_kept']} sentences kept of {counts['sentences_read']} segmented "
        f"(segmenter: `{manifest['segmenter']}`).\n",
        f"- Seed {opts['seed']}; augmentations: {', '.join(opts['augment'])}; "
        f"mix: {', '.join(f'{k} {w:g}' for k, w in opts['mix'].items())}.\n",
        "- Kinds: `paraphrase` = a sentence and a noisy paraphrase of it (spacing, letter case, "
        "thesaurus synonyms inflected to agree); `hard` = a sentence and a lexically close other "
        "sentence mined with rapidfuzz; `random` = a sentence and a random other sentence.\n",
        "- Splits are by source sentence: every pair containing a sentence is in one split.\n",
        cleaning(manifest),
        "\n",
        "### Label\n\n",
        f"`score` = {label['measure']}: {FORMULAS[label['measure']]}. Words are case-folded, "
        "apostrophes unified, punctuation and spacing ignored, so identical text and pure "
        "spacing/case noise score 1.0.\n\n",
        f"Mean {label['mean']:.3f}; quartiles {q[0]:.3f} / {q[1]:.3f} / {q[2]:.3f}.\n\n",
        "### Counts\n\n",
        _table(["kind", *splits, "mean score"], kinds_rows),
        "\n",
    ]
    if manifest.get("synonyms"):
        syn = manifest["synonyms"]
        parts.append(
            f"Synonym swaps: {syn['swaps']} in {syn['paraphrases_with_swap']} of "
            f"{counts['by_kind'].get('paraphrase', 0)} paraphrases; registers allowed: "
            f"{', '.join(syn['registers']) or 'neutral only'}; rate {syn['rate']}.\n\n"
        )
    if manifest.get("figure"):
        parts.append(f"![Label histogram per kind]({manifest['figure']})\n\n")
    parts.append("## Examples\n\n")
    for kind in KINDS:
        rows = examples.get(kind, [])
        if rows:
            parts.append(f"**{kind}**\n\n")
            parts.append(
                _table(
                    ["sentence1", "sentence2", "score"],
                    [[_cell(a), _cell(b), f"{s:.3f}"] for a, b, s in rows],
                )
            )
            parts.append("\n")
    parts.append(
        "## Licence\n\n"
        f"`{manifest['license']}`, as chosen by whoever ran the build (`--license`); the "
        "sentences come from the corpus above, so its terms apply.\n"
    )
    return "".join(parts)
