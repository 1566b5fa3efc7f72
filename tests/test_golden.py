"""Reproducibility guard: a fixed-seed build of tests/data/golden/ gives exactly these rows.

Any change to reading, segmentation, filtering, splitting, pair order, augmentation or labels
shows up here, in review, as a changed pin. Two builds are pinned: one without the synonym swap
(so a change there is told apart from one in the rest of the pipeline) and one with every
augmenter.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pairgen import build

GOLDEN = Path(__file__).parent / "data" / "golden"
SEED = 2024
N = 60

Row = tuple[str, str, float, str]

NO_SYNONYMS: dict[int, Row] = {
    0: (
        "Коли туман розвіявся, на воді заграли швидкі срібні рибки.",
        "Коли туман розвіявся, на воді заграли швидкі срібні рибки .",
        1.0,
        "paraphrase",
    ),
    1: (
        "Блискавка влучила в стару грушу за селом, і дерево розкололося навпіл.",
        "Увечері вся родина зібралася на подвір'ї біля столу.",
        0.0,
        "random",
    ),
    2: (
        "Дорогою додому він зайшов до парку й сів на лавку читати.",
        "дорогою додому він зайшов до парку й сів на лавку читати.",
        1.0,
        "paraphrase",
    ),
    3: (
        "Вранці на головній площі міста відкрили великий книжковий ярмарок.",
        "Тільки коли засвітилися перші зорі, діти розійшлися по хатах.",
        0.0,
        "random",
    ),
    4: (
        "Молода вчителька поспішала до школи з оберемком зошитів.",
        "Молода вчителька поспішала до школи з оберемком зошитів .",
        1.0,
        "paraphrase",
    ),
    5: (
        "Змій піднявся так високо, що став схожий на маленьку пташку.",
        "Діти Сміялися, а дорослі тихо говорили про завтрашній ярмарок.",
        0.0,
        "random",
    ),
    6: (
        "Рибалка довго сидів на березі й слухав, як прокидається село.",
        "Рибалка довго сидів на березі й слухав , як прокидається село .",
        1.0,
        "paraphrase",
    ),
    34: (
        "Коли туман розвіявся, на воді заграли швидкі срібні рибки.",
        "Над річкою ще Стояв густий білий туман , і вода здавалася сивою .",
        0.1961,
        "hard",
    ),
}
"""`--augment case,spacing --noise-only 1` (no word-level family, so paraphrases are noise-only
copies by request): the first rows, and the first hard negative (row 34)."""

ALL_AUGMENTERS: dict[int, Row] = {
    0: (
        "Коли туман розвіявся, на воді заграли швидкі срібні рибки.",
        "Над річкою ще Стояв густий білий туман , і вода здавалася сивою .",
        0.1961,
        "hard",
    ),
    1: (
        "Блискавка влучила в стару грушу за селом, і дерево розкололося навпіл.",
        "Увечері вся родина зібралася на подвір'ї біля столу.",
        0.0,
        "random",
    ),
    2: (
        "Дорогою додому він зайшов до парку й сів на лавку читати.",
        "Він повільно пішов додому вузькою стежкою між високими вербами.",
        0.1627,
        "hard",
    ),
    3: (
        "Вранці на головній площі міста відкрили великий книжковий ярмарок.",
        "Тільки коли засвітилися перші зорі, діти розійшлися по хатах.",
        0.0,
        "random",
    ),
    4: (
        "Молода вчителька поспішала до школи з оберемком зошитів.",
        "Вчителька уважно пояснювала, чому після блискавки завжди гримить грім.",
        0.0978,
        "hard",
    ),
    5: (
        "Змій піднявся так високо, що став схожий на маленьку пташку.",
        "Діти Сміялися, а дорослі тихо говорили про завтрашній ярмарок.",
        0.0,
        "random",
    ),
    6: (
        "Рибалка довго сидів на березі й слухав, як прокидається село.",
        "До обіду рибалка наловив повне відро дрібної риби.",
        0.0886,
        "hard",
    ),
    10: (
        "Сонце поволі піднялося над лісом і позолотило верхівки старих дубів.",
        "Сонце повільно піднялося над лісом і позолотило верхівки старих дубів .",
        1.0,
        "paraphrase",
    ),
}
"""The default `--augment synonym,case,spacing`: rows 4, 6 and 10 carry synonym swaps; noise is
drawn alike for every kind (rows 0 and 5 are negatives with case or spacing noise)."""

COUNTS = {
    "case-spacing": {"pairs": N, "splits": {"train": 56, "test": 4}, "sentences_kept": 37},
    "all-augmenters": {"pairs": N, "splits": {"train": 57, "test": 3}, "sentences_kept": 37},
}
KINDS = {
    "case-spacing": {"paraphrase": 33, "hard": 9, "random": 18},
    "all-augmenters": {"paraphrase": 3, "hard": 18, "random": 39},
}

UPDATE = (
    "The golden build's output changed. If that is intended (you changed reading, segmentation, "
    "pairing, augmentation or labels on purpose), replace the pins in tests/test_golden.py with "
    "the rows printed below and say why in the commit message. If it is not intended, a change "
    "broke reproducibility: same corpus + same seed must give the same rows."
)


def _train_rows(out: Path) -> list[Row]:
    data = pq.read_table(out / "data" / "train-00000-of-00001.parquet").to_pylist()
    prov = pq.read_table(out / "provenance" / "train-00000-of-00001.parquet").to_pylist()
    return [
        (d["sentence1"], d["sentence2"], round(d["score"], 4), p["kind"])
        for d, p in zip(data, prov, strict=True)
    ]


@pytest.mark.parametrize(
    ("name", "augment", "noise_only", "pins"),
    [
        ("case-spacing", ("case", "spacing"), 1.0, NO_SYNONYMS),
        ("all-augmenters", ("synonym", "case", "spacing"), 0.02, ALL_AUGMENTERS),
    ],
    ids=["case-spacing", "all-augmenters"],
)
def test_golden_rows(
    name: str, augment: tuple[str, ...], noise_only: float, pins: dict[int, Row], tmp_path: Path
) -> None:
    report = build(
        GOLDEN,
        tmp_path / "out",
        n=N,
        seed=SEED,
        workers=1,
        segmenter="rules",
        augment=augment,
        noise_only=noise_only,
    )
    rows = _train_rows(tmp_path / "out")
    got = {i: rows[i] for i in pins if i < len(rows)}
    if got != pins:
        listing = "\n".join(f"    {i}: {row!r}," for i, row in sorted(got.items()))
        pytest.fail(f"{UPDATE}\n\naugment={augment}, rows now:\n{listing}", pytrace=False)
    counts = report.counts
    assert {k: counts[k] for k in COUNTS[name]} == COUNTS[name], UPDATE
    assert counts["by_kind"] == KINDS[name], UPDATE
