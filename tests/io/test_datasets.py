import pytest

from xner.errors import XnerError
from xner.io.conll import write_conll
from xner.io.datasets import load_sentences
from xner.types import Entity, Sentence


@pytest.fixture
def local_dataset(tmp_path):
    """A dataset directory in the hub's layout (parquet with ClassLabel features)."""
    import datasets

    names = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    features = datasets.Features({"tokens": datasets.Sequence(datasets.Value("string")),
                                  "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names))})
    data = datasets.Dataset.from_dict({"tokens": [["Ọlá", "Adé", "lọ", "sí", "Èkó"], ["Kò", "sí"]],
                                       "ner_tags": [[1, 2, 0, 0, 3], [0, 0]]}, features=features)
    directory = tmp_path / "yo-ner"
    (directory / "data").mkdir(parents=True)
    data.to_parquet(str(directory / "data" / "test-00000-of-00001.parquet"))
    return directory


def test_hub_layout_dataset_is_read_through_datasets(local_dataset):
    sentences = load_sentences(str(local_dataset), split="test")
    assert sentences == [Sentence(("Ọlá", "Adé", "lọ", "sí", "Èkó"), (Entity(0, 2, "PER"), Entity(4, 5, "LOC"))),
                         Sentence(("Kò", "sí"))]


def test_local_conll_and_unreachable_dataset(tmp_path):
    path = tmp_path / "x.conll"
    write_conll(path, [(("Lagos",), [Entity(0, 1, "LOC")])])
    assert load_sentences(path)[0].entities == (Entity(0, 1, "LOC"),)
    # a path is not sent to the Hub: the message says the file is missing
    with pytest.raises(XnerError, match="no-such-dataset: no such file"):
        load_sentences(str(tmp_path / "no-such-dataset"))
