import re
import json

import pytest

from xner.errors import InputFormatError
from xner.io.jsonl import read_jsonl, write_jsonl
from xner.projection.base import build_projector
from xner.types import Alignment, Entity, SentencePair


def test_round_trip_with_projection(tmp_path):
    pair = SentencePair(("Angela", "Merkel", "kam"), ("Angela", "Merkel", "came"), (Entity(0, 2, "PER"),),
                        (Entity(0, 2, "PER"),), Alignment.of([(0, 0), (1, 1)]), id="s1")
    result = build_projector("ngram").project(pair)
    path = tmp_path / "r.jsonl"
    write_jsonl(path, [(pair, result), pair])
    (back_pair, back_result), (plain, none) = read_jsonl(path)
    assert back_pair == pair and plain == pair and none is None
    assert back_result == result
    record = json.loads(path.read_text().splitlines()[0])
    assert record["projection"]["entities"] == [[0, 2, "PER"]]


@pytest.mark.parametrize("line, problem", [
    ("{not json", "not valid JSON"),
    ('{"target_words": ["a"]}', "no 'source_words' field"),
    ('{"source_words": ["a"], "target_words": ["b"], "alignment": [[0, 3]]}', "outside"),
    ('{"source_words": ["a"], "target_words": ["b"], "source_entities": [[0, 2, "PER"]]}', "outside"),
    ("null", "a record must be a JSON object, not null"),
    ("[1, 2]", "a record must be a JSON object, not a list"),
    # a string would otherwise be read as a list of characters
    ('{"source_words": "Angela Merkel", "target_words": ["b"]}', "'source_words' must be a list of words, not a string"),
    ('{"source_words": ["a", 3], "target_words": ["b"]}', r"'source_words'\[1\] must be a non-empty string"),
    ('{"source_words": ["a"], "target_words": ["b"], "source_entities": "PER"}', "'source_entities' must be a list"),
    ('{"source_words": ["a"], "target_words": ["b"], "source_entities": [[0, 1]]}', "an entity must be"),
    ('{"source_words": ["a"], "target_words": ["b"], "alignment": "0-0"}', "'alignment' must be a list"),
    ('{"source_words": ["a"], "target_words": ["b"], "projection": []}', "'projection' must be an object"),
])
def test_bad_records_name_the_line(tmp_path, line, problem):
    path = tmp_path / "r.jsonl"
    path.write_text('{"source_words": ["a"], "target_words": ["b"]}\n\n' + line + "\n")
    with pytest.raises(InputFormatError, match=rf"line 3: .*{problem}"):
        read_jsonl(path)


@pytest.mark.parametrize("line, problem", [
    # issue 22: indices that are not whole numbers were truncated (0.9 → 0) or taken as 0/1
    ('{"source_words": ["a", "b"], "target_words": ["b"], "source_entities": [[0.9, 1.7, "PER"]]}',
     """the entity [0.9, 1.7, "PER"] in 'source_entities' needs whole word indices for start and end, not 0.9 and 1.7"""),
    ('{"source_words": ["a", "b"], "target_words": ["b"], "source_entities": [[false, true, "PER"]]}',
     "needs whole word indices for start and end, not false and true"),
    ('{"source_words": ["a"], "target_words": ["b"], "target_entities": [[0, 1.0, "PER"]]}',
     "in 'target_entities' needs whole word indices"),
    # overlapping entities: one of them was lost without a word
    ('{"source_words": ["a", "b", "c"], "target_words": ["b"], "source_entities": [[0, 2, "PER"], [1, 3, "LOC"]]}',
     "the entities [0, 2, 'PER'] and [1, 3, 'LOC'] in 'source_entities' overlap"),
    # words a CoNLL export would cut in two
    ('{"source_words": ["a"], "target_words": ["New York"]}', "'target_words'[0] 'New York' holds a space"),
    ('{"source_words": ["a\\tb"], "target_words": ["b"]}', "'source_words'[0] 'a\\tb' holds a space"),
])
def test_records_that_would_be_read_wrongly_are_refused(tmp_path, line, problem):
    path = tmp_path / "r.jsonl"
    path.write_text('{"source_words": ["a"], "target_words": ["b"]}\n' + line + "\n")
    with pytest.raises(InputFormatError, match=rf"line 2: .*{re.escape(problem)}"):
        read_jsonl(path)
