from xner.projection.base import build_projector
from xner.projection.boundaries import BoundaryTrimmer, stop_words
from xner.types import Alignment, Entity, SentencePair, Span


def test_punctuation_is_trimmed_but_brackets_stay():
    words = ("«", "Comisión", "de", "Industria", ",", "(", "COS", ")", ".")
    trimmer = BoundaryTrimmer()
    assert trimmer.trim(words, Span(1, 5)) == Span(1, 4)
    assert trimmer.trim(words, Span(5, 9)) == Span(5, 8)
    assert trimmer.trim(words, Span(4, 5)) is None
    assert trimmer.trim(words, Span(0, 2)) == Span(0, 2)  # « (Unicode Pi) may open a title: kept


def test_stop_words_only_when_lower_case():
    assert {"der", "den", "und"} <= stop_words("de") and stop_words("xx-none") == frozenset()
    trimmer = BoundaryTrimmer(lang="de")
    words = ("den", "Niederlanden", "Die", "Grünen")
    assert trimmer.trim(words, Span(0, 2)) == Span(1, 2)
    assert trimmer.trim(words, Span(2, 4)) == Span(2, 4)
    assert BoundaryTrimmer().trim(words, Span(0, 2)) == Span(0, 2)


def test_ngram_matching_skips_candidates_with_untrimmed_edges():
    pair = SentencePair(("the", "Netherlands", "."), ("den", "Niederlanden", "."), (Entity(0, 2, "LOC"),),
                        alignment=Alignment.of([(0, 0), (1, 1), (1, 2)]))
    assert build_projector("ngram", trim_punctuation=False).project(pair).entities == (Entity(0, 3, "LOC"),)
    assert build_projector("ngram").project(pair).entities == (Entity(0, 2, "LOC"),)
    assert build_projector("ngram", trim_stop_words="de").project(pair).entities == (Entity(1, 2, "LOC"),)
