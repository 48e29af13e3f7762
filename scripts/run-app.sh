#!/usr/bin/env bash
# Set up (idempotent) and start the review app on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
VENV="${XNER_VENV:-.venv}"
# The English NER the app (and xner pipeline) default to: a head on the offline encoder's
# frozen features, trained once on the shared English CoNLL data (about 6 minutes on 2 cores,
# docs/BENCHMARKS.md). Without it the default is spaCy's small OntoNotes model (59 F1 on
# CoNLL English against 89). XNER_NO_NER_TRAIN=1 skips it.
CONLL="../shared/data/conll"
if [ -z "${XNER_NO_NER_TRAIN:-}" ] && [ -f "$CONLL/en.train.conll" ] \
   && ! "$VENV/bin/python" -c "import sys; from xner.ner.base import installed_head; sys.exit(installed_head() is None)"; then
    echo "Training the English NER head once (about 6 minutes on 2 cores; XNER_NO_NER_TRAIN=1 skips it) ..." >&2
    "$VENV/bin/xner" models install --ner-train "$CONLL/en.train.conll" --ner-dev "$CONLL/en.dev.conll" > /dev/null
fi
exec "$VENV/bin/streamlit" run app.py "$@"
