import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from simalign import SentenceAligner

from xner.alignment.extraction import apply_distortion, argmax_links, extract_links, itermax_links, match_links
from xner.errors import ConfigError

matrices = st.tuples(st.integers(1, 9), st.integers(1, 9)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=st.floats(0, 1, allow_nan=False, width=32))
)


@settings(max_examples=300, deadline=None)
@given(matrices)
def test_same_links_as_simalign_reference_functions(sim):
    """simalign's own static methods are the oracle for ArgMax, IterMax and distortion."""
    forward, backward = SentenceAligner.get_alignment_matrix(sim)
    assert np.array_equal(argmax_links(sim), (forward * backward) > 0)
    assert np.array_equal(itermax_links(sim), SentenceAligner.iter_max(sim) > 0)
    assert np.allclose(apply_distortion(sim, 0.5), SentenceAligner.apply_distortion(sim, 0.5))


@settings(max_examples=200, deadline=None)
@given(matrices)
def test_structural_properties(sim):
    argmax, itermax, match = argmax_links(sim), itermax_links(sim), match_links(sim)
    assert (argmax <= itermax).all()
    assert (argmax.sum(axis=0) <= 1).all() and (argmax.sum(axis=1) <= 1).all()
    assert (match.sum(axis=0) <= 1).all() and (match.sum(axis=1) <= 1).all()
    assert match.sum() == min(sim.shape)
    # the matching is of maximum weight: no better assignment than the one found
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(sim, maximize=True)
    assert sim[match].sum() == pytest.approx(sim[rows, cols].sum())


def test_itermax_adds_a_second_round_for_unaligned_words():
    # word 2 prefers target 0 but loses it to word 0; in round two target 0 is damped (0.9), so 2-2 wins
    sim = np.array([[0.9, 0.1, 0.2], [0.1, 0.9, 0.1], [0.75, 0.1, 0.7]])
    assert set(zip(*argmax_links(sim).nonzero())) == {(0, 0), (1, 1)}
    assert set(zip(*itermax_links(sim).nonzero())) == {(0, 0), (1, 1), (2, 2)}


def test_unknown_method_and_empty_matrix():
    with pytest.raises(ConfigError, match="argmax, itermax, match"):
        extract_links(np.ones((2, 2)), "best")
    assert extract_links(np.zeros((0, 3))).shape == (0, 3)
