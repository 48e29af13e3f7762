import pytest

from xner.errors import ConfigError
from xner.projection.base import build_projector
from xner.projection.labels import DERIVED_LABELS, parse_derived_labels, projected_label
from xner.types import Alignment, Entity, SentencePair, Span


def _pair(source, target, entity, links=()):
    return SentencePair(tuple(source.split()), tuple(target.split()), (entity,), alignment=Alignment.of(links))


def test_a_lower_case_single_word_from_a_name_is_a_derived_form():
    pair = _pair("ports in Finland", "finnischen Häfen", Entity(2, 3, "LOC"), [(2, 0), (0, 1)])
    assert projected_label(pair, 0, Span(0, 1)) == "MISC"
    pair = _pair("Community aid", "ayudas comunitarias", Entity(0, 1, "ORG"))
    assert projected_label(pair, 0, Span(1, 2)) == "MISC"


@pytest.mark.parametrize(("source", "target", "entity", "span", "label"), [
    ("in Finland", "in Finnland", Entity(1, 2, "LOC"), Span(1, 2), "LOC"),  # a name stays a name
    ("the German government", "gobierno alemán", Entity(1, 3, "ORG"), Span(0, 2), "ORG"),  # several words
    ("the euro zone", "zona euro", Entity(1, 2, "LOC"), Span(1, 2), "LOC"),  # source not capitalised
    ("Finnish ports", "finnischen Häfen", Entity(0, 1, "MISC"), Span(0, 1), "MISC"),
    ("in Paris", "in parís", Entity(1, 2, "GPE"), Span(1, 2), "GPE"),  # a label outside the mapping
    ("Mr Prodi", "señoría", Entity(1, 2, "PER"), Span(0, 1), "PER"),  # persons: a wrong link, not a form
    # scripts without case: no word has an upper-case letter, names included
    ("in Finland", "في فنلندا", Entity(1, 2, "LOC"), Span(1, 2), "LOC"),
    ("the European Commission", "欧盟委员会 的", Entity(1, 3, "ORG"), Span(0, 1), "ORG"),
    ("in Thailand", "ใน ประเทศไทย", Entity(1, 2, "LOC"), Span(1, 2), "LOC"),
])
def test_everything_else_keeps_its_label(source, target, entity, span, label):
    assert projected_label(_pair(source, target, entity), 0, span) == label


def test_a_lower_case_word_of_another_cased_script_is_a_derived_form():
    pair = _pair("in Greece", "ελληνικά λιμάνια", Entity(1, 2, "LOC"))
    assert projected_label(pair, 0, Span(0, 1)) == "MISC"
    pair = _pair("from Ukraine", "українські порти", Entity(1, 2, "LOC"))
    assert projected_label(pair, 0, Span(0, 1)) == "MISC"


@pytest.mark.parametrize("method", ["heuristic", "ngram"])
def test_projectors_keep_the_label_in_a_script_without_case(method):
    pair = _pair("ports in Finland", "موانئ فنلندا", Entity(2, 3, "LOC"), [(0, 0), (2, 1)])
    assert build_projector(method).project(pair).entities == (Entity(1, 2, "LOC"),)


def test_the_mapping_is_configurable_and_can_be_turned_off():
    assert parse_derived_labels(None) == DERIVED_LABELS
    assert parse_derived_labels("none") == {} and parse_derived_labels("") == {}
    assert parse_derived_labels(" GPE = NORP ,LOC=MISC") == {"GPE": "NORP", "LOC": "MISC"}
    with pytest.raises(ConfigError, match="'LOC' is not SOURCE=TARGET"):
        parse_derived_labels("LOC,ORG=MISC")
    pair = _pair("in Paris", "parisinos", Entity(1, 2, "GPE"))
    assert projected_label(pair, 0, Span(0, 1), parse_derived_labels("GPE=NORP")) == "NORP"


@pytest.mark.parametrize("method", ["heuristic", "ngram"])
def test_projectors_label_derived_forms(method):
    pair = _pair("ports in Belgium and Japan", "belgischen und japanischen Häfen",
                 Entity(2, 3, "LOC"), [(0, 3), (2, 0), (3, 1), (4, 2)])
    pair = SentencePair(pair.source_words, pair.target_words, (Entity(2, 3, "LOC"), Entity(4, 5, "LOC")),
                        alignment=pair.alignment)
    assert build_projector(method).project(pair).entities == (Entity(0, 1, "MISC"), Entity(2, 3, "MISC"))
    assert build_projector(method, derived_labels="none").project(pair).entities == (
        Entity(0, 1, "LOC"), Entity(2, 3, "LOC"))
    if method == "ngram":
        chosen = [c for c in build_projector(method).project(pair).candidates if c.chosen]
        assert all("derived form: labelled MISC" in c.reason for c in chosen)
