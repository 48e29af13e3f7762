"""One "weakest chosen candidate": the review order and the scaling filter rank alike."""

import pytest

from xner.io.jsonl import pair_to_record
from xner.projection.base import build_projector
from xner.projection.confidence import weakest_choice
from xner.store.datasets import record_score
from xner.types import Alignment, Entity, SentencePair

SPANISH = SentencePair(("the", "Spanish", "minister", "in", "Madrid"), ("el", "ministro", "español", "en", "Madrid"),
                       (Entity(1, 2, "MISC"), Entity(4, 5, "LOC")),
                       alignment=Alignment.of([(0, 0), (1, 2), (2, 1), (3, 3), (4, 4)]))
LOST = SentencePair(("in", "Madrid"), ("en", "casa"), (Entity(1, 2, "LOC"),), alignment=Alignment.of([(0, 0)]))


@pytest.mark.parametrize("method", ["heuristic", "ngram"])
@pytest.mark.parametrize("pair", [SPANISH, LOST])
@pytest.mark.parametrize("derived_labels", [None, "LOC=O,ORG=O,MISC=O"])
def test_the_store_scores_a_record_as_the_scaling_filter_does(method, pair, derived_labels):
    result = build_projector(method, derived_labels=derived_labels).project(pair)
    assert record_score(pair_to_record(pair, result)) == weakest_choice(result, len(pair.source_entities))


def test_a_derived_form_left_unlabelled_is_not_ranked_as_lost():
    """'español' left O (CoNLL-2002 Spanish) was projected as the guidelines want: its sentence
    is as sure as with the MISC label, not first in "lowest score first"."""
    unlabelled = build_projector("ngram", derived_labels="LOC=O,ORG=O,MISC=O").project(SPANISH)
    labelled = build_projector("ngram").project(SPANISH)
    assert len(unlabelled.entities) == 1 and len(labelled.entities) == 2
    assert record_score(pair_to_record(SPANISH, unlabelled)) == record_score(pair_to_record(SPANISH, labelled)) > 0
    assert record_score(pair_to_record(LOST, build_projector("ngram").project(LOST))) == 0.0
