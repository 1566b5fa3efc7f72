"""The augmentation families by name, so `--augment`, build, preview and the manifest agree.

Each factory takes the build's options (and the words the corpus itself treats as names) and
returns a configured augmenter; its module is imported only when the family is used. The order of
`FAMILIES` is the order in which families claim words: earlier wins where edits overlap.

    >>> from pairgen.config import BuildOptions
    >>> [a.name for a in make_augmenters(BuildOptions("corpus", augment=("case", "spacing")))]
    ['case', 'spacing']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pairgen.augment.base import Augmenter
    from pairgen.config import BuildOptions

Factory = Callable[["BuildOptions", frozenset[str]], "Augmenter"]


def synonym(options: BuildOptions, names: frozenset[str]) -> Augmenter:
    """Thesaurus synonyms inflected to agree; `names` (and `--protect`) are never swapped."""
    from pairgen.augment.lexicon import load_lexicon
    from pairgen.augment.protect import load_protect_file
    from pairgen.augment.synonyms import SynonymOptions, synonym_swap

    protect = load_protect_file(Path(options.protect)) if options.protect else frozenset()
    return synonym_swap(
        SynonymOptions(
            rate=options.synonym_rate,
            min_swaps=options.min_swaps,
            max_swaps=options.max_swaps,
            registers=frozenset(options.registers),
            multiword=options.multiword,
            protect=protect | names,
        ),
        lexicon=load_lexicon(options.lexicon),
    )


def case(options: BuildOptions, names: frozenset[str]) -> Augmenter:
    """Letter-case noise; `names` keep their capital unless the whole sentence is re-cased."""
    from pairgen.augment.case import case_noise

    return case_noise(names=names)


def spacing(options: BuildOptions, names: frozenset[str]) -> Augmenter:
    """Tokenise-then-join spacing around punctuation."""
    from pairgen.augment.spacing import spacing_noise

    return spacing_noise()


FAMILIES: dict[str, Factory] = {"synonym": synonym, "case": case, "spacing": spacing}
"""Family name -> factory, in the order the families claim words."""


def make_augmenters(options: BuildOptions, names: frozenset[str] = frozenset()) -> list[Augmenter]:
    """The augmenters named by `options.augment`, configured from the options.

    `names` are words the corpus itself treats as names (`protect.corpus_names`): a character
    called `Ґава` is protected even at a sentence start, where its capital says nothing.
    """
    return [FAMILIES[name](options, names) for name in options.augment]
