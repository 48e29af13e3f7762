import difflib
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from xner.projection.base import build_projector, prepare
from xner.projection.names import NameExtractor, NameScorer, folded_name, name_similarity, spelling_score
from xner.types import Alignment, Entity, SentencePair, Span


def test_names_compare_without_case_diacritics_or_inner_marks():
    assert name_similarity("Mobutu", "Mòbútù") == 1.0
    # MasakhaNER Yoruba is NFD, MAFAND-MT NFC: the same name either way
    nfd = unicodedata.normalize("NFD", "Ìbàdàn")
    assert nfd != "Ìbàdàn" and name_similarity("Ibadan", nfd) == name_similarity("Ibadan", "Ìbàdàn") == 1.0
    assert name_similarity("Al-Shabaab", "Al - Shabaab") == 1.0
    assert name_similarity("Kampala", "") == 0.0 and name_similarity("...", "Kampala") == 0.0


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_similarity_is_difflibs_ratio_of_the_folded_names(a, b):
    # the oracle: difflib on the folded texts (identical folded texts score 1)
    fa, fb = folded_name(a), folded_name(b)
    expected = 0.0 if not fa or not fb else 1.0 if fa == fb else difflib.SequenceMatcher(
        None, fa, fb, autojunk=False).ratio()
    assert name_similarity(a, b) == expected
    assert 0.0 <= expected <= 1.0


def test_a_capitalised_name_needs_a_capitalised_candidate():
    assert spelling_score(["US"], ["us"]) == 0.0
    assert spelling_score(["US"], ["US"]) == 1.0
    assert spelling_score(["Kampala"], ["Kampala", ","]) == 0.0  # punctuation never ends a span
    # scripts without case: nothing to compare
    assert spelling_score(["Кампала"], ["Кампала"]) == 1.0


PAIR = SentencePair(
    ("President", "Museveni", "visited", "Kampala", "and", "Mobutu", "."),
    ("Pulezidenti", "Museveni", "yagenze", "e", "Kampala", "ne", "Mòbútù", "."),
    (Entity(1, 2, "PER"), Entity(3, 4, "LOC"), Entity(5, 6, "PER")),
    alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]),  # the aligner missed Kampala and Mobutu
)


def test_the_extractor_proposes_the_spelt_names_only():
    spans = NameExtractor().extract(PAIR)
    assert spans == [[Span(1, 2)], [Span(4, 5)], [Span(6, 7)]]
    split = SentencePair(("Al-Shabaab", "fighters"), ("abalwanyi", "ba", "Al", "-", "Shabaab"),
                         (Entity(0, 1, "ORG"),), alignment=Alignment())
    assert NameExtractor().extract(split) == [[Span(2, 5)]]
    scores = NameScorer().score(PAIR, 1, [Span(4, 5), Span(3, 5), Span(2, 3)])
    assert scores[0] == 1.0 and scores[2] == 0.0


def test_ngram_matching_finds_names_the_aligner_missed():
    without = build_projector("ngram", name_weight=0).project(PAIR)
    assert without.entities == (Entity(1, 2, "PER"),)
    result = build_projector("ngram").project(PAIR)
    assert result.entities == (Entity(1, 2, "PER"), Entity(4, 5, "LOC"), Entity(6, 7, "PER"))
    chosen = [c for c in result.candidates if c.chosen and c.entity_index == 1]
    # the reviewer sees where the candidate came from and why it won
    assert chosen[0].origin == "name" and chosen[0].scores["name"] == 1.0 and chosen[0].scores["alignment"] == 0.0


@given(st.lists(st.sampled_from(["Kampala", "kampala", "Kampa", "Museveni", "e", ",", "Mòbútù", "ne"]),
                min_size=1, max_size=8))
def test_every_name_candidate_lies_in_the_sentence_and_spells_the_name(target):
    pair = SentencePair(PAIR.source_words, tuple(target), PAIR.source_entities, alignment=Alignment())
    for index, spans in enumerate(NameExtractor().extract(pair)):
        entity = pair.source_entities[index]
        for span in spans:
            assert 0 <= span.start < span.end <= len(target) and len(span) <= len(entity) + 2
            assert spelling_score(pair.source_words[entity.start:entity.end], target[span.start:span.end]) >= 0.9
    # whatever is proposed, a projection never overlaps itself
    entities = build_projector("ngram").project(pair).entities
    assert all(not Span(a.start, a.end).overlaps(Span(b.start, b.end)) for a, b in zip(entities, entities[1:]))


def test_prepare_then_project_is_what_every_command_does():
    projector = build_projector("ngram")
    prepare(projector, [PAIR])
    assert projector.project(PAIR).entities == build_projector("ngram").project(PAIR).entities
