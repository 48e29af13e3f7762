"""How sure a projection is: the score of its weakest chosen candidate.

One measure for every place that ranks sentences by it: the review order "lowest score
first" (:func:`xner.store.store.record_score`) and the scaling study's filter, which keeps
the sentences scoring at least a threshold.

>>> from xner.reasons import Chosen, LeftUnlabelled
>>> from xner.types import Candidate, ProjectionResult, Span
>>> result = ProjectionResult((), (Candidate(0, Span(0, 1), "ngram", {"alignment": 0.5, "name": 1.0}, 1.5, True),
...                                Candidate(1, Span(2, 3), "ngram", {"alignment": 0.75}, 0.75, False,
...                                          LeftUnlabelled("español"))))
>>> weakest_choice(result, 2), weakest_choice(result, 3), weakest_choice(result, 0)
(0.5, 0.0, inf)
"""

from __future__ import annotations

import math

from xner.reasons import left_unlabelled
from xner.types import ProjectionResult


def weakest_choice(result: ProjectionResult, n_source_entities: int) -> float:
    """The lowest score among the candidates chosen for the source entities; an entity with
    none chosen (unprojected) counts 0; a sentence without entities has nothing to doubt (inf).
    A candidate chosen and then left unlabelled as a derived form (``LOC=O``: 'español' is
    not an entity in the target guidelines) counts as chosen: that entity was not lost. A
    candidate's alignment score is read where it has one (the Dice overlap the thresholds were
    chosen for, between 0 and 1; a name found by its spelling alone counts 0), its total
    otherwise (the heuristic's length ratio)."""
    if n_source_entities == 0:
        return math.inf
    best = [0.0] * n_source_entities
    for candidate in result.candidates:
        if ((candidate.chosen or left_unlabelled(candidate.reason))
                and 0 <= candidate.entity_index < n_source_entities):
            score = candidate.scores.get("alignment", candidate.total)
            best[candidate.entity_index] = max(best[candidate.entity_index], score)
    return min(best)
