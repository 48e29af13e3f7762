import pytest

from tests.store.test_store import items
from xner.errors import ConfigError
from xner.store import Store
from xner.store.comments import add_comment, comments


@pytest.fixture
def store(store_url):
    store = Store(store_url)
    yield store
    store.engine.dispose()


def test_comments_and_flags_are_seen_by_everyone(store):
    dataset = store.create_dataset("demo", items(2))
    first, second = store.item_ids(dataset)
    add_comment(store, first, "ana", "  is this a title?  ", "guideline question")
    add_comment(store, first, "bob", "", "unsure")
    found = comments(store, [first, second])
    assert list(found) == [first]
    assert [(c.annotator, c.flag, c.text) for c in found[first]] == [
        ("ana", "guideline question", "is this a title?"), ("bob", "unsure", "")]
    assert set(found[first][0].as_dict()) == {"annotator", "flag", "text", "time"}
    with pytest.raises(ConfigError, match="needs some text or a flag"):
        add_comment(store, first, "ana", "  ")
    with pytest.raises(ConfigError, match="unknown flag 'later'"):
        add_comment(store, first, "ana", "x", "later")
    with pytest.raises(ConfigError, match="annotator name"):
        add_comment(store, first, " ", "x")
