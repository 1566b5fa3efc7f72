"""`pairgen build` (`pairgen.build`): corpus folder in, Hub-layout dataset folder out.

Stages: read files -> segment and filter sentences -> assign splits and anchors -> make candidates
(augment, mine, label) in worker processes -> pick pairs in order -> write parquet row groups ->
card and manifest. Everything is written into a temporary folder beside the output and renamed at
the end, so a failed or interrupted build leaves any previous output as it was.

    >>> report = build("corpus", "output", n=2000, seed=42)        # doctest: +SKIP
    >>> report.counts["pairs"]                                       # doctest: +SKIP
    2000
"""

from __future__ import annotations

import json
import math
import os
import statistics
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pairgen import __version__
from pairgen.augment.base import compose
from pairgen.augment.registry import make_augmenters
from pairgen.config import BuildOptions
from pairgen.errors import (
    CorpusError,
    Interrupted,
    NotEnoughPairsError,
    OptionTypeError,
    install_hint,
)
from pairgen.ingest.segment import Segmenter
from pairgen.ingest.sources import is_remote
from pairgen.pairing.engine import Engine, get_engine
from pairgen.pairing.labels import FORMULAS, measure
from pairgen.pairing.pairs import (
    Candidates,
    Context,
    Job,
    ParaphraseQuota,
    kind_schedule,
    make_candidates,
    select,
)
from pairgen.progress import progress
from pairgen.records import KINDS, Pair, Sentence
from pairgen.seeding import digest, rng_for, unit
from pairgen.text import swap_key
from pairgen.write.folder import AtomicFolder, os_error

if TYPE_CHECKING:
    from pairgen.ingest.exclude import Exclusion

PARAGRAPHS_PER_TASK = 256
ANCHORS_PER_TASK = 64
MAX_PASSES = 20
MAX_SLOTS_PER_ANCHOR = 64
WARM_UP = "Він прийшов додому, і всі зраділи. Вона пішла."
"""Run through the segmenter and augmenters in the parent before workers fork (loads their data)."""

T = TypeVar("T")
R = TypeVar("R")
Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


@dataclass
class BuildReport:
    """What a build did: the figures the CLI summary, the manifest and the card are made from."""

    output: Path
    manifest: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, Any]:
        return self.manifest["counts"]


# --- tasks run by the engine ---------------------------------------------------------------
@dataclass(frozen=True)
class SegmentState:
    """What the segmenting workers need: the segmenter and the sentence filters' bounds."""

    segmenter: Segmenter
    min_words: int
    max_tokens: int


def segment_task(
    state: SegmentState, task: tuple[str, list[str]]
) -> list[list[tuple[str, str | None]]]:
    """Segment one batch of a file's paragraphs; each sentence with its drop reason (or None)."""
    from pairgen.ingest.filters import reject_reason

    return [
        [
            (s, reject_reason(s, state.min_words, state.max_tokens))
            for s in state.segmenter.sentences(p)
        ]
        for p in task[1]
    ]


def pair_task(ctx: Context, jobs: list[Job]) -> list[Candidates]:
    """Candidates for a batch of anchors (`make_candidates` for each)."""
    return [make_candidates(ctx, job) for job in jobs]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- stages ----------------------------------------------------------------------------------
@dataclass
class Corpus:
    sentences: list[Sentence]
    files: list[dict[str, Any]]
    read: int
    dropped: Counter[str]
    segmenter: str
    read_s: float
    segment_s: float
    groups: list[str] | None = None
    """Per sentence, the text that decides its split: its near-duplicate group's first sentence."""
    cleaning: dict[str, Any] = field(default_factory=dict)
    """De-duplication, decontamination and redaction figures, for the manifest and the card."""


