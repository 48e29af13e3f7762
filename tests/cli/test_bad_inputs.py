"""A corpus of bad inputs run through every command (issue 13).

Each case runs one command in-process and must end with exit code 0 or 2, never with an
exception (a traceback); an error must name the file (and the line where there is one);
the cases that used to give a silently wrong result check the output itself. The
aligner is never the point here: ``project`` reads given links, the other commands use
eflomal, which learns from the few sentences given in well under a second.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from xner.cli import main
from xner.io.conll import read_conll
from xner.types import Entity

EN = ("Angela\tB-PER\nMerkel\tI-PER\nvisited\tO\nthe\tO\nNetherlands\tB-LOC\n\n"
      "Nothing\tO\nhere\tO\n\n")
DE = "Angela Merkel besuchte die Niederlande\nNichts hier\n"
LINKS = "0-0 1-1 2-2 3-3 4-4\n0-0 1-1\n"
EXPECTED = [(Entity(0, 2, "PER"), Entity(4, 5, "LOC")), ()]


def record(source, target, entities=(), **extra):
    return json.dumps({"source_words": source, "target_words": target, "source_entities": entities, **extra},
                      ensure_ascii=False)


GOOD_RECORD = record(["Angela", "Merkel", "visited", "Paris"], ["Angela", "Merkel", "besuchte", "Paris"],
                     [[0, 2, "PER"], [3, 4, "LOC"]])

# name -> content (str: UTF-8 text, bytes: as they are)
FILES: dict[str, str | bytes] = {
    "en.conll": EN,
    "de.txt": DE,
    "links.talp": LINKS,
    "empty.conll": "",
    "docstart.conll": "-DOCSTART- -X- -X- O\n\n",
    "bom.conll": "\ufeff-DOCSTART- -X- -X- O\n\n" + EN,
    "bom-first.conll": "\ufeff" + EN,
    "crlf.conll": EN.replace("\n", "\r\n"),
    "spaces.conll": EN.replace("\t", "   "),
    "nbsp.conll": EN.replace("Angela\tB-PER\nMerkel\tI-PER", "Angela\u00a0Merkel\tB-PER"),
    "fs.conll": EN.replace("Angela\tB-PER\nMerkel\tI-PER", "Angela\x1cMerkel\tB-PER"),
    "notag.conll": EN.replace("visited\tO", "visited"),
    "badtag.conll": EN.replace("B-LOC", "X-LOC"),
    "latin1.conll": EN.replace("Nothing", "Nöthing").encode("latin-1"),
    "foo.conll": EN.replace("B-LOC", "B-FOO"),
    "words.conll": EN.replace("visited", "visits"),
    "wordcount.conll": EN.replace("here\tO\n", "here\tO\nnow\tO\n"),
    "one.conll": EN.split("\n\n")[0] + "\n\n",
    "short.txt": "Angela Merkel besuchte die Niederlande\n",
    "long.txt": DE + "Noch eine Zeile\n",
    "blank.txt": "Angela Merkel besuchte die Niederlande\n \t \n",
    "empty.txt": "",
    "bom.txt": "\ufeff" + DE,
    "nbsp.txt": "Angela\u00a0Merkel besuchte die Niederlande\nNichts hier\n",
    "latin1.txt": "Angela Merkel besuchte die Niederlande\nNichts hïer\n".encode("latin-1"),
    "blank.talp": "0-0 1-1 2-2 3-3 4-4\n\n",
    "nbsp.talp": "0-0 1-1 2-2 3-3\n0-0 1-1\n",
    "fs.talp": "0-0 0-1 1-2 2-3 3-4\n0-0 1-1\n",
    "badlink.talp": "0-0 1_1\n0-0\n",
    "outside.talp": "0-0 1-9\n0-0\n",
    "short.talp": "0-0 1-1 2-2 3-3 4-4\n",
    "es.txt": "Angela Merkel visitó París\nNada aquí\n",
    "es2en.txt": "Angela Merkel visited Paris\n\n",
    "es2en-long.txt": "Angela Merkel visited Paris\nNothing here\nOne more\n",
    "pairs.jsonl": GOOD_RECORD + "\n" + GOOD_RECORD + "\n",
    "bad.jsonl": "\n".join([
        GOOD_RECORD,
        "null",
        "[1, 2]",
        record("Angela Merkel", ["Angela", "Merkel"]),
        "{not json",
        json.dumps({"target_words": ["a"]}),
        record(["Paris"], ["Paris"], [[0, 3, "LOC"]]),
        record(["Paris"], ["Paris"], "LOC"),
        GOOD_RECORD,
    ]) + "\n",
    "empty.jsonl": "\n",
    "broken.parquet": b"PAR1 this is not parquet",
    "pairs.txt": DE,
    # issue 22
    "crcrlf.txt": DE.replace("\n", "\r\r\n"),
    "docword.txt": "-DOCSTART- Merkel besuchte die Niederlande\nNichts hier\n",
    "docstart.txt": "-DOCSTART-\nNichts hier\n",
    "docstart.talp": "0-0\n0-0 1-1\n",
    "wrong.jsonl": "\n".join([
        record(["Angela", "Merkel"], ["Angela", "Merkel"], [[0.9, 1.7, "PER"]]),
        record(["Angela", "Merkel"], ["Angela", "Merkel"], [[False, True, "PER"]]),
        record(["Angela", "Merkel", "visited"], ["Angela", "Merkel"], [[0, 2, "PER"], [1, 3, "LOC"]]),
        record(["New York"], ["New", "York"], [[0, 1, "LOC"]]),
        GOOD_RECORD,
    ]) + "\n",
}


@dataclass
class Case:
    args: list[str]
    code: int = 2
    says: list[str] = field(default_factory=list)  # in the error output
    check: Callable[[Path, str], None] | None = None  # (directory, stderr) -> asserts the output


def conll_out(expected_words=None, expected_entities=None):
    def check(directory: Path, _: str) -> None:
        sentences = read_conll(directory / "out.conll")
        if expected_words is not None:
            assert [s.words for s in sentences] == expected_words
        if expected_entities is not None:
            assert [s.entities for s in sentences] == expected_entities
    return check


def jsonl_out(check_records):
    def check(directory: Path, _: str) -> None:
        check_records([json.loads(line) for line in (directory / "out.jsonl").read_text().splitlines()])
    return check


PROJECT = ["project", "--method", "ngram"]
GIVEN = ["--alignments", "links.talp"]
EF = ["--aligner", "eflomal"]
TRAIN = ["pipeline", "--direction", "train", "--tgt-lang", "de", *EF]
BATCH = ["batch", *EF, "--no-progress", "--shard-size", "1", "-o", "run"]
WORDS = [("Angela", "Merkel", "besuchte", "die", "Niederlande"), ("Nichts", "hier")]

CASES: dict[str, Case] = {
    # -- project ----------------------------------------------------------------------
    "project/good": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "out.conll"], 0,
                         check=conll_out(WORDS, EXPECTED)),
    "project/empty source": Case([*PROJECT, "empty.conll", "de.txt", *GIVEN, "-o", "out.conll"],
                                 says=["no sentences in empty.conll"]),
    "project/only -DOCSTART-": Case([*PROJECT, "docstart.conll", "de.txt", *GIVEN, "-o", "out.conll"],
                                    says=["no sentences in docstart.conll"]),
    "project/BOM before -DOCSTART-": Case([*PROJECT, "bom.conll", "de.txt", *GIVEN, "-o", "out.conll"], 0,
                                          check=conll_out(WORDS, EXPECTED)),
    "project/BOM in the first token": Case([*PROJECT, "bom-first.conll", "bom.txt", *GIVEN, "-o", "out.conll"], 0,
                                           check=conll_out(WORDS, EXPECTED)),
    "project/CRLF": Case([*PROJECT, "crlf.conll", "de.txt", *GIVEN, "-o", "out.conll"], 0, check=conll_out(WORDS)),
    "project/space-separated columns": Case([*PROJECT, "spaces.conll", "de.txt", *GIVEN, "-o", "out.conll"], 0,
                                            check=conll_out(WORDS, EXPECTED)),
    "project/no-break space in a source token": Case(
        [*PROJECT, "nbsp.conll", "nbsp.txt", "--alignments", "nbsp.talp", "--format", "jsonl", "-o", "out.jsonl"], 0,
        check=jsonl_out(lambda records: (
            records[0]["source_words"][0] == "Angela\u00a0Merkel" == records[0]["target_words"][0]
            and records[0]["projection"]["entities"][0] == [0, 1, "PER"]) or pytest.fail(str(records[0])))),
    "project/no-break space in a target token": Case(
        [*PROJECT, "nbsp.conll", "nbsp.txt", "--alignments", "nbsp.talp", "-o", "out.conll"], 0,
        check=conll_out([("Angela\u00a0Merkel", "besuchte", "die", "Niederlande"), ("Nichts", "hier")],
                        [(Entity(0, 1, "PER"), Entity(3, 4, "LOC")), ()])),
    "project/\\x1c in a token": Case(
        [*PROJECT, "fs.conll", "de.txt", "--alignments", "fs.talp", "--format", "jsonl", "-o", "out.jsonl"], 0,
        check=jsonl_out(lambda records: records[0]["source_words"][:2] == ["Angela\x1cMerkel", "visited"]
                        or pytest.fail(str(records[0]["source_words"])))),
    "project/token without tag": Case([*PROJECT, "notag.conll", "de.txt", *GIVEN, "-o", "out.conll"],
                                      says=["notag.conll, line 3", "no tag"]),
    "project/bad tag": Case([*PROJECT, "badtag.conll", "de.txt", *GIVEN, "-o", "out.conll"],
                            says=["badtag.conll, line 5", "'X-LOC' is not a tag"]),
    "project/not UTF-8 source": Case([*PROJECT, "latin1.conll", "de.txt", *GIVEN, "-o", "out.conll"],
                                     says=["latin1.conll, line 7", "UTF-8"]),
    "project/not UTF-8 target": Case([*PROJECT, "en.conll", "latin1.txt", *GIVEN, "-o", "out.conll"],
                                     says=["latin1.txt, line 2", "UTF-8"]),
    "project/unusual labels": Case([*PROJECT, "foo.conll", "de.txt", *GIVEN, "-o", "out.conll"], 0,
                                   says=["labels read from foo.conll: FOO, PER", "FOO outside the usual"],
                                   check=conll_out(WORDS, [(Entity(0, 2, "PER"), Entity(4, 5, "FOO")), ()])),
    "project/missing source": Case([*PROJECT, "missing.conll", "de.txt", *GIVEN, "-o", "out.conll"],
                                   says=["missing.conll: no such file"]),
    "project/source is a directory": Case([*PROJECT, "adir", "de.txt", *GIVEN, "-o", "out.conll"],
                                          says=["adir: is a directory"]),
    "project/target one line short": Case([*PROJECT, "en.conll", "short.txt", *GIVEN, "-o", "out.conll"],
                                          says=["en.conll has 2 sentences", "short.txt has 1"]),
    "project/target one line long": Case([*PROJECT, "en.conll", "long.txt", *GIVEN, "-o", "out.conll"],
                                         says=["long.txt has 3"]),
    "project/empty target": Case([*PROJECT, "en.conll", "empty.txt", *GIVEN, "-o", "out.conll"],
                                 says=["no sentences in empty.txt"]),
    "project/whitespace-only target line": Case(
        [*PROJECT, "en.conll", "blank.txt", "--alignments", "blank.talp", "-o", "out.conll"], 0,
        says=["blank.txt, line 2: empty sentence, left out of out.conll"], check=conll_out(WORDS[:1], EXPECTED[:1])),
    "project/whitespace-only target line, JSONL keeps it": Case(
        [*PROJECT, "en.conll", "blank.txt", "--alignments", "blank.talp", "--format", "jsonl", "-o", "out.jsonl"], 0,
        check=jsonl_out(lambda records: [r["target_words"] for r in records] == [list(WORDS[0]), []]
                        or pytest.fail(str(records)))),
    "project/bad link": Case([*PROJECT, "en.conll", "de.txt", "--alignments", "badlink.talp", "-o", "out.conll"],
                             says=["badlink.talp, line 1", "'1_1' is not a link"]),
    "project/link outside the sentence": Case(
        [*PROJECT, "en.conll", "de.txt", "--alignments", "outside.talp", "-o", "out.conll"],
        says=["outside.talp, line 1", "1-9"]),
    "project/links one line short": Case(
        [*PROJECT, "en.conll", "de.txt", "--alignments", "short.talp", "-o", "out.conll"],
        says=["short.talp has 1"]),
    "project/-o in a missing directory": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "new/dir/out.conll"], 0,
                                              check=lambda d, _: read_conll(d / "new/dir/out.conll")),
    "project/-o names a directory": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "adir"],
                                         says=["adir: is a directory"]),
    "project/-o on a read-only file system": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "/sys/xner/out.conll"],
                                                  says=["/sys/xner"]),
    "project/-o on a full disk": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "/dev/full"],
                                      says=["/dev/full: could not be written", "No space left"]),
    "project/unknown format": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "--format", "xml", "-o", "out.conll"],
                                   says=["unknown format 'xml'"]),
    # -o naming an input replaced it (issue 22): refused, naming both, under any name
    "project/-o is the source": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "en.conll"],
                                     says=["en.conll: is the input en.conll", "choose another output path"],
                                     check=lambda d, _: (d / "en.conll").read_text() == EN or pytest.fail()),
    "project/-o is the target": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "de.txt"],
                                     says=["de.txt: is the input de.txt"],
                                     check=lambda d, _: (d / "de.txt").read_text() == DE or pytest.fail()),
    "project/-o is the links": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "links.talp"],
                                    says=["links.talp: is the input links.talp"]),
    "project/-o is the source as ./": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "./en.conll"],
                                           says=["en.conll: is the input en.conll"]),
    "project/-o is the source through a symlink": Case(
        [*PROJECT, "en.conll", "de.txt", *GIVEN, "-o", "link-to-en.conll"],
        says=["link-to-en.conll: is the input en.conll"],
        check=lambda d, _: (d / "en.conll").read_text() == EN or pytest.fail()),
    # --tgt-lang: ISO 639-1/3 codes in any case; a code without a word list is used, with a note
    "project/--tgt-lang DE": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "--tgt-lang", "DE", "-o", "out.conll"], 0,
                                  check=lambda d, err: "note: --tgt-lang" not in err or pytest.fail(err)),
    "project/--tgt-lang deu": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "--tgt-lang", "deu", "-o", "out.conll"],
                                   0, check=lambda d, err: "note: --tgt-lang" not in err or pytest.fail(err)),
    "project/--tgt-lang xx": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "--tgt-lang", "xx", "-o", "out.conll"], 0,
                                  says=["note: --tgt-lang xx: no function-word list for this language; projected "
                                        "spans are finished with punctuation and the words"], check=conll_out(WORDS, EXPECTED)),
    "project/--tgt-lang german": Case([*PROJECT, "en.conll", "de.txt", *GIVEN, "--tgt-lang", "german", "-o",
                                       "out.conll"], says=["--tgt-lang: 'german' is not a language code",
                                                           "de or deu for German"]),
    # line ends and -DOCSTART- (issue 22)
    "project/target lines ending \\r\\r\\n": Case([*PROJECT, "en.conll", "crcrlf.txt", *GIVEN, "-o", "out.conll"],
                                                 says=["crcrlf.txt, line 1: ends in \\r\\r\\n"]),
    "project/-DOCSTART- as a target word": Case([*PROJECT, "en.conll", "docword.txt", *GIVEN, "-o", "out.conll"], 0,
                                                check=conll_out([("-DOCSTART-", *WORDS[0][1:]), WORDS[1]])),
    "project/a target sentence that is only -DOCSTART-": Case(
        [*PROJECT, "en.conll", "docstart.txt", "--alignments", "docstart.talp", "-o", "out.conll"],
        says=["sentence 1 is the single word -DOCSTART-", "write JSONL instead"],
        check=lambda d, _: not (d / "out.conll").exists() or pytest.fail()),
    "project/a target sentence that is only -DOCSTART-, JSONL": Case(
        [*PROJECT, "en.conll", "docstart.txt", "--alignments", "docstart.talp", "--format", "jsonl", "-o",
         "out.jsonl"], 0, check=jsonl_out(lambda records: records[0]["target_words"] == ["-DOCSTART-"]
                                           or pytest.fail(str(records)))),
    # -- align ------------------------------------------------------------------------
    "align/-o is the target": Case(["align", "en.conll", "de.txt", *EF, "-o", "de.txt"],
                                   says=["de.txt: is the input de.txt"],
                                   check=lambda d, _: (d / "de.txt").read_text() == DE or pytest.fail()),
    "align/good": Case(["align", "en.conll", "de.txt", *EF, "-o", "out.talp"], 0,
                       check=lambda d, _: len((d / "out.talp").read_text().splitlines()) == 2 or pytest.fail()),
    "align/no-break space inside tokens": Case(
        ["align", "nbsp.conll", "nbsp.txt", *EF, "-o", "out.talp"], 0,
        check=lambda d, _: all(int(i) < 4 and int(j) < 4 for line in (d / "out.talp").read_text().splitlines()[:1]
                               for i, j in (link.split("-") for link in line.split())) or pytest.fail()),
    "align/\\x1c inside a token": Case(["align", "fs.conll", "de.txt", *EF, "-o", "out.talp"], 0,
                                      check=lambda d, _: all(int(link.split("-")[0]) < 4 for link in
                                                             (d / "out.talp").read_text().split("\n")[0].split())
                                      or pytest.fail()),
    "align/empty source": Case(["align", "empty.conll", "de.txt", *EF, "-o", "out.talp"],
                               says=["no sentences in empty.conll"]),
    "align/empty target file": Case(["align", "en.conll", "empty.txt", *EF, "-o", "out.talp"],
                                    says=["no sentences in empty.txt"]),
    "align/whitespace-only target line": Case(
        ["align", "en.conll", "blank.txt", *EF, "-o", "out.talp"], 0,
        check=lambda d, _: (d / "out.talp").read_text().split("\n")[1] == "" or pytest.fail()),
    "align/target one line short": Case(["align", "en.conll", "short.txt", *EF, "-o", "out.talp"],
                                        says=["short.txt has 1"]),
    "align/not UTF-8": Case(["align", "en.conll", "latin1.txt", *EF, "-o", "out.talp"], says=["latin1.txt, line 2"]),
    "align/missing source": Case(["align", "missing.conll", "de.txt", *EF, "-o", "out.talp"],
                                 says=["missing.conll: no such file"]),
    "align/-o in a missing directory": Case(["align", "en.conll", "de.txt", *EF, "-o", "new/out.talp"], 0,
                                            check=lambda d, _: (d / "new/out.talp").is_file() or pytest.fail()),
    "align/-o names a directory": Case(["align", "en.conll", "de.txt", *EF, "-o", "adir"], says=["adir: is a directory"]),
    "align/-o on a read-only file system": Case(["align", "en.conll", "de.txt", *EF, "-o", "/sys/xner/out.talp"],
                                                says=["/sys/xner"]),
    "align/-o on a full disk": Case(["align", "en.conll", "de.txt", *EF, "-o", "/dev/full"], says=["/dev/full"]),
    # -- evaluate ---------------------------------------------------------------------
    "evaluate/good": Case(["evaluate", "en.conll", "crlf.conll", "--json"], 0),
    "evaluate/BOM before -DOCSTART-": Case(["evaluate", "bom.conll", "en.conll", "--json"], 0),
    "evaluate/different words": Case(["evaluate", "en.conll", "words.conll"],
                                     says=["'visited' in en.conll, line 3", "'visits' in words.conll, line 3"]),
    "evaluate/different word counts": Case(["evaluate", "en.conll", "wordcount.conll"],
                                           says=["sentence 2 has 2 words in en.conll (line 7)", "wordcount.conll"]),
    "evaluate/different sentence counts": Case(["evaluate", "en.conll", "one.conll"], says=["one.conll has 1"]),
    "evaluate/empty gold": Case(["evaluate", "empty.conll", "en.conll"], says=["no sentences in empty.conll"]),
    "evaluate/only -DOCSTART-": Case(["evaluate", "docstart.conll", "docstart.conll"],
                                     says=["no sentences in docstart.conll"]),
    "evaluate/bad tag": Case(["evaluate", "en.conll", "badtag.conll"], says=["badtag.conll, line 5"]),
    "evaluate/unusual labels": Case(["evaluate", "foo.conll", "foo.conll", "--json"], 0,
                                    says=["labels read from foo.conll and foo.conll: FOO, PER"]),
    "evaluate/missing": Case(["evaluate", "en.conll", "missing.conll"], says=["missing.conll: no such file"]),
    "evaluate/not UTF-8": Case(["evaluate", "latin1.conll", "latin1.conll"], says=["latin1.conll, line 7"]),
    # -- pipeline (translate-train with given translations, eflomal) ------------------
    "pipeline/good": Case([*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "out.conll"], 0,
                          check=conll_out(WORDS)),
    "pipeline/empty input": Case([*TRAIN, "empty.conll", "--translator", "given:de.txt", "-o", "out.conll"],
                                 says=["no sentences in empty.conll"]),
    "pipeline/only -DOCSTART-": Case([*TRAIN, "docstart.conll", "--translator", "given:de.txt", "-o", "out.conll"],
                                     says=["no sentences in docstart.conll"]),
    "pipeline/BOM": Case([*TRAIN, "bom.conll", "--translator", "given:bom.txt", "-o", "out.conll"], 0,
                         check=conll_out(WORDS)),
    "pipeline/bad tag": Case([*TRAIN, "badtag.conll", "--translator", "given:de.txt", "-o", "out.conll"],
                             says=["badtag.conll, line 5"]),
    "pipeline/unusual labels": Case([*TRAIN, "foo.conll", "--translator", "given:de.txt", "-o", "out.conll"], 0,
                                    says=["labels read from foo.conll: FOO, PER"]),
    "pipeline/translations one line short": Case(
        [*TRAIN, "en.conll", "--translator", "given:short.txt", "-o", "out.conll"],
        says=["en.conll has 2 sentences but", "short.txt has 1"]),
    "pipeline/translations one line long": Case(
        [*TRAIN, "en.conll", "--translator", "given:long.txt", "-o", "out.conll"], says=["long.txt has 3"]),
    "pipeline/translations not UTF-8": Case(
        [*TRAIN, "en.conll", "--translator", "given:latin1.txt", "-o", "out.conll"], says=["latin1.txt, line 2"]),
    "pipeline/empty translation": Case(
        [*TRAIN, "en.conll", "--translator", "given:blank.txt", "-o", "out.conll", "--errors", "errors.tsv"], 0,
        says=["en.conll, sentence 2: the translator returned nothing (left out of the CoNLL output"],
        check=lambda d, _: ((d / "errors.tsv").read_text().startswith("2\t")
                            and len(read_conll(d / "out.conll")) == 1) or pytest.fail()),
    "pipeline/missing input": Case([*TRAIN, "missing.conll", "--translator", "given:de.txt", "-o", "out.conll"],
                                   says=["missing.conll"]),
    "pipeline/-o in a missing directory": Case(
        [*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "new/out.conll"], 0,
        check=lambda d, _: read_conll(d / "new/out.conll")),
    "pipeline/-o names a directory": Case([*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "adir"],
                                          says=["adir: is a directory"]),
    "pipeline/--errors names a directory": Case(
        [*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "out.conll", "--errors", "adir"],
        says=["adir: is a directory"]),
    "pipeline/-o on a read-only file system": Case(
        [*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "/sys/xner/out.conll"], says=["/sys/xner"]),
    "pipeline/-o on a full disk": Case([*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "/dev/full"],
                                       says=["/dev/full"]),
    "pipeline/unknown format": Case(
        [*TRAIN, "en.conll", "--translator", "given:de.txt", "--format", "xml", "-o", "out.conll"],
        says=["unknown format 'xml'"]),
    "pipeline/missing text input": Case([*TRAIN, "./missing", "--translator", "given:de.txt", "-o", "out.conll"],
                                        says=["missing: no such file"]),
    "pipeline/-o is its input": Case([*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "en.conll"],
                                     says=["en.conll: is the input en.conll"],
                                     check=lambda d, _: (d / "en.conll").read_text() == EN or pytest.fail()),
    "pipeline/-o is the translations": Case([*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "./de.txt"],
                                            says=["de.txt: is the input de.txt"]),
    "silver/-o is the target": Case(["silver", "es2en.txt", "de.txt", "--tgt-lang", "de", *EF, "-o", "./de.txt"],
                                    says=["de.txt: is the input de.txt"],
                                    check=lambda d, _: (d / "de.txt").read_text() == DE or pytest.fail()),
    "silver/--errors is the source": Case(["silver", "es2en.txt", "de.txt", "--tgt-lang", "de", *EF, "-o", "out.conll",
                                           "--errors", "es2en.txt"], says=["es2en.txt: is the input es2en.txt"]),
    "tag/-o is its input": Case(["tag", "de.txt", "-o", "de.txt"], says=["de.txt: is the input de.txt"],
                                check=lambda d, _: (d / "de.txt").read_text() == DE or pytest.fail()),
    "tag/unknown format": Case(["tag", "de.txt", "--format", "xml", "-o", "out.conll"], says=["unknown format 'xml'"]),
    "silver/unknown format": Case(["silver", "es2en.txt", "de.txt", "--tgt-lang", "de", *EF, "--format", "xml",
                                   "-o", "out.conll"], says=["unknown format 'xml'"]),
    "pipeline/--errors is -o": Case([*TRAIN, "en.conll", "--translator", "given:de.txt", "-o", "out.conll",
                                     "--errors", "out.conll"], says=["out.conll: is the input out.conll"]),
    "pipeline/--tgt-lang German": Case(["pipeline", "--direction", "train", "--tgt-lang", "German", *EF, "en.conll",
                                        "--translator", "given:de.txt", "-o", "out.conll"],
                                       says=["--tgt-lang: 'German' is not a language code"]),
    # translate-test: the input's words are labelled; a failed sentence keeps its words, all O
    "pipeline/translate-test, empty translation": Case(
        ["pipeline", "es.txt", "--tgt-lang", "es", "--translator", "given:es2en.txt", *EF, "-o", "out.conll"], 0,
        says=["es.txt, line 2: the translator returned nothing (kept in place, all O)"],
        check=conll_out([("Angela", "Merkel", "visitó", "París"), ("Nada", "aquí")])),
    "pipeline/translate-test, whitespace-only input line": Case(
        ["pipeline", "blank.txt", "--tgt-lang", "de", "--translator", "given:es2en.txt", *EF, "-o", "out.conll"], 0,
        says=["blank.txt, line 2: empty sentence: nothing to label (left out of the CoNLL output: it has no words)",
              "1 without words not in the CoNLL output"],
        check=conll_out(WORDS[:1])),
    "pipeline/translate-test, translations one line long": Case(
        ["pipeline", "es.txt", "--tgt-lang", "es", "--translator", "given:es2en-long.txt", *EF, "-o", "out.conll"],
        says=["es2en-long.txt has 3"]),
    # -- batch ------------------------------------------------------------------------
    "batch/good JSONL": Case([*BATCH, "pairs.jsonl"], 0,
                             check=lambda d, _: len((d / "run/output.jsonl").read_text().splitlines()) == 2
                             or pytest.fail()),
    "batch/bad JSONL records": Case([*BATCH, "bad.jsonl"], 0, check=lambda d, _: batch_errors(d)),
    "batch/empty JSONL": Case([*BATCH, "empty.jsonl"], says=["no sentences in empty.jsonl"]),
    "batch/CoNLL and translations": Case([*BATCH, "en.conll", "de.txt"], 0,
                                         check=lambda d, _: len((d / "run/output.jsonl").read_text().splitlines()) == 2
                                         or pytest.fail()),
    "batch/translations one line short": Case([*BATCH, "en.conll", "short.txt"], says=["short.txt (lines) has 1"],
                                              check=lambda d, _: not (d / "run/manifest.json").exists()
                                              or pytest.fail("work began")),
    "batch/translations one line long": Case([*BATCH, "en.conll", "long.txt"], says=["long.txt (lines) has 3"]),
    "batch/bad tag": Case([*BATCH, "badtag.conll", "de.txt"], says=["badtag.conll, line 5"]),
    "batch/empty CoNLL": Case([*BATCH, "docstart.conll", "de.txt"], says=["no sentences in docstart.conll"]),
    "batch/BOM and no-break space": Case([*BATCH, "bom-first.conll", "nbsp.txt"], 0, says=["2/2 pairs projected, 0 errors"],
                                         check=lambda d, _: json.loads((d / "run/output.jsonl").read_text()
                                                                       .splitlines()[0])["target_words"][0]
                                         == "Angela\u00a0Merkel" or pytest.fail()),
    "batch/whitespace-only translation": Case([*BATCH, "en.conll", "blank.txt"], 0,
                                              check=lambda d, _: '"index": 1' in (d / "run/errors.jsonl").read_text()
                                              or pytest.fail()),
    "batch/unusual labels": Case([*BATCH, "foo.conll", "de.txt"], 0, says=["labels read from foo.conll: FOO, PER"]),
    "batch/missing input": Case([*BATCH, "missing.jsonl"], says=["missing.jsonl: no such file"]),
    "batch/JSONL indices, overlaps and words with spaces": Case([*BATCH, "wrong.jsonl"], 0,
                                                                check=lambda d, _: batch_wrong_records(d)),
    "batch/--tgt-lang deu": Case([*BATCH, "pairs.jsonl", "--tgt-lang", "deu"], 0,
                                 check=lambda d, _: json.loads((d / "run/manifest.json").read_text())
                                 ["settings"]["tgt_lang"] == "de" or pytest.fail()),
    "batch/text input": Case([*BATCH, "pairs.txt"], says=["pairs.txt: give a .jsonl or .parquet file"]),
    "batch/broken Parquet": Case([*BATCH, "broken.parquet"], says=["broken.parquet: not a readable Parquet file"]),
    "batch/-o names a file": Case(["batch", *EF, "--no-progress", "pairs.jsonl", "-o", "de.txt"],
                                  says=["de.txt: is a file, not a directory"]),
    "batch/-o on a read-only file system": Case(["batch", *EF, "--no-progress", "pairs.jsonl", "-o", "/sys/xner"],
                                                says=["/sys/xner"]),
}


def batch_errors(directory: Path) -> None:
    errors = {e["index"]: e["error"] for e in map(json.loads, (directory / "run/errors.jsonl").read_text().splitlines())}
    output = [json.loads(line) for line in (directory / "run/output.jsonl").read_text().splitlines()]
    assert [r["index"] for r in output] == [0, 8]
    expected = {1: "line 2: unreadable record (TypeError: a record must be a JSON object, not null)",
                2: "line 3: unreadable record (TypeError: a record must be a JSON object, not a list)",
                3: "line 4: unreadable record (TypeError: 'source_words' must be a list of words, not a string)",
                4: "line 5: unreadable record (JSONDecodeError",
                5: "line 6: unreadable record (KeyError: 'source_words')",
                6: "line 7: unreadable record (ValueError: source entity [0, 3, 'LOC'] is outside",
                7: "line 8: unreadable record (TypeError: 'source_entities' must be a list"}
    assert sorted(errors) == sorted(expected)
    for index, text in expected.items():
        assert errors[index].startswith("bad.jsonl, " + text), errors[index]


def batch_wrong_records(directory: Path) -> None:
    errors = {e["index"]: e["error"] for e in map(json.loads, (directory / "run/errors.jsonl").read_text().splitlines())}
    assert sorted(errors) == [0, 1, 2, 3], errors
    for index, text in {0: "line 1: unreadable record (TypeError: the entity [0.9, 1.7, \"PER\"] in 'source_entities' "
                           "needs whole word indices for start and end, not 0.9 and 1.7)",
                        1: "line 2: unreadable record (TypeError: the entity [false, true, \"PER\"]",
                        2: "line 3: unreadable record (ValueError: the entities [0, 2, 'PER'] and [1, 3, 'LOC'] in "
                           "'source_entities' overlap",
                        3: "line 4: unreadable record (ValueError: 'source_words'[0] 'New York' holds a space"}.items():
        assert errors[index].startswith("wrong.jsonl, " + text), errors[index]


def run(monkeypatch, capsys, *args) -> tuple[int | str, str, str]:
    """Run the CLI in-process; an exception escaping it counts as a traceback."""
    monkeypatch.setattr(sys, "argv", ["xner", *map(str, args)])
    code: int | str = 0
    try:
        main()
    except SystemExit as exit_:
        code = exit_.code or 0
    except Exception as error:  # noqa: BLE001 - what the test is looking for
        code = f"traceback: {error.__class__.__name__}: {error}"
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    for name, content in FILES.items():
        if isinstance(content, bytes):
            (tmp_path / name).write_bytes(content)
        else:
            (tmp_path / name).write_text(content, encoding="utf-8", newline="")
    (tmp_path / "adir").mkdir()
    (tmp_path / "link-to-en.conll").symlink_to("en.conll")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def read_only_fs_available() -> bool:
    try:
        Path("/sys/xner").mkdir()
    except OSError:
        return True
    Path("/sys/xner").rmdir()
    return False


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name, corpus, monkeypatch, capsys):
    case = CASES[name]
    if "/sys/" in " ".join(case.args) and not read_only_fs_available():
        pytest.skip("/sys is writable here")
    if "/dev/full" in case.args and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    code, out, err = run(monkeypatch, capsys, *case.args)
    assert code in (0, 2), f"{code}\n{err}"
    assert code == case.code, err
    assert "Traceback" not in out + err
    for text in case.says:
        assert text in err, f"{text!r} not in:\n{err}"
    if code == 2:
        assert err.splitlines()[-1].startswith("error: "), err
    if case.check is not None:
        case.check(corpus, err)


def test_every_command_meets_the_corpus():
    commands = {name.split("/")[0] for name in CASES}
    assert commands == {"project", "align", "evaluate", "pipeline", "batch", "silver", "tag"}
    used = {arg.removeprefix("given:") for case in CASES.values() for arg in case.args}
    assert set(FILES) - {"links.talp"} <= used, set(FILES) - used


# -- batch --resume: a run is continued only with the same input, settings and versions --

def batch(monkeypatch, capsys, *args):
    return run(monkeypatch, capsys, *BATCH, *args)


def test_resume_refuses_changed_input_settings_and_versions(corpus, monkeypatch, capsys):
    assert batch(monkeypatch, capsys, "en.conll", "de.txt")[0] == 0
    (corpus / "other.txt").write_text("Angela Merkel besuchte die Niederlande\nNichts hier!\n")
    code, _, err = batch(monkeypatch, capsys, "en.conll", "other.txt", "--resume")
    assert code == 2 and "cannot resume, the input differs" in err and "de.txt" in err and "other.txt" in err
    # the same name with other content: translations changed in place
    (corpus / "de.txt").write_text(DE.replace("hier", "dort"))
    code, _, err = batch(monkeypatch, capsys, "en.conll", "de.txt", "--resume")
    assert code == 2 and "the input file de.txt differs" in err and "bytes, sha256" in err
    (corpus / "de.txt").write_text(DE)
    code, _, err = batch(monkeypatch, capsys, "en.conll", "de.txt", "--resume", "--tgt-lang", "de")
    assert code == 2 and "the setting --tgt-lang differs: the earlier run had None, this one has de" in err
    code, _, err = batch(monkeypatch, capsys, "en.conll", "de.txt", "--resume", "--shard-size", "2")
    assert code == 2 and "the setting --shard-size differs" in err
    import xner

    monkeypatch.setattr(xner, "__version__", "99.0")
    code, _, err = batch(monkeypatch, capsys, "en.conll", "de.txt", "--resume")
    assert code == 2 and "the xner version differs" in err and "99.0" in err
    monkeypatch.undo()
    monkeypatch.chdir(corpus)
    code, _, err = batch(monkeypatch, capsys, "en.conll", "de.txt", "--resume")
    assert code == 0 and "2 resumed" in err


def test_resume_redoes_a_shard_whose_errors_file_was_deleted(corpus, monkeypatch, capsys):
    assert batch(monkeypatch, capsys, "bad.jsonl")[0] == 0
    errors = (corpus / "run/errors.jsonl").read_bytes()
    output = (corpus / "run/output.jsonl").read_bytes()
    (corpus / "run/shards/shard-00001.errors.jsonl").unlink()
    code, _, err = batch(monkeypatch, capsys, "bad.jsonl", "--resume")
    assert code == 0 and "1 shards done, 8 resumed" in err, err
    assert (corpus / "run/errors.jsonl").read_bytes() == errors
    assert (corpus / "run/output.jsonl").read_bytes() == output


def test_a_damaged_manifest_is_a_clear_error(corpus, monkeypatch, capsys):
    assert batch(monkeypatch, capsys, "pairs.jsonl")[0] == 0
    manifest = corpus / "run/manifest.json"
    manifest.write_text(manifest.read_text()[:40])
    code, _, err = batch(monkeypatch, capsys, "pairs.jsonl", "--resume")
    assert code == 2 and "run/manifest.json is damaged" in err and "JSONDecodeError" in err
    manifest.write_text("[]")
    code, _, err = batch(monkeypatch, capsys, "pairs.jsonl", "--resume")
    assert code == 2 and "does not hold the expected fields" in err


def test_a_full_disk_stops_the_batch_with_a_clear_error_and_it_resumes(corpus, monkeypatch, capsys):
    import errno

    import xner.engine.local as local

    real_fsync, calls = os.fsync, []

    def fsync_until_full(fd):
        calls.append(fd)
        if len(calls) > 4:  # the first shard is written, then the disk fills
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(local.os, "fsync", fsync_until_full)
    code, _, err = batch(monkeypatch, capsys, "bad.jsonl")
    assert code == 2 and "could not be written (No space left on device)" in err and "--resume" in err
    assert not list((corpus / "run/shards").glob("*.tmp"))
    monkeypatch.setattr(local.os, "fsync", real_fsync)
    code, _, err = batch(monkeypatch, capsys, "bad.jsonl", "--resume")
    assert code == 0 and "2/9 pairs projected, 7 errors" in err and "1 resumed" in err, err


def test_parquet_words_given_as_a_string_are_an_error_not_characters(corpus, monkeypatch, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"source_words": ["Angela Merkel", "x"], "target_words": ["Angela Merkel", "x"]}),
                   corpus / "strings.parquet")
    pq.write_table(pa.table({"source_words": [["Angela", "Merkel"]], "target_words": [["Angela", "Merkel"]],
                             "source_entities": [[{"start": 0, "end": 2, "label": "PER"}]]}), corpus / "good.parquet")
    code, _, err = batch(monkeypatch, capsys, "strings.parquet")
    assert code == 0 and "0/2 pairs projected, 2 errors" in err, err
    errors = (corpus / "run/errors.jsonl").read_text()
    assert "'source_words' must be a list of non-empty strings, not 'Angela Merkel'" in errors
    code, _, err = run(monkeypatch, capsys, "batch", *EF, "--no-progress", "good.parquet", "-o", "run2")
    assert code == 0 and "1/1 pairs projected" in err, err


# -- every command over every input of its kind: never a traceback, errors name a file --

CONLL_INPUTS = sorted(name for name in FILES if name.endswith(".conll")) + ["missing.conll", "adir"]
TEXT_INPUTS = sorted(name for name in FILES if name.endswith(".txt")) + ["missing.txt"]
CROSS = {
    **{f"project {name}": [*PROJECT, name, "de.txt", *GIVEN, "-o", "out.conll"] for name in CONLL_INPUTS},
    **{f"project target {name}": [*PROJECT, "en.conll", name, *GIVEN, "-o", "out.conll"] for name in TEXT_INPUTS},
    **{f"align {name}": ["align", name, "de.txt", *EF, "-o", "out.talp"] for name in CONLL_INPUTS},
    **{f"align target {name}": ["align", "en.conll", name, *EF, "-o", "out.talp"] for name in TEXT_INPUTS},
    **{f"evaluate gold {name}": ["evaluate", name, "en.conll"] for name in CONLL_INPUTS},
    **{f"evaluate predicted {name}": ["evaluate", "en.conll", name] for name in CONLL_INPUTS},
    **{f"pipeline {name}": [*TRAIN, name, "--translator", "given:de.txt", "-o", "out.conll"] for name in CONLL_INPUTS},
    **{f"pipeline translations {name}": [*TRAIN, "en.conll", "--translator", f"given:{name}", "-o", "out.conll"]
       for name in TEXT_INPUTS},
    **{f"batch {name}": [*BATCH, name, "de.txt"] for name in CONLL_INPUTS},
    **{f"batch translations {name}": [*BATCH, "en.conll", name] for name in TEXT_INPUTS},
    **{f"batch {name}": [*BATCH, name] for name in FILES if name.endswith((".jsonl", ".parquet"))},
}


@pytest.mark.parametrize("name", list(CROSS))
def test_every_command_over_every_input(name, corpus, monkeypatch, capsys):
    args = CROSS[name]
    code, out, err = run(monkeypatch, capsys, *args)
    assert code in (0, 2), f"{code}\n{err}"
    assert "Traceback" not in out + err
    if code == 2:
        files = {a.removeprefix("given:") for a in args} & {*FILES, *CONLL_INPUTS, *TEXT_INPUTS}
        if "-o" in args:  # what the output cannot hold is named by the output ("-DOCSTART-" alone, in CoNLL)
            files.add(args[args.index("-o") + 1])
        last = err.splitlines()[-1]
        assert last.startswith("error: ") and any(f in last for f in files), err


# -- a pipe as input is read once (issue 22): a FIFO hung, <(cat de.txt) lost its first lines --

@pytest.fixture
def alarm():
    """Fail instead of hanging: a second open of a FIFO waits for a writer that never comes."""
    import signal

    def fail(*_):
        raise TimeoutError("the command hung on the pipe")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def feed_fifo(path: Path, text: str):
    import threading

    os.mkfifo(path)

    def write() -> None:
        with path.open("w") as handle:
            handle.write(text)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


@pytest.mark.parametrize("content", [DE, "".join("".join(f"{w}\tO\n" for w in s) + "\n" for s in WORDS)],
                         ids=["text", "CoNLL"])
def test_a_fifo_as_the_target_is_read_once(corpus, monkeypatch, capsys, alarm, content):
    feed_fifo(corpus / "target", content)  # no suffix: the format is told from the lines
    code, _, err = run(monkeypatch, capsys, *PROJECT, "en.conll", "target", *GIVEN, "-o", "out.conll")
    assert code == 0, err
    conll_out(WORDS, EXPECTED)(corpus, err)


def test_a_fifo_as_the_pipeline_input_is_read_once(corpus, monkeypatch, capsys, alarm):
    feed_fifo(corpus / "input", EN)
    code, _, err = run(monkeypatch, capsys, *TRAIN, "input", "--translator", "given:de.txt", "-o", "out.conll")
    assert code == 0, err
    conll_out(WORDS)(corpus, err)


def test_a_batch_refuses_a_pipe_before_reading_it(corpus, monkeypatch, capsys, alarm):
    writer = feed_fifo(corpus / "de.pipe", DE)
    code, _, err = run(monkeypatch, capsys, *BATCH, "en.conll", "de.pipe")
    assert code == 2 and "de.pipe: is a pipe, not a file" in err and "save it to a file first" in err, err
    assert writer.is_alive()  # not drained: nothing was read from it
    with (corpus / "de.pipe").open() as handle:  # let the writer finish
        handle.read()


def test_process_substitution_as_the_target(corpus):
    import shlex
    import subprocess

    python = shlex.quote(sys.executable)
    command = f"{python} -m xner.cli.main project en.conll <(cat de.txt) --alignments links.talp -o out.conll"
    done = subprocess.run(["bash", "-c", command], cwd=corpus, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert done.returncode == 0, done.stderr
    assert "onto 2 sentences" in done.stderr
    conll_out(WORDS, EXPECTED)(corpus, done.stderr)


# -- Ctrl-C on a batch says what is kept and how to go on --

def test_ctrl_c_on_a_batch_says_what_is_kept_and_how_to_resume(corpus, monkeypatch, capsys):
    from xner.engine.local import ShardWorker

    real, calls = ShardWorker.process, []

    def interrupted_on_the_third_shard(self, items):
        calls.append(items)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(self, items)

    monkeypatch.setattr(ShardWorker, "process", interrupted_on_the_third_shard)
    code, _, err = batch(monkeypatch, capsys, "bad.jsonl")
    assert code == 130, err
    assert ("interrupted: the 2 shards finished so far (2 pairs) are kept in run; run the same command with "
            "--resume to continue from there") in err, err
    monkeypatch.setattr(ShardWorker, "process", real)
    code, _, err = batch(monkeypatch, capsys, "bad.jsonl", "--resume")
    assert code == 0 and "2 resumed" in err, err
