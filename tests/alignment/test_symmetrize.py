import pytest
from hypothesis import given
from hypothesis import strategies as st

from xner.alignment.symmetrize import METHODS, symmetrize
from xner.errors import ConfigError

links = st.sets(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=20)


@given(links, links)
def test_methods_lie_between_intersection_and_union(forward, reverse):
    inter, union = forward & reverse, forward | reverse
    gd = symmetrize(forward, reverse, "grow-diag")
    assert symmetrize(forward, reverse, "intersection") == inter
    assert symmetrize(forward, reverse, "union") == union
    assert inter <= gd <= symmetrize(forward, reverse, "grow-diag-final-and") <= union
    assert gd <= symmetrize(forward, reverse, "grow-diag-final") <= union


def test_grow_diag_adds_neighbours_of_which_one_word_is_unaligned():
    forward = {(0, 0), (1, 1), (2, 1)}
    reverse = {(0, 0), (1, 1)}
    # 2-1 neighbours 1-1 and its source word 2 is still unaligned
    assert symmetrize(forward, reverse, "grow-diag") == forward
    # a union link away from the intersection is not grown into
    assert symmetrize({(0, 0), (4, 4)}, {(0, 0)}, "grow-diag") == {(0, 0)}


def test_final_and_needs_both_words_unaligned_final_needs_one():
    forward = {(0, 0), (2, 5), (3, 0)}
    reverse = {(0, 0)}
    assert symmetrize(forward, reverse, "grow-diag") == {(0, 0)}
    assert symmetrize(forward, reverse, "grow-diag-final-and") == {(0, 0), (2, 5)}
    assert symmetrize(forward, reverse, "grow-diag-final") == {(0, 0), (2, 5), (3, 0)}


def test_unknown_method():
    with pytest.raises(ConfigError, match="grow-diag-final-and"):
        symmetrize(set(), set(), "grow")
    assert "forward" in METHODS
