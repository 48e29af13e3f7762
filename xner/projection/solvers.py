"""Selecting one candidate per source entity without overlaps (METHOD §4.3).

Both solvers maximise ``sum c(s, t) * x(s, t)`` subject to: each source entity is used
at most once, and chosen target spans never share a word. Pairs with a score <= 0 are
never chosen. ``solve_greedy`` is the published default; ``solve_exact`` is an integer
program (``scipy.optimize.milp``) kept as a reference and an oracle for tests.

Each returns, per input pair, ``(chosen, reason)`` (a :mod:`xner.reasons` value).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from xner.errors import ConfigError
from xner.reasons import AlreadyMatched, Chosen, NotOptimal, Overlaps, Reason, ZeroScore
from xner.types import Span

Pair = tuple[int, Span, float]
Decision = tuple[bool, Reason]
CHOSEN: Decision = (True, Chosen())
ZERO: Decision = (False, ZeroScore())


def solve_greedy(pairs: Sequence[Pair]) -> list[Decision]:
    """Take the best remaining pair, drop every candidate overlapping it, retire the entity.

    Ties go to the lower entity index, then the leftmost, then the shorter span, so the
    result does not depend on input order.
    """
    decisions: list[Decision] = [ZERO] * len(pairs)
    order = sorted(range(len(pairs)), key=lambda p: (-pairs[p][2], pairs[p][0], pairs[p][1].start, pairs[p][1].end))
    # the rejection a choice causes, written once when it is made (most candidates are rejected)
    matched: dict[int, Decision] = {}  # entity -> why its other candidates are not chosen
    owner: dict[int, Decision] = {}  # target word -> why candidates covering it are not chosen
    for p in order:
        entity, span, total = pairs[p]
        if total <= 0:
            decisions[p] = ZERO
        elif entity in matched:
            decisions[p] = matched[entity]
        elif (clash := next((owner[w] for w in span.indices() if w in owner), None)) is not None:
            decisions[p] = clash
        else:
            decisions[p] = CHOSEN
            matched[entity] = (False, AlreadyMatched(span.start, span.end, total))
            overlapped = (False, Overlaps(span.start, span.end, entity))
            owner.update((w, overlapped) for w in span.indices())
    return decisions


def solve_exact(pairs: Sequence[Pair]) -> list[Decision]:
    """Optimal selection by mixed-integer linear programming."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    live = [p for p, (_, _, total) in enumerate(pairs) if total > 0]
    decisions: list[Decision] = [ZERO] * len(pairs)
    if not live:
        return decisions
    entities = sorted({pairs[p][0] for p in live})
    entity_row = {e: r for r, e in enumerate(entities)}
    words = sorted({w for p in live for w in pairs[p][1].indices()})
    word_row = {w: len(entities) + r for r, w in enumerate(words)}
    rows, cols = [], []
    for col, p in enumerate(live):
        entity, span, _ = pairs[p]
        rows.append(entity_row[entity])
        cols.append(col)
        for w in span.indices():
            rows.append(word_row[w])
            cols.append(col)
    matrix = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(entities) + len(words), len(live)))
    cost = -np.array([pairs[p][2] for p in live])
    result = milp(
        cost, constraints=LinearConstraint(matrix.tocsr(), -np.inf, 1.0),
        integrality=np.ones(len(live)), bounds=Bounds(0, 1),
    )
    if not result.success:  # pragma: no cover - a feasible all-zero solution always exists
        raise RuntimeError(f"the exact solver failed: {result.message}")
    for col, p in enumerate(live):
        decisions[p] = CHOSEN if result.x[col] > 0.5 else (False, NotOptimal())
    return decisions


SOLVERS: dict[str, Callable[[Sequence[Pair]], list[Decision]]] = {
    "greedy": solve_greedy,
    "exact": solve_exact,
}


def get_solver(name: str) -> Callable[[Sequence[Pair]], list[Decision]]:
    try:
        return SOLVERS[name]
    except KeyError:
        raise ConfigError(f"unknown solver {name!r}; choose one of: {', '.join(SOLVERS)}") from None


def objective(pairs: Sequence[Pair], decisions: Sequence[Decision]) -> float:
    return float(sum(total for (_, _, total), (chosen, _) in zip(pairs, decisions) if chosen))