def read_sentences(
    options: BuildOptions, warn: Log, log: Log, exclusions: Sequence[Exclusion] = ()
) -> Corpus:
    """Read every source, segment, filter, redact and de-duplicate; sentence indices count per
    source.

    Sources (`pairgen.ingest.sources`) are text files, tables, datasets and stdin; each is read
    as a stream of paragraphs, batched into segmenting tasks, so memory holds one batch of a
    source at a time, not the source. `exclusions` (`--exclude`, read by `read_exclusion`) are
    segmented with the corpus's segmenter; corpus sentences equal to theirs, or near them, are
    dropped (`pairgen.ingest.dedup.deduplicate`).
    """
    from pairgen.ingest.segment import get_segmenter
    from pairgen.ingest.sources import find_sources, read_source

    sources = find_sources(options.corpus, warn)
    segmenter = get_segmenter(options.segmenter, warn=warn)
    segmenter.sentences(WARM_UP)  # load its rules once here, not again in every forked worker
    what = f"{len(sources)} file(s) from" if sources[0].kind in ("text", "table") else "from"
    log(f"reading {what} {options.corpus} (segmenter: {segmenter.name})")
    files: list[dict[str, Any]] = []
    read_s = 0.0

    def timed(items: Iterator[str]) -> Iterator[str]:
        nonlocal read_s
        while True:
            t = time.perf_counter()
            item = next(items, None)
            read_s += time.perf_counter() - t
            if item is None:
                return
            yield item

    def tasks() -> Iterator[tuple[str, list[str]]]:
        for n, source in enumerate(sources, 1):
            if len(sources) > 1:
                bar.set_postfix_str(f"file {n}/{len(sources)}", refresh=False)
            entry: dict[str, Any] = {"path": source.name}
            files.append(entry)
            paragraphs = read_source(
                source,
                entry,
                warn,
                text_column=options.text_column,
                revision=options.revision,
                only=len(sources) == 1,
            )
            for batch in _chunks(timed(paragraphs), PARAGRAPHS_PER_TASK):
                yield source.name, batch

    t0 = time.perf_counter()
    candidates: list[Sentence] = []
    dropped: Counter[str] = Counter()
    redacted: Counter[str] = Counter()
    read = 0
    index: Counter[str] = Counter()
    task_sources: list[str] = []

    def tagged() -> Iterator[tuple[str, list[str]]]:
        for task in tasks():
            task_sources.append(task[0])
            yield task

    if options.redact:
        from pairgen.ingest.redact import redact
    engine = get_engine(options.engine, options.worker_count, options.ray_address)
    state = SegmentState(segmenter, options.min_words, options.max_tokens)
    bar = progress("reading", None, not options.quiet, unit="sentences")
    with bar:
        for n_task, result in enumerate(engine.map(segment_task, tagged(), state)):
            source = task_sources[n_task]
            before = read
            for paragraph in result:
                for text, reason in paragraph:
                    i = index[source]
                    index[source] += 1
                    read += 1
                    if reason is not None:
                        dropped[reason] += 1
                        continue
                    if options.redact:
                        text, found = redact(text)
                        redacted.update(found)
                    candidates.append(Sentence(text, source, i))
            bar.update(read - before)
    total_s = time.perf_counter() - t0
    if not files or all(f.get("skipped") for f in files):
        raise CorpusError(f"no readable text files in {options.corpus}: nothing to build from")
    sentences, groups, cleaning = _clean_up(options, candidates, exclusions, segmenter, dropped)
    cleaning["redaction"] = {"enabled": options.redact, "replaced": dict(sorted(redacted.items()))}
    if options.verbose:
        kept = Counter(s.source for s in sentences)
        for f in files:
            if f.get("skipped"):
                log(f"{f['path']}: skipped")
            else:
                log(
                    f"{f['path']}: {f.get('encoding') or f['format']}, "
                    f"{index[f['path']]} sentences, {kept[f['path']]} kept"
                )
    if not sentences:
        reasons = ", ".join(f"{k}: {v}" for k, v in dropped.most_common()) or "none segmented"
        raise CorpusError(
            f"no Ukrainian sentences found in {options.corpus} "
            f"({read} sentences dropped: {reasons})"
        )
    return Corpus(
        sentences,
        files,
        read,
        dropped,
        segmenter.name,
        read_s,
        max(0.0, total_s - read_s),
        groups,
        cleaning,
    )


