import pytest
from hypothesis import given
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities

from tests.strategies import entities
from xner.io.tags import detect_scheme, entities_to_tags, parse_tag, tags_to_entities
from xner.types import Entity

LABELS = ["PER", "LOC"]


def as_tuples(found):
    return sorted((e.label, e.start, e.end - 1) for e in found)


@given(st.lists(st.sampled_from(["O"] + [f"{p}-{l}" for p in "BI" for l in LABELS]), max_size=20))
def test_iob_decoding_matches_seqeval(tags):
    assert as_tuples(tags_to_entities(tags)) == sorted(get_entities(tags))


@st.composite
def bioes_sequences(draw):
    """Well-formed BIOES sequences (seqeval's IOBES reading is only defined for those)."""
    tags = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["O", "S", "M"]))
        label = draw(st.sampled_from(LABELS))
        if kind == "O":
            tags.append("O")
        elif kind == "S":
            tags.append(f"S-{label}")
        else:
            inner = draw(st.integers(0, 3))
            tags += [f"B-{label}"] + [f"I-{label}"] * inner + [f"E-{label}"]
    return tags


@given(bioes_sequences())
def test_bioes_decoding_matches_seqeval(tags):
    assert as_tuples(tags_to_entities(tags)) == sorted(get_entities(tags))


@given(bioes_sequences())
def test_bilou_decoding_matches_seqeval_strict_bilou(tags):
    """BILOU's U-/L- are S-/E- by another name: decoded as seqeval's strict mode with
    ``scheme=BILOU`` does (its default mode does not know them, issue 22)."""
    from seqeval.scheme import BILOU, Entities

    bilou = [t.replace("S-", "U-").replace("E-", "L-") for t in tags]
    expected = sorted((e.tag, e.start, e.end - 1) for e in Entities([bilou], BILOU).entities[0])
    assert as_tuples(tags_to_entities(bilou)) == expected


@given(st.integers(1, 20).flatmap(lambda n: st.tuples(st.just(n), entities(n))))
def test_iob2_round_trip(case):
    length, found = case
    tags = entities_to_tags(length, found)
    assert tuple(tags_to_entities(tags)) == found
    assert detect_scheme(tags) == "IOB2"


def test_iob1_and_bilou_spellings():
    # IOB1: I- opens an entity, B- only separates two adjacent same-type entities.
    assert tags_to_entities(["I-PER", "I-PER", "B-PER", "O", "I-LOC"]) == [
        Entity(0, 2, "PER"), Entity(2, 3, "PER"), Entity(4, 5, "LOC")]
    assert detect_scheme(["I-PER", "O"]) == "IOB1"
    assert tags_to_entities(["B-ORG", "L-ORG", "U-LOC"]) == [Entity(0, 2, "ORG"), Entity(2, 3, "LOC")]
    assert detect_scheme(["U-LOC"]) == "BIOES"


@pytest.mark.parametrize("bad", ["PER", "B-", "X-PER", "b-PER", ""])
def test_bad_tags_are_named(bad):
    with pytest.raises(ValueError, match="is not a tag"):
        parse_tag(bad)


def test_entities_to_tags_rejects_overlap_and_overflow():
    with pytest.raises(ValueError, match="overlaps"):
        entities_to_tags(4, [Entity(0, 2, "PER"), Entity(1, 3, "LOC")])
    with pytest.raises(ValueError, match="does not fit"):
        entities_to_tags(2, [Entity(1, 3, "PER")])
