#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# a throwaway PostgreSQL server on loopback for the store tests
XNER_TEST_PG_URL=$(bash scripts/pg-test-server.sh)
export XNER_TEST_PG_URL
exec "${XNER_VENV:-.venv}/bin/python" -m pytest "$@"