def _clean_up(
    options: BuildOptions,
    candidates: list[Sentence],
    exclusions: Sequence[Exclusion],
    segmenter: Segmenter,
    dropped: Counter[str],
) -> tuple[list[Sentence], list[str], dict[str, Any]]:
    """De-duplicate and decontaminate: the kept sentences, their split keys, the figures."""
    from pairgen.ingest.dedup import NEAR_SIMILARITY, deduplicate

    t = time.perf_counter()
    excluded: list[str] = []
    sources = []
    for e in exclusions:
        parts = [s for text in e.texts for s in segmenter.sentences(text)]
        excluded += list(e.texts) + parts
        sources.append(
            {"source": e.spec, "sha256": e.sha256, "columns": list(e.columns)}
            | {"texts": len(e.texts), "sentences": len(parts)}
        )
    result = deduplicate([s.text for s in candidates], options.dedup, excluded)
    dropped.update(result.dropped)
    sentences = [candidates[i] for i in result.keep]
    groups = [sentences[g].text for g in result.group]
    dedup: dict[str, Any] = {"mode": options.dedup}
    if options.dedup == "near":
        dedup |= {"near_similarity": NEAR_SIMILARITY, "near_groups": result.groups}
    cleaning: dict[str, Any] = {
        "dedup": dedup,
        "decontamination": sources,
        "dedup_s": round(time.perf_counter() - t, 3),
    }
    return sentences, groups, cleaning


def _names(options: BuildOptions, sentences: list[Sentence]) -> frozenset[str]:
    if "synonym" not in options.augment and "case" not in options.augment:
        return frozenset()
    from pairgen.augment.protect import corpus_names

    return corpus_names(s.text for s in sentences)


def _content_word(word: str) -> bool:
    """Hard negatives must share a content word, not only `що` and `про`."""
    from pairgen.augment.protect import function_words

    return word not in function_words()


def make_context(
    options: BuildOptions, sentences: list[Sentence], groups: Sequence[str] | None = None
) -> Context:
    """Splits, the anchor order's inputs, word lists and one hard-negative index per split.

    A sentence's split is drawn from `groups[i]` (its near-duplicate group's first sentence,
    `Corpus.groups`), else from its own text, so near-duplicates never straddle train and test.
    """
    from pairgen.pairing.mining import HardNegativeIndex
    from pairgen.text import words

    keys = groups if groups is not None else [s.text for s in sentences]
    split_of = [
        "test" if unit(options.seed, "split", key) < options.test_size else "train" for key in keys
    ]
    members: dict[str, list[int]] = {"train": [], "test": []}
    for i, split in enumerate(split_of):
        members[split].append(i)
    ws = [words(s.text) for s in sentences]
    indexes = {}
    if options.weights["hard"] > 0:
        indexes = {
            split: HardNegativeIndex([ws[i] for i in ids], content=_content_word)
            for split, ids in members.items()
            if ids
        }
    augmenters = make_augmenters(options, _names(options, sentences))
    # Load pymorphy3 and the tokenizers in the parent: forked workers then share them.
    compose(WARM_UP, augmenters, rng_for(options.seed, "warm-up"))
    return Context(
        sentences=sentences,
        words=ws,
        members=members,
        split_of=split_of,
        indexes=indexes,
        augmenters=augmenters,
        measure=measure(options.label),
        seed=options.seed,
    )


@dataclass
class PairStats:
    by_split_kind: dict[str, Counter[str]] = field(
        default_factory=lambda: {"train": Counter(), "test": Counter()}
    )
    scores: dict[str, array[float]] = field(default_factory=lambda: {k: array("d") for k in KINDS})
    """Every label, for the quartiles; 8 bytes a pair (a list of floats takes 32)."""
    edits: Counter[str] = field(default_factory=Counter)
    swapped_words: Counter[str] = field(default_factory=Counter)
    paraphrases_with_swap: int = 0
    noise_only: int = 0
    noise_by_kind: dict[str, Counter[str]] = field(
        default_factory=lambda: {k: Counter() for k in KINDS}
    )
    """Per kind, how many pairs carry each noise family in `sentence2` (and `none`)."""
    left_alone: Counter[str] = field(default_factory=Counter)
    no_paraphrase: int = 0
    augment_s: float = 0.0
    mine_s: float = 0.0
    passes: int = 0
    examples: dict[str, list[tuple[str, str, float]]] = field(
        default_factory=lambda: {k: [] for k in KINDS}
    )

    def add(self, split: str, pair: Pair) -> None:
        self.by_split_kind[split][pair.kind] += 1
        self.scores[pair.kind].append(pair.score)
        swapped = False
        for e in pair.edits:
            self.edits[e.op] += 1
            if e.op == "synonym":
                swapped = True
                self.swapped_words[swap_key(e.before, e.after)] += 1
        self.paraphrases_with_swap += swapped
        self.noise_by_kind[pair.kind].update(pair.noise or ("none",))
        if pair.kind == "paraphrase" and all(e.op in pair.noise for e in pair.edits):
            self.noise_only += 1
        if split == "train" and len(self.examples[pair.kind]) < 3:
            self.examples[pair.kind].append((pair.sentence1, pair.sentence2, pair.score))

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.by_split_kind.values())


