import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.tiny_models import build_tiny_bert
from xner.alignment.base import build_aligner
from xner.alignment.embedding import EmbeddingAligner, words_linked
from xner.errors import ConfigError
from xner.io.conll import read_conll
from xner.models.e5_convert import ensure_default_encoder
from xner.types import Alignment

N_PAIRS = 40


@pytest.fixture(scope="module")
def europarl_pairs(shared_data):
    en = read_conll(shared_data / "europarl/en.europarl.test.conll")
    de = read_conll(shared_data / "europarl/de.europarl.test.conll")
    return [(s.words, t.words) for s, t in zip(en[:N_PAIRS], de[:N_PAIRS])]


@pytest.mark.parametrize("level, token_type", [("word", "word"), ("subword", "bpe")])
def test_links_agree_with_the_simalign_package(europarl_pairs, level, token_type):
    """Same model, same layer: our batched ArgMax / IterMax links equal simalign's, pair by pair."""
    from simalign import SentenceAligner

    model_dir = str(ensure_default_encoder())
    reference = SentenceAligner(model=model_dir, token_type=token_type, matching_methods="ai", layer=8)
    expected = [reference.get_word_aligns(list(s), list(t)) for s, t in europarl_pairs]
    for method, key in (("argmax", "inter"), ("itermax", "itermax")):
        ours = EmbeddingAligner(model=model_dir, layer=8, method=method, level=level,
                                precision="float32").align(europarl_pairs)
        same = sum(a.links == set(map(tuple, e[key])) for a, e in zip(ours, expected))
        total = sum(len(set(map(tuple, e[key]))) for e in expected)
        agreed = sum(len(a.links & set(map(tuple, e[key]))) for a, e in zip(ours, expected))
        # Float noise from batching with padding may flip a near-tie; anything more is a bug.
        assert same >= N_PAIRS - 2, (method, same)
        assert agreed / total > 0.995, (method, agreed / total)


def test_each_distinct_sentence_is_encoded_once(tmp_path, monkeypatch):
    model = build_tiny_bert(tmp_path / "tiny")
    aligner = EmbeddingAligner(model=str(model), layer=2)
    seen = []
    original = type(aligner.encoder).encode

    def spy(self, sentences):
        seen.extend(map(tuple, sentences))
        return original(self, sentences)

    monkeypatch.setattr(type(aligner.encoder), "encode", spy)
    english = ("Angela", "Merkel", "visited", "Paris")
    result = aligner.align([(english, ("Angela", "Merkel", "besuchte", "Paris")),
                            (english, ("Angela", "Merkel", "visitó", "París")), ((), ("x",))])
    assert len(seen) == len(set(seen)) == 3
    assert result[2] == Alignment() and all(len(a) for a in result[:2])


def test_links_carry_similarity_scores_and_respect_bounds(tmp_path):
    model = build_tiny_bert(tmp_path / "tiny")
    pair = (("The", "European", "Parliament"), ("Das", "Europäische", "Parlament", "tagte"))
    for level in ("word", "subword"):
        (alignment,) = EmbeddingAligner(model=str(model), layer=1, level=level, method="match").align([pair])
        alignment.check_bounds(3, 4)
        assert set(alignment.scores) == alignment.links and all(0 <= s <= 1 for s in alignment.scores.values())
    sim = EmbeddingAligner(model=str(model), layer=1).word_similarity(*pair)
    assert sim.shape == (3, 4) and np.all((sim >= 0) & (sim <= 1))


def test_registry_names_and_bad_settings():
    assert build_aligner("embedding-argmax").method == "argmax"
    assert build_aligner("embedding", layer=6).layer == 6
    with pytest.raises(ConfigError):
        EmbeddingAligner(level="char")


def words_linked_by_dict(rows, cols, scores):
    """The reference: a word pair's score is the best of its sub-word pairs', from 0."""
    best: dict[tuple[int, int], float] = {}
    for i, j, s in zip(rows.tolist(), cols.tolist(), scores.tolist()):
        best[(i, j)] = max(best.get((i, j), 0.0), s)
    return best


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5),
                          st.one_of(st.floats(-1, 1, width=32), st.just(float("nan")))), max_size=30))
def test_sub_word_links_become_word_links_with_their_best_score(found):
    found.sort(key=lambda link: link[:2])  # subword links come sorted; their words then are too
    rows = np.array([i for i, _, _ in found], dtype=np.int64)
    cols = np.array([j for _, j, _ in found], dtype=np.int64)
    scores = np.array([s for _, _, s in found], dtype=np.float32)
    words = Alignment.from_arrays(*words_linked(rows, cols, scores))
    expected = words_linked_by_dict(rows, cols, scores)
    assert words == Alignment.of(expected, expected)
    assert words.scores == expected and all(type(s) is float for s in words.scores.values())
