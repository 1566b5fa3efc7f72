"""Measure the synonym swap on real prose: coverage, agreement, protection, case, judged swaps.

Segments every paragraph of a corpus folder (default `../shared/corpus`), runs the `synonym`
family with a fixed seed on a random sample of sentences, and prints:

* swaps per sentence and the share of sentences with at least one swap;
* words left alone, by reason;
* (a) agreement: share of swaps where pymorphy3 reads `after` with the same POS and the same case,
  number, gender, person, tense, mood, degree, aspect, voice and reflexivity as every reading the
  swap kept for `before` (checked here from raw pymorphy3 tags, not with the swap's own helpers);
* (b) protected words swapped: proper-name parses, capitalised words inside a sentence, function
  words, numbers, user-protected words and idiom words that were changed (must be 0);
* (c) case pattern kept (and apostrophe character kept).

With `--judged FILE` it also writes 100 random swaps, each with its sentence, as a Markdown table
for a reader to judge; verdicts already in FILE for the same (sentence, before, after) are kept, so
re-running after a rule change only asks about the new swaps, and the judged rate is printed.

    python benchmarks/bench_synonyms.py --sentences 3000 --judged benchmarks/judged_swaps.md
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import tokenize_uk

from pairgen.augment.lexicon import load_idioms
from pairgen.augment.morph import analyzer
from pairgen.augment.protect import corpus_names
from pairgen.augment.synonyms import REASONS, SynonymOptions, WordDecision, synonym_swap
from pairgen.records import Edit
from pairgen.seeding import digest, rng_for
from pairgen.text import APOSTROPHES, clean, for_analysis

PROPER = {"Name", "Surn", "Patr", "Geox", "Orgn"}
FUNCTION = {"NPRO", "PREP", "CONJ", "PRCL", "INTJ", "NUMR", "PRED"}
ATTRIBUTES = ("case", "gender", "person", "tense", "mood", "aspect", "voice")
EXTRA = ("Refl", "infn", "Impe", "COMP", "Supr")
ROW = re.compile(r"^\| (\d+) \| (.*) \| (.*) → (.*) \| (.*) \| (.*) \|$")


def sentences(corpus: Path) -> list[str]:
    out = []
    for path in sorted(corpus.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = clean(line).strip()
            if line:
                out.extend(s for s in tokenize_uk.tokenize_sents(line) if len(s.split()) >= 3)
    return out


def _number(tag: object) -> str | None:
    if "plur" in tag.grammemes:  # type: ignore[attr-defined]
        return "plur"
    if tag.POS in {"NOUN", "ADJF", "VERB"} and (tag.case or tag.gender or tag.person):  # type: ignore[attr-defined]
        return "sing"
    return None


def features(tag: object) -> tuple[object, ...]:
    """What must be equal between `before` and `after` readings, from raw pymorphy3 tags."""
    values = [tag.POS, _number(tag)]  # type: ignore[attr-defined]
    values += [getattr(tag, a) for a in ATTRIBUTES]
    values += [g in tag.grammemes for g in EXTRA]  # type: ignore[attr-defined]
    return tuple(values)


def agrees(edit: Edit, decision: WordDecision) -> bool:
    """Each reading kept for `before` has a matching reading of `after`, with the new lemma."""
    morph = analyzer()
    before = [
        p
        for p in morph.parse(for_analysis(edit.before).casefold())
        if str(p.tag) in decision.tags and p.normal_form == decision.lemma
    ]
    head_after = for_analysis(edit.after).casefold().split(" ")[0]
    head_lemma = edit.lemma.split(" ")[0]
    # Gerunds are their own lemma in the dictionary; the edit records the verb they come from.
    after = [
        p
        for p in morph.parse(head_after)
        if p.is_known and (p.normal_form == head_lemma or p.tag.POS == "GRND")
    ]
    if not before or not after:
        return False
    for b in before:
        fb = features(b.tag)
        if not any(features(a.tag) == fb and _animacy_ok(b.tag, a.tag) for a in after):
            return False
    return True


def _animacy_ok(b: object, a: object) -> bool:
    if b.POS != "NOUN" or b.case != "accs":  # type: ignore[attr-defined]
        return True
    if _number(b) == "sing" and b.gender != "masc":  # type: ignore[attr-defined]
        return True
    return b.animacy == a.animacy  # type: ignore[attr-defined]


def protected(sentence: str, edit: Edit, idioms: set[str], names: frozenset[str]) -> str | None:
    """Why `edit.before` should never have changed, judged independently of the swap's code."""
    word = edit.before
    parses = analyzer().parse(for_analysis(word).casefold())
    if any(PROPER & p.tag.grammemes for p in parses):
        return "proper name"
    if any(p.tag.POS in FUNCTION for p in parses):
        return "function word or number"
    head = sentence[: edit.start].rstrip()
    initial = not any(c.isalnum() for c in head) or head[-1] in "«„“\"'(—–-.!?…"
    if word[:1].isupper() and not initial:
        return "capitalised inside a sentence"
    if for_analysis(word).casefold() in names:
        return "capitalised elsewhere in the corpus"
    if for_analysis(word).casefold() in idioms and _in_idiom(sentence, edit):
        return "idiom"
    return None


