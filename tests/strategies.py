"""Hypothesis strategies for sentence pairs, entities and alignments."""

from hypothesis import strategies as st

from xner.types import Alignment, Entity, SentencePair

LABELS = ("PER", "ORG", "LOC", "MISC")


@st.composite
def entities(draw, length: int, max_len: int = 4):
    """Non-overlapping entities in a sentence of ``length`` words."""
    result = []
    position = 0
    while position < length:
        position += draw(st.integers(0, 3))
        if position >= length:
            break
        size = draw(st.integers(1, min(max_len, length - position)))
        result.append(Entity(position, position + size, draw(st.sampled_from(LABELS))))
        position += size
    return tuple(result)


@st.composite
def alignments(draw, n_source: int, n_target: int):
    if not n_source or not n_target:
        return Alignment()
    links = draw(st.sets(st.tuples(st.integers(0, n_source - 1), st.integers(0, n_target - 1)), max_size=3 * n_source))
    return Alignment.of(links)


@st.composite
def sentence_pairs(draw, max_words: int = 14):
    n_source = draw(st.integers(1, max_words))
    n_target = draw(st.integers(1, max_words))
    return SentencePair(
        tuple(f"s{i}" for i in range(n_source)),
        tuple(draw(st.sampled_from(["w", "x", "!", ",", "y?"])) + str(j) for j in range(n_target)),
        draw(entities(n_source)),
        alignment=draw(alignments(n_source, n_target)),
    )
