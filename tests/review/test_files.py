from pathlib import Path

import pytest

from xner.errors import XnerError
from xner.io.conll import read_conll
from xner.projection.base import build_projector
from xner.review.files import export_bytes, import_jsonl, import_parallel, read_parallel_upload
from xner.store import Store
from xner.types import Alignment, Entity, SentencePair


class Monotone:
    name = "monotone"

    def align(self, pairs):
        return [Alignment.of((i, i) for i in range(min(len(s), len(t)))) for s, t in pairs]


SOURCE = b"Angela\tB-PER\nMerkel\tI-PER\nvisited\tO\nParis\tB-LOC\n\nHello\tO\n\n"


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'r.db'}")


def test_import_project_review_export(store):
    dataset = import_parallel(store, "demo", SOURCE, "Angela Merkel visitó París\nHola\n".encode(), Monotone(),
                              build_projector("ngram"))
    first, second = store.item_ids(dataset)
    pair, projection = store.item(first)
    assert projection.entities == (Entity(0, 2, "PER"), Entity(3, 4, "LOC"))
    store.record(first, "ana", "accept", projection.entities)
    conll = export_bytes(store, dataset, "ana", "conll", accepted_only=True).decode()
    head, words = conll.split("Angela", 1)
    assert head.startswith("# id = 0\n# status = accepted\n# annotator = ana\n# time = 20")
    assert words == "\tB-PER\nMerkel\tI-PER\nvisitó\tO\nParís\tB-LOC\n\n"
    everything = export_bytes(store, dataset, "ana", "jsonl", accepted_only=False).decode().splitlines()
    assert len(everything) == 2
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    docs = list(DocBin().from_bytes(export_bytes(store, dataset, "ana", "docbin", True)).get_docs(Vocab()))
    assert [(e.text, e.label_) for e in docs[0].ents] == [("Angela Merkel", "PER"), ("París", "LOC")]


def test_the_export_carries_id_status_annotator_time_and_comments_and_reads_back(store, tmp_path):
    import json

    from xner.io.conll import read_conll
    from xner.io.jsonl import read_jsonl
    from xner.store.adjudication import adjudicate
    from xner.store.comments import add_comment

    dataset = import_parallel(store, "demo", SOURCE, "Angela Merkel visitó París\nHola\n".encode(), Monotone(),
                              build_projector("ngram"))
    first, second = store.item_ids(dataset)
    store.record(first, "ana", "edit", [Entity(0, 2, "PER")])
    add_comment(store, first, "bob", "París:\nLOC or\tORG?", "unsure")
    conll = export_bytes(store, dataset, "ana", "conll", accepted_only=False).decode()
    assert "# status = corrected" in conll and "# status = unreviewed" in conll
    assert "# comment1 = bob: [unsure] París: LOC or ORG?" in conll  # one line, whatever was typed
    path = tmp_path / "out.conll"
    path.write_text(conll)
    sentences = read_conll(path)
    assert [s.id for s in sentences] == ["0", "1"] and sentences[0].entities == (Entity(0, 2, "PER"),)
    records = [json.loads(line) for line in export_bytes(store, dataset, "ana", "jsonl", False).decode().splitlines()]
    assert [(r["id"], r["status"], r["annotator"]) for r in records] == [("0", "corrected", "ana"),
                                                                         ("1", "unreviewed", "")]
    assert records[0]["time"] and records[0]["comments"][0]["flag"] == "unsure" and records[1]["time"] is None
    (tmp_path / "out.jsonl").write_bytes(export_bytes(store, dataset, "ana", "jsonl", False))
    assert read_jsonl(tmp_path / "out.jsonl")[0][0].target_entities == (Entity(0, 2, "PER"),)
    # a curator's final version is what the final export holds
    adjudicate(store, first, "cur", "edit", [Entity(3, 4, "LOC")], taken_from="")
    final = [json.loads(line) for line in export_bytes(store, dataset, "ana", "jsonl", True, final=True)
             .decode().splitlines()]
    assert [(r["target_entities"], r["annotator"], r["adjudicated"]) for r in final] == [([[3, 4, "LOC"]], "cur", True)]


def test_import_errors_name_the_file_and_line(store):
    with pytest.raises(XnerError, match="source.conll has 2 sentences but translations.txt has 1"):
        import_parallel(store, "x", SOURCE, b"only one\n", Monotone(), build_projector("ngram"))
    with pytest.raises(XnerError, match="translations.txt, line 2: empty translation"):
        import_parallel(store, "x", SOURCE, b"one\n\n", Monotone(), build_projector("ngram"))
    with pytest.raises(XnerError, match=r"bad.jsonl, line 1: not valid JSON"):
        import_jsonl(store, "y", b"{oops\n", "bad.jsonl")


@pytest.mark.parametrize("name", ["../../pages/evil.py", "/tmp/xner-evil.conll", "..", ".", "", "a/../../b"])
def test_uploads_never_become_paths(store, tmp_path, name):
    """An upload's name is only a label: nothing is written at or near it, and errors name it."""
    from xner.review.files import read_upload

    before = set(Path("/tmp").glob("xner-evil*"))
    pairs = read_parallel_upload(SOURCE, "Angela Merkel visitó París\nHola\n".encode(), name, name)
    assert len(pairs) == 2 and set(Path("/tmp").glob("xner-evil*")) == before
    with pytest.raises(XnerError) as error:
        read_upload(b"Paris\n", name or "upload", read_conll)
    assert str(error.value).startswith(f"{name or 'upload'}, line 1:") and "xner-upload-" not in str(error.value)


def test_import_checks_the_name_before_projecting(store):
    import_parallel(store, "demo", SOURCE, "Angela Merkel visitó París\nHola\n".encode(), Monotone(),
                    build_projector("ngram"))

    class Refuses(Monotone):
        def align(self, pairs):
            raise AssertionError("projected although the name is taken")

    with pytest.raises(XnerError, match="exists already"):
        import_parallel(store, "demo", SOURCE, "Angela Merkel visitó París\nHola\n".encode(), Refuses(),
                        build_projector("ngram"))
    with pytest.raises(XnerError, match="exists already"):
        import_jsonl(store, "demo", b"{oops\n", "bad.jsonl")
