"""Files in and out of review: uploads read without trusting their names, imports into
a new dataset, and the reviewed data exported as CoNLL, JSONL or a spaCy DocBin."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from xner.errors import XnerError
from xner.io.conll import format_conll, read_conll
from xner.io.jsonl import pair_to_record, read_jsonl
from xner.io.parallel import read_text
from xner.types import SentencePair

if TYPE_CHECKING:
    from xner.store.store import Store


T = TypeVar("T")


def read_upload(data: bytes, name: str, reader: Callable[[Path], T]) -> T:
    """Parse uploaded bytes with a file reader, never building a path from the upload's name.

    The bytes go to a fresh temporary file; an error names the upload (``name``), not
    that file.
    """
    with tempfile.TemporaryDirectory(prefix="xner-upload-") as folder:
        path = Path(folder, "upload")
        path.write_bytes(data)
        try:
            return reader(path)
        except XnerError as error:
            raise XnerError(str(error).replace(str(path), name)) from None


def import_jsonl(store: Store, name: str, data: bytes, filename: str = "upload.jsonl") -> int:
    store.check_dataset_name(name)  # before reading anything
    records = read_upload(data, filename, read_jsonl)
    if not records:
        raise XnerError(f"there is nothing to import: {filename} holds no records")
    return store.create_dataset(name, records)


def read_parallel_upload(source_conll: bytes, translations: bytes, source_name: str = "source.conll",
                         translation_name: str = "translations.txt") -> list[SentencePair]:
    """Validated sentence pairs from an uploaded labelled CoNLL file and its translations."""
    from xner.errors import count_mismatch

    source = read_upload(source_conll, source_name, read_conll)
    targets = read_upload(translations, translation_name, read_text)
    if len(source) != len(targets):
        raise count_mismatch("source and translations", (source_name, len(source)), (translation_name, len(targets)))
    empty = [k + 1 for k, t in enumerate(targets) if not t]
    if empty:
        lines = "1 such line" if len(empty) == 1 else f"{len(empty)} such lines"
        raise XnerError(f"{translation_name}, line {empty[0]}: empty translation ({lines})")
    if not source:
        raise XnerError(f"there is nothing to import: {source_name} holds no sentences")
    return [SentencePair(s.words, t, s.entities, id=str(k)) for k, (s, t) in enumerate(zip(source, targets))]


def import_parallel(store: Store, name: str, source_conll: bytes, translations: bytes, aligner, projector,
                    src_lang: str = "en", tgt_lang: str = "", source_name: str = "source.conll",
                    translation_name: str = "translations.txt") -> int:
    """Labelled source CoNLL + its translations (one a line) → projected items in a new dataset."""
    pairs = read_parallel_upload(source_conll, translations, source_name, translation_name)
    return import_pairs(store, name, pairs, aligner, projector, src_lang, tgt_lang)


def import_pairs(store: Store, name: str, pairs: list[SentencePair], aligner, projector, src_lang: str = "",
                 tgt_lang: str = "") -> int:
    """Align and project sentence pairs into a new dataset (in the caller's thread)."""
    from xner.corpus import project_pairs

    store.check_dataset_name(name)  # before the work, not after it
    return store.create_dataset(name, project_pairs(pairs, projector, aligner), src_lang, tgt_lang)


def export_bytes(store: Store, dataset_id: int, annotator: str, fmt: str, accepted_only: bool,
                 final: bool = False) -> bytes:
    """The reviewed data as a file: CoNLL IOB2 with ``# id = ...``, ``# status``,
    ``# annotator``, ``# time`` and comment lines before each sentence (xner's CoNLL
    reader reads the id back), JSONL records with those fields, or a spaCy DocBin.
    ``final``: adjudicated versions over the annotator's (:mod:`xner.store.export`)."""
    from xner.store.export import export_rows

    rows = export_rows(store, dataset_id, annotator, accepted_only, final)
    if fmt == "conll":
        kept = [row for row in rows if row.pair.target_words]
        return format_conll([(row.pair.target_words, row.entities) for row in kept],
                            [row.meta() for row in kept]).encode()
    if fmt == "jsonl":
        import json

        lines = []
        for row in rows:
            record = pair_to_record(row.pair)
            record["id"] = row.id
            record["target_entities"] = [[e.start, e.end, e.label] for e in row.entities]
            record.update({"status": row.status, "annotator": row.annotator,
                           "time": row.time.isoformat() if row.time is not None else None,
                           "adjudicated": row.adjudicated, "comments": list(row.comments)})
            lines.append(json.dumps(record, ensure_ascii=False))
        return ("\n".join(lines) + "\n").encode() if lines else b""
    if fmt == "docbin":
        from spacy.tokens import Doc, DocBin, Span
        from spacy.vocab import Vocab

        vocab, docbin = Vocab(), DocBin()
        for row in rows:
            if row.pair.target_words:
                doc = Doc(vocab, words=list(row.pair.target_words))
                doc.ents = [Span(doc, e.start, e.end, label=e.label) for e in row.entities]
                docbin.add(doc)
        return docbin.to_bytes()
    raise XnerError(f"unknown export format {fmt!r}: conll, jsonl or docbin")
