from hypothesis import given
from hypothesis import strategies as st

from xner.projection.base import build_projector, prepare
from xner.projection.boundaries import BoundaryTrimmer, EdgeLexicon, is_edge_punctuation, stop_words
from xner.reasons import Chosen, describe
from xner.types import Alignment, Entity, SentencePair, Span


def test_punctuation_is_trimmed_but_brackets_stay():
    words = ("«", "Comisión", "de", "Industria", ",", "(", "COS", ")", ".")
    trimmer = BoundaryTrimmer()
    assert trimmer.trim(words, Span(1, 5)) == Span(1, 4)
    assert trimmer.trim(words, Span(5, 9)) == Span(5, 8)
    assert trimmer.trim(words, Span(4, 5)) is None
    assert trimmer.trim(words, Span(0, 2)) == Span(0, 2)  # « (Unicode Pi) may open a title: kept


def _pair(source, target, entity, links):
    return SentencePair(tuple(source.split()), tuple(target.split()), (entity,), alignment=Alignment.of(links))


def test_unaligned_function_words_are_trimmed_capitalised_ones_stay():
    assert {"der", "den", "und"} <= stop_words("de") and stop_words("xx-none") == frozenset()
    trimmer = BoundaryTrimmer(lang="de")
    # "in" is linked to the source's "in" (outside the entity), "den" to "the": both go
    pair = _pair("in the Netherlands", "in den Niederlanden", Entity(2, 3, "LOC"), [(0, 0), (1, 1), (2, 2)])
    assert trimmer.refine(pair, 0, Span(0, 3)) == Span(2, 3)
    pair = _pair("the Greens", "Die Grünen", Entity(0, 2, "ORG"), [(0, 0), (1, 1)])
    assert trimmer.refine(pair, 0, Span(0, 2)) == Span(0, 2)
    # without a target language only punctuation is trimmed
    pair = _pair("the Netherlands .", "den Niederlanden .", Entity(1, 2, "LOC"), [(0, 0), (1, 1)])
    assert BoundaryTrimmer().refine(pair, 0, Span(0, 3)) == Span(0, 2)


def test_function_words_aligned_to_the_entity_or_mirroring_its_edge_stay():
    trimmer = BoundaryTrimmer(lang="es")
    assert "estados" in stop_words("es")  # spaCy's list holds some content words
    pair = _pair("the Member States", "los estados miembros", Entity(1, 3, "ORG"), [(0, 0), (1, 2), (2, 1)])
    assert trimmer.refine(pair, 0, Span(0, 3)) == Span(1, 3)
    # the source name starts with a lower-case particle itself: the target one is kept
    pair = _pair("Mrs de Palacio", "Sra. de Palacio", Entity(1, 3, "PER"), [(0, 0), (2, 2)])
    assert trimmer.refine(pair, 0, Span(1, 3)) == Span(1, 3)
    # nothing but function words left: no span
    pair = _pair("the Union", "la de", Entity(0, 2, "ORG"), [(0, 0)])
    assert trimmer.refine(pair, 0, Span(0, 2)) is None


WORDS = ["der", "den", "in", "Union", "Europäischen", ",", ".", "(", "Rat", "und"]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.data())
def test_refined_spans_stay_inside_and_lose_only_removable_edges(target, data):
    start = data.draw(st.integers(0, len(target) - 1))
    end = data.draw(st.integers(start + 1, len(target)))
    links = data.draw(st.sets(st.tuples(st.integers(0, 2), st.integers(0, len(target) - 1))))
    pair = SentencePair(("the", "European", "Union"), tuple(target), (Entity(1, 3, "ORG"),),
                        alignment=Alignment.of(links))
    trimmer = BoundaryTrimmer(lang="de")
    refined = trimmer.refine(pair, 0, Span(start, end))
    if refined is None:
        return
    assert start <= refined.start < refined.end <= end
    assert not is_edge_punctuation(target[refined.start]) and not is_edge_punctuation(target[refined.end - 1])
    for j in [*range(start, refined.start), *range(refined.end, end)]:  # each dropped word was droppable
        aligned_to_content = any(i in (1, 2) and jj == j for i, jj in links)
        assert is_edge_punctuation(target[j]) or (trimmer.function_word(target[j]) and not aligned_to_content)


def test_ngram_matching_skips_punctuation_edges_and_trims_function_words_after_choosing():
    pair = SentencePair(("the", "Netherlands", "."), ("die", "Niederlande", "."), (Entity(1, 2, "LOC"),),
                        alignment=Alignment.of([(0, 0), (1, 1), (1, 2)]))
    assert build_projector("ngram", trim_punctuation=False).project(pair).entities == (Entity(1, 3, "LOC"),)
    assert build_projector("ngram").project(pair).entities == (Entity(1, 2, "LOC"),)
    # "der" is linked to "and", a function word inside the entity: the overlap score
    # prefers the span with it, the trimming takes it off again
    pair = _pair("no Health and Safety Committee meeting", "der Arbeitsschutzausschuß tagte",
                 Entity(1, 5, "ORG"), [(2, 0), (1, 1), (3, 1), (4, 1), (5, 2)])
    assert build_projector("ngram").project(pair).entities == (Entity(0, 2, "ORG"),)
    result = build_projector("ngram", trim_stop_words="de").project(pair)
    assert result.entities == (Entity(1, 2, "ORG"),)
    chosen = [c for c in result.candidates if c.chosen]
    assert [c.span for c in chosen] == [Span(1, 2)] and chosen[0].reason == Chosen(("der",))
    assert describe(chosen[0].reason) == "chosen (edge words trimmed: der)"


