import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xner.errors import ConfigError
from xner.projection.solvers import get_solver, objective, solve_exact, solve_greedy
from xner.reasons import AlreadyMatched, Chosen, NotOptimal, Overlaps, ZeroScore, describe
from xner.types import Span


@st.composite
def instances(draw):
    n_entities = draw(st.integers(1, 4))
    n_words = draw(st.integers(1, 8))
    pairs = []
    for _ in range(draw(st.integers(0, 9))):
        start = draw(st.integers(0, n_words - 1))
        end = draw(st.integers(start + 1, n_words))
        score = draw(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.6, 0.8, 1.0]))
        pairs.append((draw(st.integers(0, n_entities - 1)), Span(start, end), score))
    return pairs


def feasible(pairs, decisions):
    chosen = [p for p, (c, _) in zip(pairs, decisions) if c]
    entities = [e for e, _, _ in chosen]
    spans = [s for _, s, _ in chosen]
    return (len(entities) == len(set(entities))
            and not any(a.overlaps(b) for a, b in itertools.combinations(spans, 2))
            and all(t > 0 for _, _, t in chosen))


def brute_force(pairs):
    best = 0.0
    for mask in itertools.product([False, True], repeat=len(pairs)):
        decisions = [(m, "") for m in mask]
        if feasible(pairs, decisions):
            best = max(best, objective(pairs, decisions))
    return best


@settings(max_examples=150, deadline=None)
@given(instances())
def test_exact_is_optimal_and_greedy_is_feasible_and_never_better(pairs):
    greedy, exact = solve_greedy(pairs), solve_exact(pairs)
    assert feasible(pairs, greedy) and feasible(pairs, exact)
    assert objective(pairs, exact) == pytest.approx(brute_force(pairs))
    assert objective(pairs, exact) >= objective(pairs, greedy) - 1e-9


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from([0.3, 0.7, 1.0])), max_size=6))
def test_equal_on_easy_instances_with_disjoint_candidates(items):
    # each entity gets its own disjoint spans: no conflict between entities, greedy is optimal
    pairs = []
    for entity, (offset, score) in enumerate(items):
        base = entity * 50
        pairs.append((entity, Span(base + offset, base + offset + 2), score))
        pairs.append((entity, Span(base + offset + 5, base + offset + 6), score / 2))
    assert objective(pairs, solve_greedy(pairs)) == pytest.approx(objective(pairs, solve_exact(pairs)))


def test_greedy_can_be_suboptimal_and_exact_is_not():
    # the best single pair blocks two others whose sum is larger
    pairs = [(0, Span(0, 3), 1.0), (0, Span(0, 1), 0.9), (1, Span(2, 3), 0.9)]
    assert objective(pairs, solve_greedy(pairs)) == pytest.approx(1.0)
    assert objective(pairs, solve_exact(pairs)) == pytest.approx(1.8)


def test_reasons_explain_rejections():
    pairs = [(0, Span(0, 2), 1.0), (0, Span(3, 4), 0.5), (1, Span(1, 3), 0.8), (1, Span(5, 6), 0.0)]
    reasons = [r for _, r in solve_greedy(pairs)]
    assert reasons == [Chosen(), AlreadyMatched(0, 2, 1.0), Overlaps(0, 2, 0, "chosen for"), ZeroScore()]
    # in files, as they have always been written
    assert [describe(r) for r in reasons] == ["chosen", "entity already matched to [0, 2) with 1.000",
                                              "overlaps [0, 2) chosen for source entity 0", "score is 0"]
    assert [r for _, r in solve_exact(pairs)] == [NotOptimal(), Chosen(), Chosen(), ZeroScore()]


def test_unknown_solver():
    with pytest.raises(ConfigError, match="greedy, exact"):
        get_solver("annealing")
