import random

from xner.alignment.base import Aligner, aligners, build_aligner
from xner.types import Alignment

LEXICON = {"the": "der", "house": "Haus", "red": "rot", "is": "ist", "small": "klein",
           "dog": "Hund", "big": "gross", "cat": "Katze", "sleeps": "schläft", "old": "alt"}


def corpus(n=300, seed=1):
    """English sentences and a word-by-word 'German' with the last two words swapped."""
    rng = random.Random(seed)
    words = sorted(LEXICON)
    pairs = []
    for _ in range(n):
        src = rng.sample(words, rng.randint(3, 6))
        tgt = [LEXICON[w] for w in src]
        tgt[-2], tgt[-1] = tgt[-1], tgt[-2]
        pairs.append((src, tgt))
    return pairs


def test_eflomal_learns_a_word_for_word_corpus():
    pairs = corpus()
    aligner = build_aligner("eflomal")
    assert isinstance(aligner, Aligner)
    result = aligner.align(pairs)
    assert len(result) == len(pairs)
    correct = total = 0
    for (src, tgt), alignment in zip(pairs, result):
        gold = {(i, tgt.index(LEXICON[w])) for i, w in enumerate(src)}
        correct += len(gold & alignment.links)
        total += len(gold)
    assert correct / total > 0.95


def test_empty_sentences_get_empty_alignments_and_keep_their_place():
    pairs = corpus(50)
    pairs.insert(3, ([], ["x"]))
    result = build_aligner("eflomal-inter").align(pairs)
    assert len(result) == 51 and result[3] == Alignment()
    assert all(len(a) for k, a in enumerate(result) if k != 3)


def test_registered_variants():
    assert {"eflomal", "eflomal-inter", "eflomal-union", "eflomal-fwd", "eflomal-rev"} <= set(aligners.names())
