"""Writing benchmark results into docs/BENCHMARKS.md, one marked section per script."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "docs" / "BENCHMARKS.md"
SHARED_DATA = ROOT.parent / "shared" / "data"

# Projection settings compared by the benchmarks. LANG stands for the target language.
LANG = "<target language>"
PUBLISHED_SETTINGS = {"trim_punctuation": False, "derived_labels": "none"}  # the methods as published
DEFAULTS = {"trim_stop_words": LANG}  # xner's defaults, given the target language


def for_language(params: dict, lang: str) -> dict:
    """``params`` with LANG replaced by ``lang``."""
    return {k: lang if v == LANG else v for k, v in params.items()}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


def head_bench_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every benchmark of the English NER head takes: --no-write, --model-dir, --limit."""
    from xner.models.e5_convert import xner_home

    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--model-dir", type=Path, default=xner_home() / "head-conll-en")
    parser.add_argument("--limit", type=int, help="first N sentences of every set (a quick check)")
    return parser


def header(title: str) -> str:
    # scripts run as modules of this package (python -m bench.NAME), from the repository root
    spec = getattr(sys.modules["__main__"], "__spec__", None)
    module = spec.name if spec is not None else f"bench.{Path(sys.argv[0]).stem}"
    command = "python -m " + " ".join(shlex.quote(a) for a in [module, *sys.argv[1:]])
    return (
        f"## {title}\n\n"
        f"- command: `{command}`\n"
        f"- machine: {machine()}\n"
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC\n"
        f"- load average (1/5/15 min) when the section was written: {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n\n"
    )


HEAD_KINDS = {"bilstm": "BiLSTM", "bilstm-crf": "BiLSTM-CRF", "linear": "linear", "linear-crf": "linear-CRF"}


def head_description(model_dir: Path) -> str:
    """``BiLSTM-CRF, mix of layers 1-12``: what a head model directory holds, from its config."""
    from xner.ner.head_model import load_head

    config, _ = load_head(model_dir)
    layers = config.layers
    where = f"layer {layers[0]}" if len(layers) == 1 else f"mix of layers {layers[0]}-{layers[-1]}"
    size = ""
    if config.kind.startswith("bilstm"):
        size = (f" {config.hidden} wide" if config.hidden != 256 else "") + (
            f" {config.lstm_layers} deep" if config.lstm_layers != 1 else "")
    return f"{HEAD_KINDS[config.kind]}{size}, {where}"


def write_section(name: str, markdown: str) -> None:
    """Replace (or append) the section between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    BENCHMARKS.parent.mkdir(parents=True, exist_ok=True)
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n\nEvery figure here was written by the script named in its section; rerun it to check.\n"
    block = f"<!-- {name}:start -->\n{markdown.rstrip()}\n<!-- {name}:end -->"
    pattern = re.compile(rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    BENCHMARKS.write_text(text)


def table(headers: list[str], rows: list[list[object]]) -> str:
    def cell(value: object) -> str:
        return f"{value:.1f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def publish(name: str, markdown: str, write: bool = True) -> None:
    """Print a benchmark's section and, unless told not to, write it into docs/BENCHMARKS.md."""
    print(markdown)
    if write:
        write_section(name, markdown)
