"""Start-up of ``xner project`` on two sentences with the default offline aligner: the code
at two revisions ("before", "after") side by side, in one run.

Each variant runs in fresh processes (``python -m xner.cli.main project ...``) from its
own copy of the code (``git archive`` of the revision), alternating, ``--repeats`` times;
the table gives the median wall time and the median CPU time (user + system) of the
process, which a busy machine disturbs less. Also timed apart: loading the offline e5's
tokenizer, and importing torch and transformers (the floor every variant pays, since the
aligner's encoder needs them). The outputs of both variants must be byte-identical.

    python -m bench.startup --before REV [--after REV]   # writes docs/BENCHMARKS.md
    python -m bench.startup --before REV --no-write
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import ROOT, SHARED_DATA, header, publish, table

TOKENIZER = """
import time
start = time.perf_counter()
import xner
from xner.models.e5_convert import ensure_default_encoder
from xner.models.hub import load_tokenizer
load_tokenizer(str(ensure_default_encoder()))
print(xner.__file__)
print(time.perf_counter() - start)
"""


def inputs(directory: Path) -> tuple[Path, Path]:
    """The first two Europarl sentences with entities: English CoNLL, German text."""
    from xner.io.conll import read_conll, write_conll

    en = read_conll(SHARED_DATA / "europarl/en.europarl.test.conll")
    de = read_conll(SHARED_DATA / "europarl/de.europarl.test.conll")
    chosen = [k for k, s in enumerate(en) if s.entities][:2]
    write_conll(directory / "en.conll", [(en[k].words, en[k].entities) for k in chosen])
    (directory / "de.txt").write_text("".join(" ".join(de[k].words) + "\n" for k in chosen))
    return directory / "en.conll", directory / "de.txt"


def checkout(revision: str, directory: Path) -> Path:
    """The package ``xner`` as it was at ``revision``, extracted into ``directory``."""
    directory.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "xner"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(directory)], input=archive, check=True)
    return directory


def short(revision: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", revision], capture_output=True, text=True,
                          check=True).stdout.strip()


def timed(command: list[str], code: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and output of ``command`` run with ``code`` first on the path."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # run in the code's folder: python -m and -c put the working directory first on the path
    done = subprocess.run(command, cwd=code, env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True,
                          text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="git revision of the code to compare with")
    parser.add_argument("--after", default="HEAD", help="git revision of the code to measure (HEAD)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    python = sys.executable
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        source, target = inputs(work)
        variants = {f"{name} ({short(revision)})": checkout(revision, work / name)
                    for name, revision in (("before", args.before), ("after", args.after))}
        results = {label: {"project": [], "tokenizer": [], "outputs": set()} for label in variants}
        for repeat in range(args.repeats):
            for label, code in variants.items():
                output = work / f"out-{repeat}-{len(results[label]['outputs'])}.conll"
                wall, cpu, _ = timed([python, "-m", "xner.cli.main", "project", str(source), str(target),
                                      "--tgt-lang", "de", "-o", str(output)], code)
                results[label]["project"].append((wall, cpu))
                results[label]["outputs"].add(output.read_bytes())
                _, _, printed = timed([python, "-c", TOKENIZER], code)
                where, seconds = printed.strip().splitlines()[-2:]
                assert Path(where).is_relative_to(code), f"{label} imported {where}, not its own code"
                results[label]["tokenizer"].append(float(seconds))
                print(f"{label} #{repeat + 1}: {wall:.1f}s wall, {cpu:.1f}s CPU", flush=True)
        floor = [timed([python, "-c", "import torch, transformers, transformers.models.xlm_roberta.modeling_xlm_roberta"],
                       work)[:2] for _ in range(args.repeats)]

    outputs = set().union(*(r["outputs"] for r in results.values()))
    assert len(outputs) == 1, "the variants wrote different outputs"
    rows = []
    for label, r in results.items():
        rows.append([label, f"{statistics.median(w for w, _ in r['project']):.1f}",
                     f"{statistics.median(c for _, c in r['project']):.1f}", f"{statistics.median(r['tokenizer']):.2f}"])
    rows.append(["import torch + transformers' XLM-R (both pay it)", f"{statistics.median(w for w, _ in floor):.1f}",
                 f"{statistics.median(c for _, c in floor):.1f}", ""])
    load = os.getloadavg()[0]
    markdown = header("Start-up: `xner project` on two sentences (default offline aligner)") + (
        f"Two Europarl sentences (en → de, gold English entities), `xner project EN DE --tgt-lang de`, each variant "
        f"in fresh processes, alternating, median of {args.repeats}; the outputs are byte-identical. Load average "
        f"at the end: {load:.1f} on {os.cpu_count()} cores (wall times on a busy machine are long; the CPU column "
        f"is what the process itself spent).\n\n"
        + table(["run", "wall s", "CPU s", "e5 tokenizer load, with its imports, wall s"], rows)
        + "\nWhere the time goes (cProfile, `python -X importtime`): importing torch and transformers' model code "
        "(for the aligner's encoder: torch._dynamo, torch.distributed.tensor and scipy come in with it), loading "
        "the tokenizer, loading the weights, then the encoder pass; the projection itself is milliseconds. "
        "`--tgt-lang` reads the stop-word list directly: spaCy (and thinc) are not imported. The tokenizer was "
        "rebuilt by `AutoTokenizer` from its 250,002-piece vocabulary in Python, and the saved `tokenizer.json` "
        "then parsed three more times to put its normaliser back; it is now built once from that file "
        "(`xner.models.hub.load_tokenizer`), which gives the same ids (tested on all 2,397 Europarl sentences).\n")
    publish("startup", markdown, write=not args.no_write)


if __name__ == "__main__":
    main()