def make_pairs(options: BuildOptions, ctx: Context, writers: dict[str, Any], log: Log) -> PairStats:
    """Run passes over the anchors until exactly `n` pairs are written (or no pass adds any)."""
    n = options.n
    anchors = sorted(
        range(len(ctx.sentences)),
        key=lambda i: digest(options.seed, "order", ctx.sentences[i].text),
    )
    stats = PairStats()
    quota = ParaphraseQuota(options.noise_only)
    seen: set[int] = set()
    hard_offset = [0] * len(ctx.sentences)
    schedule = kind_schedule(options.weights)
    explain = "synonym" in options.augment
    engine = get_engine(options.engine, options.worker_count, options.ray_address)
    bar = progress("pairing", n, not options.quiet, unit="pairs")
    with bar, engine.keep(ctx):
        _passes(
            options,
            ctx,
            engine,
            anchors,
            schedule,
            explain,
            writers,
            stats,
            seen,
            quota,
            hard_offset,
            bar,
            log,
        )
    if stats.total < n:  # distinct: pairs that differ only in case or spacing count once
        raise NotEnoughPairsError(
            f"the corpus gives only about {stats.total} distinct pairs, not {n}: "
            f"{len(ctx.sentences)} usable sentences ran out of new paraphrases and negatives; "
            "lower -n or add text to the corpus"
        )
    return stats


def _passes(
    options: BuildOptions,
    ctx: Context,
    engine: Engine,
    anchors: list[int],
    schedule: Iterator[str],
    explain: bool,
    writers: dict[str, Any],
    stats: PairStats,
    seen: set[int],
    quota: ParaphraseQuota,
    hard_offset: list[int],
    bar: Any,
    log: Log,
) -> None:
    """Passes over the anchors, each adding slots per anchor, until -n or the corpus runs dry."""
    n = options.n
    for pass_no in range(MAX_PASSES):
        remaining = n - stats.total
        if remaining <= 0:
            break
        stats.passes += 1
        per_anchor = min(MAX_SLOTS_PER_ANCHOR, max(1, math.ceil(remaining / len(anchors))))
        jobs = (
            Job(
                a,
                tuple(next(schedule) for _ in range(per_anchor)),
                pass_no,
                hard_offset[a],
                explain and pass_no == 0,
            )
            for a in anchors
        )
        before = stats.total
        tasks = _chunks(jobs, ANCHORS_PER_TASK)
        for batch in engine.map(pair_task, tasks, ctx):
            done = stats.total
            _take(batch, options, ctx, writers, stats, seen, quota, hard_offset)
            bar.update(stats.total - done)
            if stats.total >= n:
                break
        made = stats.total - before
        log(f"pass {pass_no + 1}: {made} pairs ({stats.total}/{n})")
        passes_left = MAX_PASSES - pass_no - 1
        if stats.total < n and made * passes_left < n - stats.total:
            break  # at this rate the corpus runs dry before -n: fail now, not in 20 passes


def _take(
    batch: list[Candidates],
    options: BuildOptions,
    ctx: Context,
    writers: dict[str, Any],
    stats: PairStats,
    seen: set[int],
    quota: ParaphraseQuota,
    hard_offset: list[int],
) -> None:
    """Accept the batch's pairs in order, interleaving anchors round by round, up to `n`."""
    accepted: list[tuple[str, list[Pair]]] = []
    for cands in batch:
        pairs, hard_used, no_para = select(cands, cands.kinds, seen, quota, ctx)
        hard_offset[cands.anchor] += hard_used
        stats.no_paraphrase += no_para
        stats.left_alone.update(cands.skipped)
        stats.augment_s += cands.augment_s
        stats.mine_s += cands.mine_s
        accepted.append((ctx.split_of[cands.anchor], pairs))
    depth = max((len(p) for _, p in accepted), default=0)
    for r in range(depth):
        for split, pairs in accepted:
            if r < len(pairs) and stats.total < options.n:
                writers[split].add(pairs[r])
                stats.add(split, pairs[r])