def test_a_function_word_veto_no_longer_pushes_the_choice_outward():
    # Before: spans starting with "del" were not proposed, so "enmiendas del Grupo Liberal" won.
    pair = _pair("amendments of the Liberal Group", "enmiendas del Grupo Liberal", Entity(3, 5, "ORG"),
                 [(0, 0), (2, 1), (3, 3), (4, 2)])
    assert build_projector("ngram", trim_stop_words="es").project(pair).entities == (Entity(2, 4, "ORG"),)
    assert build_projector("heuristic", trim_stop_words="es").project(pair).entities == (Entity(2, 4, "ORG"),)


def test_stop_words_are_spacys_lists_read_without_importing_spacy():
    import subprocess
    import sys

    probe = ("import sys; from xner.projection.boundaries import stop_words; "
             "print(len(stop_words('de')), 'der' in stop_words('de'), stop_words('xx') == frozenset(), "
             "'spacy' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out[1:] == ["True", "True", "False", "False"] and int(out[0]) > 100
    import importlib

    from xner.projection.boundaries import stop_words

    for lang in ("de", "es", "en", "fr", "it", "nl", "ht", "lt"):  # en, fr, ht add apostrophe variants in code
        listed = importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
        assert stop_words(lang) == frozenset(w.lower() for w in listed), lang
    assert stop_words("../de") == frozenset()


def _luganda_corpus():
    """"ya" (of) and "Pulezidenti" (President) stand beside names: linked outside them but once."""
    return [
        _pair("the story of Bichisha", "emboozi ya Bichisha", Entity(3, 4, "PER"), [(1, 0), (2, 1), (3, 2)]),
        _pair("the house of Kayumba", "ennyumba ya Kayumba", Entity(3, 4, "PER"), [(1, 0), (2, 1), (3, 2)]),
        _pair("the car of Masetera", "emmotoka ya Masetera", Entity(3, 4, "PER"), [(1, 0), (2, 1), (3, 2)]),
        _pair("President Museveni spoke", "Pulezidenti Museveni yayogedde", Entity(1, 2, "PER"), [(0, 0), (1, 1), (2, 2)]),
        _pair("President Obama came", "Pulezidenti Obama yajja", Entity(1, 2, "PER"), [(0, 0), (1, 1), (2, 2)]),
        _pair("the President said", "Pulezidenti yagambye", Entity(0, 1, "ORG"), []),
        _pair("President Kagame left", "Pulezidenti Kagame yagenda", Entity(1, 2, "PER"), [(0, 0), (1, 1), (2, 2)]),
    ]


def test_edge_words_are_learned_from_the_corpus_alignments():
    lexicon = EdgeLexicon().learn(_luganda_corpus())
    assert lexicon.is_edge_word("ya") and lexicon.is_edge_word("PULEZIDENTI")
    assert not lexicon.is_edge_word("Bichisha")  # inside a name, and too rare anyway
    assert lexicon.words()[:2] == ["ya", "pulezidenti"]
    # each learn replaces the last: what a corpus teaches does not leak into the next
    assert not lexicon.learn(_luganda_corpus()[:1]).is_edge_word("ya")


def test_a_learned_edge_word_goes_unless_it_is_a_name_words_only_target():
    trimmer = BoundaryTrimmer(learned=EdgeLexicon().learn(_luganda_corpus()))
    # "ya" wrongly linked to "Bichisha", which "Bichisha" covers: trimmed
    pair = _pair("the lawyer of Bichisha", "munnamateeka ya Bichisha", Entity(3, 4, "PER"), [(1, 0), (3, 1), (3, 2)])
    assert trimmer.refine(pair, 0, Span(1, 3)) == Span(2, 3)
    # a title inside the English entity, aligned to nothing else: it is the name's own word and stays
    pair = _pair("President Museveni", "Pulezidenti Museveni", Entity(0, 2, "PER"), [(0, 0), (1, 1)])
    assert trimmer.refine(pair, 0, Span(0, 2)) == Span(0, 2)
    # no lexicon, no learned trimming: the lists alone (none here) and punctuation
    assert BoundaryTrimmer().refine(_pair("of Bichisha", "ya Bichisha", Entity(1, 2, "PER"), [(1, 0), (1, 1)]),
                                    0, Span(0, 2)) == Span(0, 2)


def test_projectors_learn_edge_words_when_prepared():
    corpus = _luganda_corpus()
    pair = _pair("the lawyer of Bichisha", "munnamateeka ya Bichisha", Entity(3, 4, "PER"), [(1, 0), (3, 1), (3, 2)])
    options = {"heuristic": {}, "ngram": {"name_weight": 0}}  # (the spelling alone would find "Bichisha")
    for method in ("heuristic", "ngram"):
        projector = build_projector(method, **options[method])
        assert projector.project(pair).entities == (Entity(1, 3, "PER"),), method  # nothing learned yet
        prepare(projector, [*corpus, pair])
        assert projector.project(pair).entities == (Entity(2, 3, "PER"),), method
        unlearned = build_projector(method, learn_edges=False, **options[method])
        prepare(unlearned, [*corpus, pair])
        assert unlearned.project(pair).entities == (Entity(1, 3, "PER"),), method
