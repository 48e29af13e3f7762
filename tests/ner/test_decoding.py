import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from xner.io.tags import parse_tag
from xner.ner.decoding import allowed_transitions, decode_iob2

TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def is_valid_iob2(tags) -> bool:
    previous = "O"
    for tag in tags:
        prefix, label = parse_tag(tag)
        if prefix == "I" and parse_tag(previous)[1] != label:
            return False
        previous = tag
    return True


def brute_force(log_probs):
    """The best valid sequence by enumerating all of them (the oracle)."""
    best, best_score = None, -np.inf
    for sequence in itertools.product(range(len(TAGS)), repeat=len(log_probs)):
        tags = [TAGS[k] for k in sequence]
        if is_valid_iob2(tags):
            score = sum(log_probs[t, k] for t, k in enumerate(sequence))
            if score > best_score:
                best, best_score = tags, score
    return best, best_score


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.lists(
    st.lists(st.floats(0.01, 1.0), min_size=len(TAGS), max_size=len(TAGS)), min_size=n, max_size=n)))
def test_viterbi_finds_the_best_valid_sequence(rows):
    probs = np.array(rows)
    log_probs = np.log(probs / probs.sum(1, keepdims=True))
    decoded = decode_iob2(log_probs, TAGS)
    assert is_valid_iob2(decoded)  # never I- after O, after another label, or first
    _, best_score = brute_force(log_probs)
    score = sum(log_probs[t, TAGS.index(tag)] for t, tag in enumerate(decoded))
    assert abs(score - best_score) < 1e-9


def test_decoding_repairs_what_argmax_gets_wrong():
    # argmax says O I-PER: the valid best is O B-PER or O O, whichever is likelier
    log_probs = np.log(np.array([[0.9, 0.05, 0.01, 0.02, 0.02], [0.1, 0.3, 0.5, 0.05, 0.05]]))
    assert decode_iob2(log_probs, TAGS) == ["O", "B-PER"]
    assert decode_iob2(np.zeros((0, len(TAGS))), TAGS) == []


def test_transition_table():
    start, transition = allowed_transitions(TAGS)
    assert start.tolist() == [True, True, False, True, False]
    assert transition[TAGS.index("B-PER"), TAGS.index("I-PER")]
    assert not transition[TAGS.index("O"), TAGS.index("I-PER")]
    assert not transition[TAGS.index("I-LOC"), TAGS.index("I-PER")]
