import pytest

from xner.errors import ConfigError
from xner.projection.base import build_projector
from xner.store import Store
from xner.store.comments import add_comment
from xner.store.search import QueueFilter, find_items
from xner.types import Alignment, Entity, SentencePair


@pytest.fixture
def store(store_url):
    store = Store(store_url)
    yield store
    store.engine.dispose()


def filtered(store, dataset, **fields):
    return [position + 1 for _, position, _ in find_items(store, dataset, "ana", QueueFilter(**fields))]


def test_the_filter_finds_items_by_state_label_score_text_flag_and_other_annotators(store):
    made = []
    for k, (en, de, label) in enumerate([("Paris is big", "Paris ist groß", "LOC"),
                                         ("Angela Merkel came", "Angela Merkel kam", "PER"),
                                         ("100% of Bonn_x", "100% von Bonn_x", "LOC")]):
        entity = Entity(0, 2, label) if label == "PER" else Entity(2 if k == 2 else 0, 3 if k == 2 else 1, label)
        # item 3's entity has no link: it is not projected (score 0)
        links = [(0, 0), (1, 1), (2, 2)] if k < 2 else [(0, 0), (1, 1)]
        pair = SentencePair(tuple(en.split()), tuple(de.split()), (entity,), alignment=Alignment.of(links), id=str(k))
        made.append((pair, build_projector("ngram", name_weight=0).project(pair)))  # Bonn_x is not found by its spelling
    dataset = store.create_dataset("demo", made)
    first, second, third = store.item_ids(dataset)
    assert filtered(store, dataset) == [1, 2, 3]
    assert filtered(store, dataset, unprojected=True) == [3]
    assert filtered(store, dataset, max_score=0.5) == [3] and filtered(store, dataset, min_score=0.5) == [1, 2]
    assert filtered(store, dataset, label="PER") == [2] and filtered(store, dataset, label="LOC") == [1]
    assert filtered(store, dataset, text="MERKEL KAM") == [2]  # source or target, any case, several words
    assert filtered(store, dataset, text="100%") == [3] and filtered(store, dataset, text="n_x") == [3]
    assert filtered(store, dataset, text="%") == [3]  # a LIKE wildcard is a character like any other
    store.record(first, "ana", "edit", [Entity(0, 1, "ORG")])  # ana's saved label counts, not the projection's
    assert filtered(store, dataset, label="ORG") == [1] and filtered(store, dataset, label="LOC") == []
    store.record(second, "ana", "skip")
    assert filtered(store, dataset, states=("unreviewed", "skip")) == [2, 3]
    assert filtered(store, dataset, states=("edit",)) == [1]
    store.record(third, "bob", "reject")
    assert filtered(store, dataset, reviewed_by="bob") == [3]
    add_comment(store, second, "bob", "Is 'kam' part of the name?", "guideline question")
    assert filtered(store, dataset, flag="guideline question") == [2]
    assert filtered(store, dataset, text="part of the name") == [2]  # comments are searched too
    assert filtered(store, dataset, text="Paris", states=("unreviewed",)) == []
    with pytest.raises(ConfigError, match="score range 0.8–0.2 is empty"):
        QueueFilter(min_score=0.8, max_score=0.2)
    with pytest.raises(ConfigError, match="unknown state maybe"):
        QueueFilter(states=("maybe",))