def _in_idiom(sentence: str, edit: Edit) -> bool:
    text = " " + " ".join(re.findall(r"\w+(?:['’ʼ-]\w+)*", for_analysis(sentence).casefold())) + " "
    return any(f" {' '.join(i)} " in text for i in _idioms() if edit.before.casefold() in i)


def _idioms() -> tuple[tuple[str, ...], ...]:
    return load_idioms()


def pattern(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if all(c.islower() for c in letters):
        return "lower"
    if all(c.isupper() for c in letters):
        return "upper"
    return "capital" if letters[0].isupper() else "mixed"


def apostrophe_kept(before: str, after: str) -> bool:
    mine = {c for c in before if c in APOSTROPHES}
    theirs = {c for c in after if c in APOSTROPHES}
    return not mine or not theirs or mine == theirs


def read_verdicts(path: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    found: dict[tuple[str, str, str], tuple[str, str]] = {}
    if not path.is_file():
        return found
    for line in path.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            sentence = m.group(2).replace("**", "").replace("\\|", "|")
            found[(sentence, m.group(3), m.group(4).split(" (")[0])] = (m.group(5), m.group(6))
    return found


NOTES = "## Notes"
"""Everything from this heading to the end of the judged file is the reader's and is kept."""


def write_judged(path: Path, sample: list[tuple[str, Edit]], header: str) -> tuple[int, int]:
    old = read_verdicts(path)
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    notes = existing[existing.index(NOTES) :] if NOTES in existing else ""
    rows = []
    ok = judged = 0
    for n, (sentence, e) in enumerate(sample, 1):
        marked = f"{sentence[: e.start]}**{e.before}**{sentence[e.end :]}"
        key = (sentence, e.before, e.after)
        verdict, why = old.get(key, ("?", ""))
        judged += verdict in {"ok", "bad"}
        ok += verdict == "ok"
        marked = marked.replace("|", "\\|")
        rows.append(f"| {n} | {marked} | {e.before} → {e.after} ({e.lemma}) | {verdict} | {why} |")
    rate = (
        f"{ok} of {judged} judged acceptable ({100 * ok / judged:.0f} %)" if judged else "unjudged"
    )
    text = (
        "\n".join(
            [
                "# Judged synonym swaps",
                "",
                header,
                "",
                f"**Verdict: {rate}.** `ok` = a native reader accepts the swapped sentence in "
                "meaning and grammar; `bad` = not, with the reason.",
                "",
                "| # | sentence (swapped word in bold) | before → after (synonym lemma) "
                "| verdict | why |",
                "|---|---|---|---|---|",
                *rows,
                "",
                notes.rstrip("\n"),
            ]
        ).rstrip("\n")
        + "\n"
    )
    path.write_text(text, encoding="utf-8")
    return ok, judged


FUNCTION_WORDS_HEADER = """\
# Ukrainian function words (pronouns, prepositions, conjunctions, particles, interjections,
# predicatives, auxiliary and modal verb forms, pronominal adverbs), one form per line.
# Every word form of ../shared/corpus (all files but the held-out Leontovych novel) that
# pymorphy3's dictionary knows and pairgen.augment.protect.is_function_word accepts, plus
# protect.FUNCTION_ADVERBS. Hard-negative mining keys sentences only by words not listed here.
# Made with benchmarks/bench_synonyms.py --function-words (see lexicons/README.md).
"""


def write_function_words(corpus: Path, out: Path) -> int:
    """The shipped function-word list from a corpus folder's words (see the header above)."""
    from pairgen.augment.morph import in_dictionary
    from pairgen.augment.protect import FUNCTION_ADVERBS, is_function_word
    from pairgen.text import words

    seen: set[str] = set()
    for path in sorted(corpus.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            seen.update(words(clean(line)))
    found = {w for w in seen if in_dictionary(w) and is_function_word(w)} | FUNCTION_ADVERBS
    out.write_text(FUNCTION_WORDS_HEADER + "\n".join(sorted(found)) + "\n", encoding="utf-8")
    print(f"{len(found)} function-word forms of {len(seen)} word forms written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(Path(__file__).parents[2] / "shared/corpus"))
    ap.add_argument("--sentences", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--rate", type=float, default=0.3)
    ap.add_argument("--judged", type=Path, help="write 100 random swaps to this Markdown file")
    ap.add_argument("--show", type=int, default=0, help="print this many swaps")
    ap.add_argument(
        "--function-words",
        type=Path,
        help="write the corpus's function-word forms (lexicons/uk_function_words.txt) and stop",
    )
    args = ap.parse_args(argv)
    if args.function_words:
        return write_function_words(Path(args.corpus), args.function_words)

    t0 = time.perf_counter()
    pool = sentences(Path(args.corpus))
    picked = random.Random(args.seed).sample(pool, min(args.sentences, len(pool)))
    # As the build does: names the corpus capitalises mid-sentence are protected everywhere.
    names = corpus_names(pool)
    swap = synonym_swap(SynonymOptions(rate=args.rate, protect=names))
    idiom_words = {w for i in load_idioms() for w in i}
    reasons: Counter[str] = Counter()
    swaps: list[tuple[str, Edit, WordDecision]] = []
    with_swap = 0
    for sentence in picked:
        decisions = {d.start: d for d in swap.explain(sentence)}
        reasons.update(d.reason for d in decisions.values())
        edits = swap(sentence, rng_for(args.seed, "bench", sentence))
        with_swap += bool(edits)
        swaps.extend((sentence, e, decisions[e.start]) for e in edits)
    elapsed = time.perf_counter() - t0

    n = len(picked)
    agree = sum(agrees(e, d) for _, e, d in swaps)
    bad_protected = [
        (s, e, why) for s, e, _ in swaps if (why := protected(s, e, idiom_words, names))
    ]
    case_kept = sum(pattern(e.before) == pattern(e.after) for _, e, _ in swaps)
    apos_kept = sum(apostrophe_kept(e.before, e.after) for _, e, _ in swaps)
    total = max(1, len(swaps))
    print(
        f"corpus {args.corpus}: {len(pool)} sentences, {n} sampled (seed {args.seed}), "
        f"{elapsed:.1f} s"
    )
    print(
        f"swaps: {len(swaps)} = {len(swaps) / n:.2f} per sentence; "
        f"sentences with >= 1 swap: {with_swap} ({100 * with_swap / n:.1f} %)"
    )
    words = sum(reasons.values())
    print(
        f"words: {words}; decisions: "
        + ", ".join(f"{r} {reasons[r]} ({100 * reasons[r] / words:.1f} %)" for r in REASONS)
    )
    print(f"(a) agreement: {agree}/{len(swaps)} = {100 * agree / total:.2f} %")
    print(f"(b) protected words swapped: {len(bad_protected)}")
    for s, e, why in bad_protected[:10]:
        print(f"    {why}: {e.before} -> {e.after} in {s!r}")
    print(
        f"(c) case pattern kept: {case_kept}/{len(swaps)} = {100 * case_kept / total:.2f} %; "
        f"apostrophe kept: {apos_kept}/{len(swaps)}"
    )
    for s, e, d in swaps[: args.show]:
        ok = "" if agrees(e, d) else "  [DISAGREES]"
        print(f"  {e.before} -> {e.after} ({e.lemma}){ok}: {s}")
    if args.judged:
        # Ordered by a hash of (seed, sentence, offset), not drawn with random.sample: a rule
        # change that removes a few swaps replaces only those rows, and the verdicts on the rest
        # are kept.
        ranked = sorted(swaps, key=lambda x: digest(args.seed, "judge", x[0], x[1].start))
        sample = [(s, e) for s, e, _ in ranked[:100]]
        header = (
            f"Written by `benchmarks/bench_synonyms.py --judged` (corpus {args.corpus}, "
            f"{n} sentences, seed {args.seed}, rate {args.rate}, default options: neutral "
            "senses only, no multi-word synonyms)."
        )
        ok, judged = write_judged(args.judged, sample, header)
        print(
            f"(d) {len(sample)} swaps written to {args.judged}; judged acceptable: "
            f"{ok}/{judged}" + (f" = {100 * ok / judged:.0f} %" if judged else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
