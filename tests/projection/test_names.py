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
def test_similarity_is_a_share_that_is_one_only_for_the_same_letters(a, b):
    # (difflib's ratio is not symmetric: the source name is always the first argument)
    value = name_similarity(a, b)
    assert 0.0 <= value <= 1.0
    assert (value == 1.0) == (folded_name(a) == folded_name(b) != "")
    # the cheap bound the extractor prunes with never loses a pair that reaches the threshold
    fa, fb = folded_name(a), folded_name(b)
    if value >= 0.9:
        assert 2 * min(len(fa), len(fb)) >= 0.9 * (len(fa) + len(fb))
    assert name_similarity(a, a + "x") < 1.0 or folded_name(a + "x") == folded_name(a)


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


def test_every_corpus_path_learns_the_edge_words_before_projecting():
    from xner.corpus import project_pairs
    from xner.engine.local import EngineSettings, ShardWorker

    def pair(k):  # "ya" (of) stands beside names: linked to "of" in most pairs, wrongly to the name in the last
        links = [(0, 0), (1, 1), (2, 2)] if k < 4 else [(0, 0), (2, 1), (2, 2)]
        return SentencePair(("lawyer", "of", f"Nam{k}x"), ("munnamateeka", "ya", f"Nam{k}x"), (Entity(2, 3, "PER"),),
                            alignment=Alignment.of(links), id=str(k))

    corpus = [pair(k) for k in range(5)]
    alone = build_projector("ngram", name_weight=0).project(corpus[4])
    assert alone.entities == (Entity(1, 3, "PER"),)  # without the corpus "ya" stays in the span
    projected = project_pairs(corpus, build_projector("ngram", name_weight=0))
    assert projected[4][1].entities == (Entity(2, 3, "PER"),)
    with_pipeline_prepare = build_projector("ngram", name_weight=0)
    prepare(with_pipeline_prepare, corpus)
    assert with_pipeline_prepare.project(corpus[4]).entities == (Entity(2, 3, "PER"),)
