"""The short report printed at the end of `pairgen build`."""

from __future__ import annotations

from collections import Counter

from pairgen.pipeline import BuildReport
from pairgen.records import KINDS


def summary(report: BuildReport) -> str:
    """Files and sentences read, kept and dropped, pairs by kind and split, labels, time, where."""
    m = report.manifest
    c = m["counts"]
    lines = [
        f"read {len(m['corpus']['files'])} file(s), {c['sentences_read']} sentences "
        f"(segmenter: {m['segmenter']})",
        f"kept {c['sentences_kept']}; dropped "
        + (", ".join(f"{k} {v}" for k, v in sorted(c["sentences_dropped"].items())) or "none"),
    ]
    formats = Counter(f["format"] for f in m["corpus"]["files"] if f.get("format"))
    markup = c.get("markup_lines", {})
    if formats or markup:
        read_as = ", ".join(f"{n} {kind}" for kind, n in sorted(formats.items()))
        lines_ = ", ".join(f"{kind} {n}" for kind, n in sorted(markup.items()))
        lines.append(
            "markup: "
            + "; ".join(
                part
                for part in (
                    read_as and f"read without markup: {read_as} file(s)",
                    lines_ and f".txt lines {lines_}",
                )
                if part
            )
        )
    groups = m.get("dedup", {}).get("near_groups")
    if groups and groups["groups"]:
        lines.append(
            f"near-duplicates: {groups['groups']} group(s) of {groups['sentences']} sentences "
            f"(largest {groups['largest']}), each kept in one split"
        )
    for source in m.get("decontamination", []):
        lines.append(
            f"excluded: sentences of {source['source']} ({source['sentences']} sentences, "
            f"columns {', '.join(source['columns'])})"
        )
    redaction = m.get("redaction", {})
    if redaction.get("enabled"):
        replaced = (
            ", ".join(f"{k} {v}" for k, v in redaction["replaced"].items()) or "nothing found"
        )
        lines.append(f"redacted: {replaced}")
    legacy = [
        f for f in m["corpus"]["files"] if f.get("encoding") not in (None, "utf-8", "utf-8-sig")
    ]
    if legacy:
        lines.append(
            "encodings: "
            + ", ".join(f"{f['path']} ({f['encoding']})" for f in legacy[:5])
            + (f" and {len(legacy) - 5} more" if len(legacy) > 5 else "")
        )
    skipped = [f["path"] for f in m["corpus"]["files"] if f.get("skipped")]
    if skipped:
        lines.append(f"skipped {len(skipped)} file(s): " + ", ".join(skipped[:5]))
    for split in ("train", "test"):
        row = c["by_split_kind"].get(split, {})
        if row:
            kinds = ", ".join(f"{k} {row.get(k, 0)}" for k in KINDS)
            lines.append(f"{split}: {sum(row.values())} pairs ({kinds})")
    q = m["label"]["quartiles"]
    lines.append(
        f"label {m['label']['measure']}: mean {m['label']['mean']:.3f}, "
        f"quartiles {q[0]:.3f} / {q[1]:.3f} / {q[2]:.3f}"
    )
    if "synonyms" in m:
        s = m["synonyms"]
        alone = ", ".join(f"{k} {v}" for k, v in s["left_alone"].items()) or "none"
        lines.append(
            f"synonym swaps: {s['swaps']} in {s['paraphrases_with_swap']} paraphrases; "
            f"words left alone: {alone}"
        )
    if c["no_paraphrase"]:
        lines.append(f"no paraphrase could be made for {c['no_paraphrase']} slot(s)")
    lines.append(f"wrote {c['pairs']} pairs to {report.output} in {m['duration_s']:.1f} s")
    return "\n".join(lines)
