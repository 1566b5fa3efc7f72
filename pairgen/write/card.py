"""The dataset card (README.md) of an output folder, made with huggingface_hub's own card tools.

The card is what a Hub visitor reads first, so it says how the data was made (the command, the label
formula, the real mix, counts, examples, limitations) and carries the metadata the Hub and
`datasets` read: `configs` for both configs and `dataset_info` (features, split sizes) exactly as
`datasets` writes it. The metadata goes through `DatasetCardData` and the text through a Jinja
template (`card_template.md` beside this module), via `DatasetCard.from_template`.

    text = render_card(manifest, examples, dataset_info(folder))
    text = card_for_repo(text, "alice/uk-pairs", provenance=False)   # what `pairgen push` sends
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pairgen.pairing.labels import FORMULAS
from pairgen.records import KINDS
from pairgen.write.parquet import CONFIGS

TEMPLATE = Path(__file__).with_name("card_template.md")
DESCRIPTIONS = {
    "default": "sentence pairs and their similarity score",
    "provenance": "per row of the default config: pair kind, source sentence, edits",
}
PRETTY_NAME = "pairgen Ukrainian sentence pairs"
NOT_ON_PYPI = "not the unrelated `pairgen` package on PyPI"
_USAGE_SECTION = re.compile(r"^## Usage\n.*?(?=^## )", re.MULTILINE | re.DOTALL)

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


def card_data(manifest: dict[str, Any], info: list[dict[str, Any]], digests: dict[str, str]) -> Any:
    """The card's metadata: Hub fields, `configs`, and `dataset_info` for the configs in `info`.

    Each config's `description` carries its content digest: `datasets` hashes it into the cache
    key, so a rebuilt folder never loads the previous build's rows (see `content_digests`).
    """
    from huggingface_hub import DatasetCardData

    configs = [
        {
            "config_name": entry["config_name"],
            "data_files": [
                {
                    "split": s["name"],
                    "path": f"{CONFIGS[entry['config_name']]}/{s['name']}-*.parquet",
                }
                for s in entry["splits"]
            ],
            "description": f"{DESCRIPTIONS[entry['config_name']]}; "
            f"shards sha256 {digests[entry['config_name']]}",
        }
        for entry in info
    ]
    return DatasetCardData(
        language=["uk"],
        license=manifest["license"],
        annotations_creators=["machine-generated"],
        language_creators=["found"],
        multilinguality=["monolingual"],
        source_datasets=["original"],
        task_categories=["sentence-similarity"],
        task_ids=["semantic-similarity-scoring"],
        size_categories=[size_category(manifest["counts"]["pairs"])],
        pretty_name=manifest.get("pretty_name") or PRETTY_NAME,
        tags=["pairgen", "paraphrase", "sentence-transformers"],
        configs=configs,
        dataset_info=info,
    )


def usage(target: str, provenance: bool = True) -> str:
    """The Usage section: how to load the pairs (and the provenance config, when it is there)."""
    lines = [
        "## Usage",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'pairs = load_dataset("{target}")  # sentence1, sentence2, score',
    ]
    if provenance:
        lines.append(f'provenance = load_dataset("{target}", "provenance")  # kind, source, edits')
    lines += ["```", ""]
    if provenance:
        lines += [
            "Row `i` of a split in `provenance` describes row `i` of the same split in the "
            "default config: the pair kind, the source file and sentence, and every edit "
            "(offsets, before/after, lemma).",
            "",
        ]
    return "\n".join(lines) + "\n"


def render_card(
    manifest: dict[str, Any],
    examples: dict[str, list[tuple[str, str, float]]],
    info: list[dict[str, Any]],
    digests: dict[str, str],
    target: str = "output",
) -> str:
    """The README.md text: metadata, then how the data was built, what it looks like, its limits.

    `info` and `digests` are `dataset_info(folder)` and `content_digests(folder)` from
    `pairgen.write.parquet`; `target` is what the usage snippet
    loads (the folder's name; `pairgen push` puts the repo id there). `manifest["card_lines"]`
    (optional, a list of strings) adds lines to "How it was built", e.g. what the corpus was
    cleaned against.
    """
    from huggingface_hub import DatasetCard

    counts = manifest["counts"]
    opts = manifest["options"]
    label = manifest["label"]
    splits = [s["name"] for s in info[0]["splits"]]
    pairs = counts["pairs"]
    paraphrases = counts["by_kind"].get("paraphrase", 0)
    synonyms = manifest.get("synonyms")
    with_swap = synonyms["paraphrases_with_swap"] if synonyms else 0
    noise_only = paraphrases - with_swap
    link = source_link()
    card = DatasetCard.from_template(
        card_data(manifest, info, digests),
        template_path=str(TEMPLATE),
        pretty_name=manifest.get("pretty_name") or PRETTY_NAME,
        pairgen_link=link,
        pairgen_note="" if link != "pairgen" else f" ({NOT_ON_PYPI})",
        pairgen_version=manifest["pairgen_version"],
        usage=usage(target),
        command=manifest["command"],
        corpus_files=len(manifest["corpus"]["files"]),
        fingerprint=manifest["corpus"]["fingerprint"][:16],
        sentences_kept=counts["sentences_kept"],
        sentences_read=counts["sentences_read"],
        segmenter=manifest["segmenter"],
        seed=opts["seed"],
        augment=", ".join(opts["augment"]),
        real_mix=_mix({k: counts["by_kind"].get(k, 0) / pairs if pairs else 0.0 for k in KINDS}),
        requested_mix=_mix(_normalised(opts["mix"])),
        extra_lines=cleaning_lines(manifest) + list(manifest.get("card_lines", [])),
        measure=label["measure"],
        formula=FORMULAS[label["measure"]],
        idf_line=idf_line(label.get("idf")),
        label_mean=f"{label['mean']:.3f}",
        quartiles=" / ".join(f"{q:.3f}" for q in label["quartiles"]),
        counts_table=_counts_table(counts, label, splits),
        synonyms=_synonyms(synonyms, paraphrases),
        figure=f"![Label histogram per kind]({manifest['figure']})\n\n"
        if manifest.get("figure")
        else "",
        examples=_examples(examples),
        noise_only=noise_only,
        pairs=pairs,
        noise_share=f"{noise_only / pairs:.1%}" if pairs else "0%",
        noise_note=(
            f"synonym swaps in {with_swap} of {paraphrases} paraphrases"
            if synonyms
            else "synonym augmentation was off"
        ),
        license=manifest["license"],
    )
    return str(card).rstrip("\n") + "\n"


def cleaning_lines(manifest: dict[str, Any]) -> list[str]:
    """ "How it was built" lines on duplicates, decontamination and personal data, from the
    manifest's `dedup`, `decontamination` and `redaction` entries (`pairgen.ingest`); none for a
    manifest written before they existed."""
    if "dedup" not in manifest:
        return []
    dropped = manifest["counts"]["sentences_dropped"]
    dedup = manifest["dedup"]
    line = (
        f"Duplicates (`--dedup {dedup['mode']}`): {dropped.get('duplicate', 0)} exact and "
        f"{dropped.get('duplicate (normalised)', 0)} equal after normalising case, quotes, "
        "apostrophes, dashes and spacing were dropped"
    )
    groups = dedup.get("near_groups")
    if groups:
        line += (
            f"; {groups['sentences']} near-identical sentences (word edit similarity >= "
            f"{dedup['near_similarity']}) form {groups['groups']} groups, each kept in one split"
        )
    lines = [line + "."]
    sources = manifest.get("decontamination", [])
    if sources:
        named = ", ".join(f"`{s['source']}` ({s['sentences']} sentences)" for s in sources)
        lines.append(
            f"Decontaminated against {named}: {dropped.get('excluded', 0)} corpus sentences "
            f"equal to theirs and {dropped.get('excluded (near)', 0)} near-duplicates of them "
            "were left out."
        )
    else:
        lines.append("Not decontaminated against any evaluation set (`--exclude`).")
    redaction = manifest.get("redaction", {})
    if redaction.get("enabled"):
        replaced = ", ".join(f"{k} {v}" for k, v in redaction["replaced"].items()) or "none found"
        lines.append(
            "Personal data redacted (`--redact`): e-mail addresses, URLs, phone numbers and "
            f"@handles replaced with placeholders such as `[email]` ({replaced}); names of "
            "people are not."
        )
    else:
        lines.append(
            "Not redacted: e-mail addresses, URLs, phone numbers and @handles in the corpus "
            "appear as written."
        )
    return lines


def card_for_repo(text: str, repo_id: str, *, provenance: bool = True) -> str:
    """The card as pushed to `repo_id`: the usage snippet names the repo; without `provenance`,
    its config, `dataset_info` entry and usage lines are gone, so the Hub lists only what is there.
    """
    from huggingface_hub import DatasetCard

    card = DatasetCard(text)
    if not provenance:
        for key in ("configs", "dataset_info"):
            entries = card.data.get(key) or []
            card.data[key] = [e for e in entries if e.get("config_name") != "provenance"]
    body = _USAGE_SECTION.sub(lambda _: usage(repo_id, provenance), card.text, count=1)
    card.text = body
    return str(card)


def source_link() -> str:
    """Where pairgen's source lives, from the package's `Source` project URL (pyproject.toml).

    Never a package-index page: the name `pairgen` on PyPI belongs to another project.
    """
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("pairgen").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    for entry in urls:
        name, _, url = entry.partition(",")
        if name.strip().lower() in ("source", "repository") and url.strip():
            return f"[pairgen]({url.strip()})"
    return "pairgen"


def _normalised(mix: dict[str, float]) -> dict[str, float]:
    total = sum(mix.values())
    return {k: (w / total if total else 0.0) for k, w in mix.items()}


def _mix(shares: dict[str, float]) -> str:
    return ", ".join(f"{k} {shares.get(k, 0.0):.1%}" for k in KINDS)


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _counts_table(counts: dict[str, Any], label: dict[str, Any], splits: list[str]) -> str:
    rows = [
        [
            k,
            *(counts["by_split_kind"].get(s, {}).get(k, 0) for s in splits),
            f"{label['by_kind'].get(k, {}).get('mean', 0):.3f}",
        ]
        for k in KINDS
    ]
    return _table(["kind", *splits, "mean score"], rows)


def idf_line(idf: dict[str, Any] | None) -> str:
    """The label section's sentence on the IDF table a `lemma` build weighed words with (the
    manifest's `label.idf`), so a reader knows where the weights came from; "" for other measures.

        >>> idf_line({"source": "corpus", "sentences": 900, "words": 4000, "min_df": 2,
        ...           "sha256": "ab" * 32})[:58]
        "IDF counted over the build's own corpus (900 sentences; 4,"
    """
    if not idf:
        return ""
    source = idf.get("source", "")
    where = {
        "corpus": "the build's own corpus",
        "shipped": "the table shipped with pairgen (`lexicons/uk_word_df.tsv`)",
    }.get(source, f"`{source}`")
    return (
        f"IDF counted over {where} ({idf['sentences']:,} sentences; {idf['words']:,} words "
        f"seen in at least {idf['min_df']} of them, the rest weigh as unseen words), table "
        f"sha256 `{idf['sha256'][:16]}`, recorded in `pairgen.json` (`label.idf`)."
    )


def _synonyms(syn: dict[str, Any] | None, paraphrases: int) -> str:
    if not syn:
        return ""
    return (
        f"Synonym swaps: {syn['swaps']} in {syn['paraphrases_with_swap']} of {paraphrases} "
        f"paraphrases; registers allowed: {', '.join(syn['registers']) or 'neutral only'}; "
        f"rate {syn['rate']}.\n\n"
    )


def _examples(examples: dict[str, list[tuple[str, str, float]]]) -> str:
    parts = []
    for kind in KINDS:
        rows = examples.get(kind, [])
        if rows:
            table = _table(
                ["sentence1", "sentence2", "score"],
                [[_cell(a), _cell(b), f"{s:.3f}"] for a, b, s in rows],
            )
            parts.append(f"**{kind}**\n\n{table}\n")
    return "".join(parts)
