#!/usr/bin/env bash
# Set up (idempotent) and start the review app on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec "${XNER_VENV:-.venv}/bin/streamlit" run app.py "$@"
