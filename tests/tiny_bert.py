"""Tiny, self-made training fixtures for tests/test_train.py: a 2-layer BERT and a pair folder.

Nothing here touches the network: the WordPiece vocabulary is trained with `tokenizers` on
Ukrainian sentences composed below, and the model is a freshly initialised `BertModel` saved with
`save_pretrained`, so sentence-transformers wraps it with mean pooling when it loads the folder.
The same sentences make the corpus that a real `pairgen.build` turns into the pair dataset.

    sentences = ukrainian_sentences(400)
    model_dir = make_tiny_bert(tmp_path / "tiny-bert", sentences)
    corpus_dir = write_corpus(tmp_path / "corpus", sentences)
"""

from __future__ import annotations

import random
from pathlib import Path

SUBJECTS = (
    "Старий мірошник",
    "Молода вчителька",
    "Наш сусід",
    "Маленька дівчинка",
    "Сільський лікар",
    "Бабуся Ганна",
    "Веселий козак",
    "Мій брат",
    "Утомлений подорожній",
    "Сива пані",
)
VERBS = (
    "побачив",
    "поклав",
    "приніс",
    "знайшов",
    "загубив",
    "продав",
    "купив",
    "пофарбував",
)
OBJECTS = (
    "стару криницю біля хати",
    "зелене яблуко на столі",
    "важкий мішок із зерном",
    "теплу хустку в скрині",
    "дерев'яний човен над річкою",
    "нову книжку про море",
    "глиняний глечик з молоком",
    "срібну ложку в кошику",
    "довгу мотузку у повітці",
    "жовте листя в саду",
)
TIMES = ("уранці", "увечері", "вчора", "восени")


def ukrainian_sentences(n: int) -> list[str]:
    """`n` distinct Ukrainian sentences, always the same ones in the same order (n <= 3200)."""
    out = []
    for t in TIMES:
        for s in SUBJECTS:
            for v in VERBS:
                for o in OBJECTS:
                    out.append(f"{s} {t} {v} {o}.")
    random.Random(7).shuffle(out)
    if n > len(out):
        raise ValueError(f"at most {len(out)} sentences")
    return out[:n]


def make_tiny_bert(folder: Path, sentences: list[str]) -> Path:
    """Train a WordPiece vocabulary on `sentences`; save a 2-layer BertModel and tokenizer there."""
    import torch
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    wordpiece = BertWordPieceTokenizer(lowercase=True, strip_accents=False)
    wordpiece.train_from_iterator(sentences, vocab_size=600, min_frequency=1, show_progress=False)
    wordpiece.save_model(str(folder))
    tokenizer = BertTokenizer(
        vocab=str(folder / "vocab.txt"), do_lower_case=True, strip_accents=False
    )
    tokenizer.model_max_length = 64
    tokenizer.save_pretrained(str(folder))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(str(folder))
    return folder


def write_corpus(folder: Path, sentences: list[str], per_paragraph: int = 4) -> Path:
    """A one-file corpus for `pairgen.build`: the sentences, a few per line (paragraph)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        " ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)
    ]
    (folder / "a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
