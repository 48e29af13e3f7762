from xner.evaluation.errors import classify_errors
from xner.types import Entity


def test_each_kind_of_error():
    gold = [[Entity(0, 2, "PER"), Entity(3, 4, "LOC"), Entity(6, 7, "ORG")]]
    pred = [[Entity(0, 2, "PER"), Entity(3, 4, "ORG"), Entity(5, 7, "ORG"), Entity(8, 9, "MISC")]]
    kinds = {(e.kind, e.predicted, e.gold) for e in classify_errors(gold, pred)}
    assert kinds == {
        ("type", (Entity(3, 4, "ORG"),), (Entity(3, 4, "LOC"),)),
        ("boundary", (Entity(5, 7, "ORG"),), (Entity(6, 7, "ORG"),)),
        ("spurious", (Entity(8, 9, "MISC"),), ()),
    }
    missed = classify_errors([[Entity(1, 2, "PER")]], [[]])
    assert [(e.kind, e.sentence) for e in missed] == [("missed", 0)]
    assert classify_errors([[Entity(0, 1, "PER")]], [[Entity(0, 1, "PER")]]) == []
