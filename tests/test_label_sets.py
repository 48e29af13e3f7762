import pytest

from xner.errors import ConfigError
from xner.label_sets import PRESETS, LabelSet, parse_label_set
from xner.types import Candidate, Entity, ProjectionResult, Sentence, Span

ENTITIES = (Entity(0, 1, "PER"), Entity(1, 2, "MISC"), Entity(2, 3, "GPE"), Entity(3, 4, "DATE"))


def test_masakhaner_has_no_misc_and_keeps_date():
    assert parse_label_set("masakhaner") is PRESETS["masakhaner"]
    assert PRESETS["masakhaner"].entities(ENTITIES) == (Entity(0, 1, "PER"), Entity(3, 4, "DATE"))
    assert PRESETS["conll"].entities(ENTITIES) == (Entity(0, 1, "PER"), Entity(1, 2, "MISC"))


def test_labels_and_mappings():
    label_set = parse_label_set("PER, LOC,GPE=LOC,MISC=O")
    assert label_set == LabelSet(("PER", "LOC"), {"GPE": "LOC", "MISC": "O"})
    assert label_set.entities(ENTITIES) == (Entity(0, 1, "PER"), Entity(2, 3, "LOC"))
    assert str(label_set) == "PER, LOC (GPE → LOC, MISC → O; any other label → O)"
    assert parse_label_set(None) is None and parse_label_set(" ") is None


@pytest.mark.parametrize("spec, message", [
    ("masakaner", "no such preset"), ("PER,,LOC", "write a preset"), ("PER,GPE=", "write a preset"),
    ("PER,GPE=LOC", "GPE=LOC maps to a label the set does not have"),
])
def test_a_bad_label_set_says_what_to_write(spec, message):
    with pytest.raises(ConfigError, match=message) as raised:
        parse_label_set(spec)
    assert raised.value.worded(lambda key: "--" + key).startswith("--labels")


def test_projection_in_the_target_labels():
    masakhaner = PRESETS["masakhaner"]
    chosen = Candidate(entity_index=1, span=Span(1, 2), origin="ngram", scores={}, total=1.0, chosen=True)
    result = ProjectionResult(entities=ENTITIES[:2], candidates=(chosen,), method="ngram")
    restricted = masakhaner.projection(result)
    assert restricted.entities == (Entity(0, 1, "PER"),) and restricted.candidates == (chosen,)
    assert masakhaner.sentence(Sentence(("a", "b"), ENTITIES[:2])).entities == (Entity(0, 1, "PER"),)