def _paraphrase_shortfall(options: BuildOptions, stats: PairStats, sentences: int) -> str | None:
    """A warning when paraphrases fell well short of what --mix asks: a paraphrase needs a word
    change, and only some sentences allow a safe one (the rest of -n went to negatives)."""
    asked = options.weights["paraphrase"] * stats.total
    made = len(stats.scores["paraphrase"])
    if asked == 0 or made >= 0.9 * asked:
        return None
    return (
        f"{made} paraphrases instead of the ~{round(asked)} that --mix asks for: most of the "
        f"{sentences} sentences allow no safe word change, so the other pairs are negatives; "
        f"add text, or raise --noise-only (now {options.noise_only:g}) to fill paraphrase slots "
        "with copies that differ only in letter case or spacing"
    )


# --- the whole build -------------------------------------------------------------------------
def command_line(options: BuildOptions) -> str:
    """The shortest `pairgen build` command that reproduces these options, without local paths.

    Files are named by their file name only and `-o` is left out: the command is published in the
    card and the manifest, where the builder's folders are nobody's business.
    """
    import shlex

    defaults = BuildOptions(corpus=options.corpus)
    parts = ["pairgen", "build", _name(options.corpus), "-n", str(options.n)]
    parts += ["--seed", str(options.seed)]
    for key, value in options.to_json().items():
        if key in {"corpus", "output", "n", "seed"} or value == defaults.to_json()[key]:
            continue
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            parts.append(flag if value else "--no-" + key.replace("_", "-"))
        elif isinstance(value, dict):
            parts += [flag, ",".join(f"{k}={v:g}" for k, v in value.items())]
        elif key == "exclude":
            parts += [p for spec in value for p in (flag, spec)]
        elif isinstance(value, list):
            parts += [flag, ",".join(value)]
        else:
            parts += [flag, _name(value) if key in _PATH_OPTIONS else str(value)]
    return shlex.join(parts)


_PATH_OPTIONS = ("corpus", "lexicon", "protect")
"""Options that name local files: published relative to the output folder."""


def _name(path: str) -> str:
    """A local path's last part (`../texts/` -> `texts`); anything else (a URL, `-`) as given."""
    return Path(path).resolve().name if Path(path).exists() else path


def _relative(path: str, base: Path) -> str:
    """`path` relative to `base` when it is a local file or folder, else as given."""
    if not Path(path).exists():
        return path
    return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()


def _public_options(options: BuildOptions) -> dict[str, Any]:
    """The manifest's options: paths relative to the output folder, the folder itself left out.

    `--config FOLDER/pairgen.json` resolves them against FOLDER again, so a replay works from any
    working directory, and a pushed manifest shows no absolute path of the machine it came from.
    """
    data = options.to_json()
    data.pop("output", None)
    for key in _PATH_OPTIONS:
        if data.get(key):
            data[key] = _relative(data[key], Path(options.output))
    return data


