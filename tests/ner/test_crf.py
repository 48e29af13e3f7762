"""The IOB2 linear-chain CRF against enumeration of every tag sequence (the oracle)."""

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.ner.test_decoding import TAGS, is_valid_iob2
from xner.ner.crf import LinearChainCRF
from xner.ner.decoding import decode_iob2

pytestmark = pytest.mark.usefixtures("one_thread")


def random_crf(seed: int) -> LinearChainCRF:
    crf = LinearChainCRF(TAGS)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in (crf.start, crf.transitions, crf.end):
            parameter.copy_(torch.randn(parameter.shape, generator=generator))
    return crf


def sequence_score(crf: LinearChainCRF, emissions: np.ndarray, sequence) -> float:
    """The unnormalised score of one sequence, straight from the definition."""
    start, transitions, end = (p.detach().numpy().astype(np.float64) for p in (crf.start, crf.transitions, crf.end))
    score = start[sequence[0]] + end[sequence[-1]] + sum(emissions[t, k] for t, k in enumerate(sequence))
    return score + sum(transitions[a, b] for a, b in zip(sequence, sequence[1:]))


def enumerate_valid(n_words: int):
    for sequence in itertools.product(range(len(TAGS)), repeat=n_words):
        if is_valid_iob2([TAGS[k] for k in sequence]):
            yield sequence


def oracle(crf, emissions):
    """log Z, the marginals and the best sequence over every valid sequence."""
    sequences = list(enumerate_valid(len(emissions)))
    scores = np.array([sequence_score(crf, emissions, s) for s in sequences])
    log_z = np.logaddexp.reduce(scores)
    marginals = np.zeros(emissions.shape)
    for sequence, score in zip(sequences, scores):
        for t, k in enumerate(sequence):
            marginals[t, k] += np.exp(score - log_z)
    return log_z, marginals, sequences[int(np.argmax(scores))], dict(zip(sequences, scores))


sentence_lengths = st.lists(st.integers(1, 4), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None)
@given(sentence_lengths, st.integers(0, 2**16))
def test_likelihood_marginals_gradient_and_viterbi_match_enumeration(lengths, seed):
    crf = random_crf(seed)
    rng = np.random.default_rng(seed)
    width = max(lengths) + 1  # one padded column beyond the longest sentence
    emissions = rng.normal(size=(len(lengths), width, len(TAGS))).astype(np.float32)
    gold = torch.from_numpy(rng.integers(0, len(TAGS), size=(len(lengths), width)))  # garbage past each end
    for row, n in enumerate(lengths):
        emissions[row, n:] = 1e3 * rng.normal(size=(width - n, len(TAGS)))  # padding must not leak
        valid = list(enumerate_valid(n))
        gold[row, :n] = torch.tensor(valid[rng.integers(len(valid))])  # a random valid sequence, not the best
    emissions = torch.from_numpy(emissions).requires_grad_(True)
    lengths_t = torch.tensor(lengths)
    nll = crf.neg_log_likelihood(emissions, gold, lengths_t)
    nll.sum().backward()
    with torch.no_grad():
        marginals = crf.log_marginals(emissions, lengths_t).exp().numpy()
    for row, n in enumerate(lengths):
        e = emissions[row, :n].detach().double().numpy()
        log_z, expected, best, scores = oracle(crf, e)
        assert nll[row].item() == pytest.approx(log_z - scores[tuple(gold[row, :n].tolist())], abs=1e-3)
        np.testing.assert_allclose(marginals[row, :n], expected, atol=1e-4)
        # d(−log p(gold)) / d(emissions) = marginals − one-hot(gold); nothing past the sentence's end
        one_hot = np.eye(len(TAGS))[gold[row, :n].numpy()]
        np.testing.assert_allclose(emissions.grad[row, :n].numpy(), expected - one_hot, atol=1e-4)
        assert not emissions.grad[row, n:].any()
        decoded = decode_iob2(e, TAGS, **crf.decoding_scores())
        assert sequence_score(crf, e, [TAGS.index(t) for t in decoded]) == pytest.approx(scores[best], abs=1e-9)


def test_invalid_sequences_have_no_probability():
    crf = random_crf(1)
    emissions = torch.zeros(1, 3, len(TAGS))
    emissions[0, :, TAGS.index("I-PER")] = 50.0  # the emissions want I-PER everywhere
    with torch.no_grad():
        marginals = crf.log_marginals(emissions, torch.tensor([3])).exp()[0]
    assert float(marginals[0, TAGS.index("I-PER")]) == 0.0  # never first
    assert torch.allclose(marginals.sum(1), torch.ones(3))
    decoded = decode_iob2(emissions[0].numpy().astype(np.float64), TAGS, **crf.decoding_scores())
    assert decoded[0] != "I-PER" and is_valid_iob2(decoded)


def test_training_lowers_the_likelihood_loss():
    torch.manual_seed(0)
    crf = LinearChainCRF(TAGS)
    emissions = torch.randn(4, 5, len(TAGS), requires_grad=True)
    gold = torch.tensor([[1, 2, 0, 3, 4]] * 4)
    lengths = torch.tensor([5, 5, 4, 2])
    optimizer = torch.optim.Adam([emissions, *crf.parameters()], lr=0.1)
    first = None
    for _ in range(30):
        loss = crf.neg_log_likelihood(emissions, gold, lengths).mean()
        first = first if first is not None else loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.item() < first / 4


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(0, 2**16))
def test_whole_entity_probabilities_match_enumeration(n_words, seed):
    from xner.ner.chain import Chain

    crf = random_crf(seed)
    emissions = np.random.default_rng(seed).normal(size=(n_words, len(TAGS)))
    chain = Chain.of(emissions, crf.decoding_scores(), TAGS)
    _, _, _, scores = oracle(crf, emissions)
    log_z = np.logaddexp.reduce(list(scores.values()))
    spans = [(s, e) for s in range(n_words) for e in range(s + 1, n_words + 1)]
    starts, ends = np.array([s for s, _ in spans]), np.array([e for _, e in spans])
    for label in ("PER", "LOC", None):
        expected = []
        for s, e in spans:  # sequences in which exactly [s, e) is one entity (of label)
            total = 0.0
            for sequence, score in scores.items():
                tags = [TAGS[k] for k in sequence]
                first, rest = tags[s], tags[s + 1 : e]
                kind = first[2:]
                if (first.startswith("B-") and (label is None or kind == label)
                        and all(t == f"I-{kind}" for t in rest) and (e == n_words or tags[e] != f"I-{kind}")):
                    total += np.exp(score - log_z)
            expected.append(total)
        np.testing.assert_allclose(chain.entity_probabilities(starts, ends, label), expected, atol=1e-9)
