"""`pairgen preview` (`pairgen.paraphrase`): what a build would make of a few sentences.

Someone tuning `--synonym-rate` or a lexicon wants to see the paraphrases, not a parquet file. This
module runs the build's own pieces on a snippet: the rules segmenter, the augmenters configured by
`augment.registry.make_augmenters`, the same per-sentence rngs as `pairgen.pairing.pairs` and the
same label measure. So the first paraphrase shown for a sentence is the one a build with the same
options and seed makes for it (when that sentence gets a paraphrase slot in the first pass).

    >>> [p] = paraphrase("Старий рибалка вийшов на світанку.", n=3, augment=("case", "spacing"))
    >>> p.sentence
    'Старий рибалка вийшов на світанку.'
    >>> [(v.score, v.noise_only) for v in p.paraphrases]   # no word-level family: one noisy copy
    [(1.0, True)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from pairgen.errors import OptionTypeError, UsageError
from pairgen.pairing.labels import DEFAULT_MEASURE
from pairgen.records import Edit

MAX_PARAPHRASES = 1000
"""-n at most: more distinct noisy copies than this of one sentence are not worth waiting for."""

if TYPE_CHECKING:
    from pairgen.augment.synonyms import WordDecision


@dataclass(frozen=True)
class Variant:
    """One paraphrase of a sentence: its text, its label against the sentence, and the edits."""

    text: str
    score: float
    edits: tuple[Edit, ...]
    noise_only: bool = False
    """True for the one copy made when no word of the sentence can change: it differs only in
    letter case or spacing (a build takes such copies only up to `--noise-only`)."""

    @property
    def spans(self) -> list[tuple[int, int, str]]:
        """`(start, end, op)` of each edit's result in `text` (what a display highlights).

        Edit offsets index the source sentence; this shifts them by the length changes of the
        edits before, so `text[start:end] == edit.after`.
        """
        out = []
        shift = 0
        for e in sorted(self.edits, key=lambda e: (e.start, e.end)):
            start = e.start + shift
            out.append((start, start + len(e.after), e.op))
            shift += len(e.after) - (e.end - e.start)
        return out


@dataclass(frozen=True)
class SentencePreview:
    """A sentence of the previewed text, its paraphrases, and the synonym swap's word decisions.

    `paraphrases` can be shorter than asked for: a short sentence may have fewer distinct noisy
    copies than `requested` in the `attempts` a build would make. `decisions` is empty when the
    synonym family is not among the augmenters.
    """

    sentence: str
    paraphrases: tuple[Variant, ...]
    decisions: tuple[WordDecision, ...]
    attempts: int
    requested: int
    dropped: str | None = None
    """Why a build would drop the sentence before pairing (a `pairgen.ingest.filters` reason)."""
    possible: int | None = None
    """How many paraphrases with different words the sentence allows at all (None: not known,
    e.g. with a word-level family other than `synonym`)."""

    @property
    def note(self) -> str | None:
        """Why fewer paraphrases than requested came, or None when all came.

        >>> [p] = paraphrase("Козак швидко читав листа.", n=3)
        >>> p.note  # doctest: +SKIP
        'only 1 distinct paraphrase exists (3 asked): 1 way to swap its words'
        """
        made = sum(not v.noise_only for v in self.paraphrases)
        if made >= self.requested:
            return None
        if made == 0:
            if self.paraphrases:
                return (
                    "no word can be safely swapped: the only paraphrase differs in letter case "
                    "or spacing"
                )
            if not self.attempts:
                return "no paraphrase: no word can change and no noise fits the sentence"
            return f"no paraphrase: nothing changed in {self.attempts} attempts"
        if self.possible is not None and made >= self.possible:
            ways = "way" if self.possible == 1 else "ways"
            return (
                f"only {made} distinct paraphrase{'s' if made > 1 else ''} "
                f"exist{'s' if made == 1 else ''} ({self.requested} asked): "
                f"{self.possible} {ways} to swap its words"
            )
        return f"only {made} distinct paraphrase(s) found in {self.attempts} attempts"


def paraphrase(text: str, n: int = 5, **options: Any) -> list[SentencePreview]:
    """Segment `text` and make up to `n` distinct paraphrases of each sentence, as a build would.

    Keyword options are `pairgen build`'s (`BuildOptions` fields: same names, same defaults, same
    validation), e.g. `seed`, `augment`, `label`, `synonym_rate`. Each line of `text` is a
    paragraph. Sentences a build would drop (too short, a heading, ...) are still previewed, with
    the reason in `SentencePreview.dropped`.

    Raises:
        UsageError: `n` below 1, or an option a build would reject.
        LexiconError: the lexicon or protect file is malformed.

    Example:
        >>> [s] = paraphrase("Козак швидко читав листа.", n=3)
        >>> [v.text for v in s.paraphrases]  # doctest: +SKIP
        ['Козак жваво читав листа .', 'КОЗАК жваво читав листа .', 'козак бистро читав листа .']
    """
    from pairgen.augment.lexicon import load_lexicon
    from pairgen.augment.noise import is_noise
    from pairgen.augment.registry import make_augmenters
    from pairgen.config import BuildOptions
    from pairgen.ingest.filters import reject_reason
    from pairgen.ingest.segment import get_segmenter
    from pairgen.pairing.labels import make_measure
    from pairgen.pairing.pairs import ATTEMPTS_PER_PARAPHRASE, paraphrases
    from pairgen.text import clean, words

    if not isinstance(text, str):
        raise OptionTypeError(f"text must be a str, got {type(text).__name__}")
    if isinstance(n, bool) or not isinstance(n, int):
        raise OptionTypeError(f"-n must be a whole number, got {n!r} ({type(n).__name__})")
    if not 1 <= n <= MAX_PARAPHRASES:
        raise UsageError(
            f"-n must be between 1 and {MAX_PARAPHRASES} paraphrases per sentence, got {n}"
        )
    opts = BuildOptions.from_mapping({"corpus": "-"}, **options)
    augmenters = make_augmenters(opts)
    explainers = [aug.explain for aug in augmenters if hasattr(aug, "explain")]
    word_level = [aug for aug in augmenters if not is_noise(aug)]
    varieties = [aug.variety for aug in word_level if hasattr(aug, "variety")]
    # The build's label with the build's lexicon (its synonym credit); the IDF table is the
    # shipped one, since a snippet is too short to count document frequencies over.
    measure = make_measure(opts.label, lexicon=load_lexicon(opts.lexicon))
    segmenter = get_segmenter("rules")
    out = []
    for line in clean(text).splitlines():
        for sentence in segmenter.sentences(line) if line.strip() else []:
            variants = tuple(
                Variant(p.text, measure(words(sentence), words(p.text)), p.edits, p.noise_only)
                for p in islice(paraphrases(sentence, augmenters, opts.seed, 0, n), n)
            )
            decisions = tuple(d for explain in explainers for d in explain(sentence))
            dropped = reject_reason(sentence, opts.min_words, opts.max_tokens)
            attempts = n * ATTEMPTS_PER_PARAPHRASE if word_level else 0
            possible = None
            if len(word_level) == len(varieties):
                possible = sum(v(sentence) for v in varieties)
            out.append(
                SentencePreview(sentence, variants, decisions, attempts, n, dropped, possible)
            )
    return out


def _plain(text: str, role: str) -> str:
    return text


def _edit_summary(edits: tuple[Edit, ...]) -> str:
    """`synonym світанку → досвітку | case до → До | spacing +2`: the edits, by family."""
    by_op: dict[str, list[Edit]] = {}
    for e in edits:
        by_op.setdefault(e.op, []).append(e)
    parts = []
    for op, group in by_op.items():
        if op == "spacing":
            parts.append(f"spacing +{len(group)}")
        elif len(group) > 3:
            parts.append(f"{op} {len(group)} words")
        else:
            parts.append(f"{op} " + ", ".join(f"{e.before} → {e.after}" for e in group))
    return " | ".join(parts)


def _highlight(v: Variant, style: Callable[[str, str], str]) -> str:
    out = []
    pos = 0
    for start, end, op in v.spans:
        out.append(v.text[pos:start])
        out.append(style(v.text[start:end], op))
        pos = end
    out.append(v.text[pos:])
    return "".join(out)


def render(
    previews: Sequence[SentencePreview],
    *,
    explain: bool = False,
    label: str = DEFAULT_MEASURE,
    style: Callable[[str, str], str] = _plain,
    max_candidates: int = 6,
) -> str:
    """The `pairgen preview` screen: each sentence, its paraphrases with labels and edits, and
    with `explain` why each word was or was not swapped.

    `style(text, role)` decorates a changed span (role: the edit's op) or a reason (role:
    "eligible" or "left alone"); the default leaves text plain, the CLI passes terminal colours.
    """
    lines = []
    for i, p in enumerate(previews, 1):
        lines.append(f"[{i}] {p.sentence}")
        if p.dropped:
            lines.append(f"    (a build drops this sentence: {p.dropped})")
        if p.paraphrases:
            lines.append(f"    {label:>7}  paraphrase")
        for v in p.paraphrases:
            lines.append(f"    {v.score:7.3f}  {_highlight(v, style)}")
            lines.append(f"    {'':7}  {_edit_summary(v.edits)}")
        if p.note:
            lines.append(f"    {p.note}")
        if explain:
            lines.append("    words (why each was or was not swapped):")
            width = min(18, max((len(d.word) for d in p.decisions), default=0))
            for d in p.decisions:
                role = "eligible" if d.reason == "eligible" else "left alone"
                row = f"      {d.word:<{width}}  "
                if d.candidates:
                    shown = ", ".join(d.candidates[:max_candidates])
                    more = len(d.candidates) - max_candidates
                    row += style(f"{d.reason:<16}", role) + f" {d.lemma} → {shown}"
                    row += f" (+{more})" if more > 0 else ""
                else:
                    row += style(d.reason, role)
                lines.append(row)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n" if lines else ""