def run(options: BuildOptions, log: Log = _quiet, warn: Log = _quiet) -> BuildReport:
    """Run a build with validated options; see `build` for the keyword form."""
    started = time.perf_counter()
    warnings: list[str] = []

    def warn_(msg: str) -> None:
        warnings.append(msg)
        warn(msg)

    if not is_remote(options.corpus) and not Path(options.corpus).exists():
        raise CorpusError(
            f"corpus path {options.corpus} does not exist: give a folder or a .txt file"
        )
    if note := options.workers_note():
        warn_(note)
    inputs = {"the corpus": options.corpus, "--lexicon": options.lexicon}
    inputs["--protect"] = options.protect
    folder = AtomicFolder(Path(options.output), options.overwrite, inputs=inputs, warn=warn_)
    folder.check()  # holds the output's lock from here until the swap or the end
    try:
        from pairgen.write.plot import BackgroundHistogram

        histogram = BackgroundHistogram()
    except BaseException:
        folder.release()
        raise
    writing = None
    try:
        if "synonym" in options.augment:  # a bad lexicon or protect file fails before any reading
            make_augmenters(options)
        from pairgen.ingest.exclude import read_exclusion

        exclusions = [read_exclusion(spec) for spec in options.exclude]
        with folder as tmp:
            corpus = read_sentences(options, warn_, log, exclusions)
            log(f"{len(corpus.sentences)} sentences kept of {corpus.read}")
            t = time.perf_counter()
            ctx = make_context(options, corpus.sentences, corpus.groups)
            index_s = time.perf_counter() - t
            from pairgen.write.parquet import CONFIGS, SplitWriter, shard_name

            splits = ["train", "test"] if options.test_size > 0 else ["train"]
            writers = {s: SplitWriter(tmp, s) for s in splits}
            t = time.perf_counter()
            stats = make_pairs(options, ctx, writers, log)
            pair_s = time.perf_counter() - t
            short = _paraphrase_shortfall(options, stats, len(ctx.sentences))
            if short:
                warn_(short)
            if options.test_size > 0 and not stats.by_split_kind["test"]:
                raise NotEnoughPairsError(
                    f"the test split is empty: --test-size {options.test_size:g} put "
                    f"{len(ctx.members['test'])} of {len(ctx.sentences)} sentences in it and none "
                    "of their pairs was kept; add text to the corpus, raise --test-size, or pass "
                    "--test-size 0 to build without a test split"
                )
            t = time.perf_counter()
            writing = progress("writing", len(splits) + 2, not options.quiet, unit="files")
            histogram.draw(stats.scores, tmp / "label_hist.png", f"label ({options.label})")
            for w in writers.values():
                w.close()
                writing.update()
            for s in splits:
                if writers[s].rows == 0:
                    for sub in CONFIGS.values():
                        (tmp / sub / shard_name(s)).unlink()
            manifest = _manifest(options, corpus, stats, ctx)
            manifest["stage_seconds"] = {
                "read": round(corpus.read_s, 3),
                "segment": round(corpus.segment_s, 3),
                "dedup": corpus.cleaning["dedup_s"],
                "index": round(index_s, 3),
                "pair": round(pair_s, 3),
                "augment_cpu": round(stats.augment_s, 3),
                "mine_label_cpu": round(stats.mine_s, 3),
            }
            from pairgen.write.card import render_card
            from pairgen.write.parquet import content_digests, dataset_info

            if histogram.result():
                manifest["figure"] = "label_hist.png"
            else:
                log(f"no label histogram in the folder or the card: {install_hint('plot')}")

            info, digests = dataset_info(tmp), content_digests(tmp)
            target = Path(options.output).resolve().name
            card = render_card(manifest, stats.examples, info, digests, target)
            (tmp / "README.md").write_text(card, encoding="utf-8")
            writing.update()
            manifest["stage_seconds"]["write"] = round(time.perf_counter() - t, 3)
            manifest["duration_s"] = round(time.perf_counter() - started, 3)
            (tmp / "pairgen.json").write_text(
                json.dumps(manifest, ensure_ascii=False, allow_nan=False, indent=2, sort_keys=True)
                + "\n",
                encoding="utf-8",
            )
            writing.update()
    except KeyboardInterrupt:
        raise Interrupted(
            f"build interrupted: nothing was written, {options.output} is as it was"
        ) from None
    except OSError as exc:
        raise os_error(exc, Path(options.output), Path(options.corpus)) from None
    finally:
        histogram.close()
        if writing is not None:
            writing.close()  # ends the bar's line before any error message
        folder.release()
    return BuildReport(Path(options.output), manifest, warnings)


