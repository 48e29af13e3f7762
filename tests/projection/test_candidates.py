from hypothesis import given
from hypothesis import strategies as st

from xner.projection.candidates import NgramExtractor, ngram_spans
from xner.projection.scores import AlignmentScorer
from xner.types import Alignment, Entity, SentencePair, Span


def test_ngrams_up_to_max_len_skip_stop_characters():
    words = ("a", "b", "c!", "d")
    spans = ngram_spans(words, 0, 4, 2, "!?")
    assert spans == [Span(0, 1), Span(0, 2), Span(1, 2), Span(3, 4)]
    assert len(ngram_spans(("w",) * 12, 0, 12, 10, "")) == sum(min(10, 12 - s) for s in range(12))


@given(st.lists(st.sampled_from(["a", "b!", "?", "¿c?", "d"]), max_size=12), st.data())
def test_ngrams_in_a_window_are_every_short_span_free_of_stop_characters(words, data):
    lo = data.draw(st.integers(0, len(words)))
    hi = data.draw(st.integers(lo, len(words)))
    max_len = data.draw(st.integers(1, 5))
    expected = [Span(s, e) for s in range(lo, hi) for e in range(s + 1, min(hi, s + max_len) + 1)
                if not any(ch in word for word in words[s:e] for ch in "!?")]
    assert ngram_spans(tuple(words), lo, hi, max_len, "!?") == expected


def test_window_restriction_uses_leftmost_and_rightmost_aligned_word():
    p = SentencePair(("x", "y", "z"), tuple("abcdef"), (Entity(0, 2, "PER"), Entity(2, 3, "LOC")),
                     alignment=Alignment.of([(0, 1), (1, 3)]))
    spans = NgramExtractor(window=True).extract(p)
    assert spans[0] == ngram_spans(p.target_words, 1, 4, 10, "!?")
    assert spans[1] == []  # nothing aligned, nothing proposed
    everywhere = NgramExtractor().extract(p)
    assert everywhere[0] == everywhere[1] and len(everywhere[0]) == 21


def test_dice_alignment_score():
    p = SentencePair(("New", "York", "is"), ("Nueva", "York", "es", "x"), (Entity(0, 2, "LOC"),),
                     alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]))
    scores = AlignmentScorer().score(p, 0, [Span(0, 2), Span(0, 3), Span(1, 2), Span(2, 4)])
    assert list(scores) == [1.0, 2 * 2 / 5, 2 * 1 / 3, 0.0]