def _manifest(
    options: BuildOptions, corpus: Corpus, stats: PairStats, ctx: Context
) -> dict[str, Any]:
    import dataclasses
    import hashlib

    read = {f["revision"] for f in corpus.files if f.get("revision")}
    if read and options.revision not in read:  # replaying `main` later could read other rows
        options = dataclasses.replace(options, revision=read.pop())
    fp = hashlib.sha256()
    for f in corpus.files:
        fp.update(f"{f['path']}\0{f.get('sha256') or f.get('revision') or 'skipped'}\n".encode())
    all_scores = [s for v in stats.scores.values() for s in v]
    quartiles = statistics.quantiles(all_scores, n=4) if len(all_scores) > 1 else all_scores * 3
    by_kind = {
        k: {"count": len(v), "mean": round(statistics.fmean(v), 4)}
        for k, v in stats.scores.items()
        if v
    }
    manifest: dict[str, Any] = {
        "pairgen_version": __version__,
        "command": command_line(options),
        "seed": options.seed,
        "options": _public_options(options),
        "license": options.license,
        "segmenter": corpus.segmenter,
        "corpus": {
            "root": _relative(options.corpus, Path(options.output)),
            "files": corpus.files,
            "fingerprint": fp.hexdigest(),
        },
        "dedup": corpus.cleaning.get("dedup", {"mode": options.dedup}),
        "decontamination": corpus.cleaning.get("decontamination", []),
        "redaction": corpus.cleaning.get("redaction", {"enabled": options.redact, "replaced": {}}),
        "counts": {
            "pairs": stats.total,
            "splits": {s: sum(c.values()) for s, c in stats.by_split_kind.items()},
            "by_kind": {k: len(v) for k, v in stats.scores.items()},
            "by_split_kind": {s: dict(c) for s, c in stats.by_split_kind.items()},
            "sentences_read": corpus.read,
            "sentences_kept": len(corpus.sentences),
            "sentences_dropped": dict(corpus.dropped),
            "markup_lines": dict(
                sum((Counter(f.get("markup_lines", {})) for f in corpus.files), Counter())
            ),
            "sentences_per_split": {s: len(ids) for s, ids in ctx.members.items()},
            "no_paraphrase": stats.no_paraphrase,
            "noise_only_paraphrases": stats.noise_only,
            "noise_by_kind": {k: dict(sorted(c.items())) for k, c in stats.noise_by_kind.items()},
            "edits": dict(stats.edits),
            "passes": stats.passes,
        },
        "label": {
            "measure": options.label,
            "formula": FORMULAS[options.label],
            "mean": round(statistics.fmean(all_scores), 4) if all_scores else 0.0,
            "quartiles": [round(q, 4) for q in quartiles],
            "by_kind": by_kind,
        },
    }
    if "synonym" in options.augment:
        manifest["synonyms"] = {
            "swaps": stats.edits.get("synonym", 0),
            "paraphrases_with_swap": stats.paraphrases_with_swap,
            "left_alone": dict(stats.left_alone.most_common()),
            "top_swaps": dict(stats.swapped_words.most_common(20)),
            "rate": options.synonym_rate,
            "min_swaps": options.min_swaps,
            "max_swaps": options.max_swaps,
            "registers": list(options.registers),
            "multiword": options.multiword,
        }
    return manifest


def build(
    corpus: str | os.PathLike[str],
    output: str | os.PathLike[str] = "output",
    *,
    log: Log = _quiet,
    warn: Log = _quiet,
    token: str | None = None,
    **options: Any,
) -> BuildReport:
    """Build a dataset from `corpus` into `output`; keyword options are `BuildOptions` fields.

    With `push_to_hub="OWNER/NAME"` the finished folder is then pushed, as `pairgen build
    --push-to-hub` does (`token`: else HF_TOKEN or the saved login).

    Example:
        >>> build("corpus", "output", n=2000, seed=42, overwrite=True)   # doctest: +SKIP
    """
    for name, value in (("corpus", corpus), ("output", output)):
        if not isinstance(value, str | os.PathLike):
            raise OptionTypeError(
                f"{name} must be a path (str or os.PathLike), got {type(value).__name__}"
            )
    opts = BuildOptions(corpus=os.fspath(corpus), output=os.fspath(output), **options)
    if opts.push_to_hub:  # checked before the build, which a missing token must not waste
        from pairgen.hub import ready_to_push

        token = ready_to_push(opts.push_to_hub, token)
    report = run(opts, log=log, warn=warn)
    if opts.push_to_hub:
        log(publish(report, opts.push_to_hub, token, private=opts.private, warn=warn))
    return report


def publish(
    report: BuildReport,
    repo_id: str,
    token: str | None,
    *,
    private: bool = False,
    warn: Log = _quiet,
) -> str:
    """Push a finished build's folder to the Hub dataset `repo_id`; what was pushed, in words.

    A folder built without `--redact` that holds contact data is pushed with a warning first.
    """
    from pairgen.hub import describe, personal_data_warning, push_folder

    warning = personal_data_warning(report.output)
    if warning:
        warn(warning)
    return describe(push_folder(report.output, repo_id, token=token, private=private))
