#!/usr/bin/env bash
# Start the policykg app on 127.0.0.1 (PORT, default 8501) through `policykg app`. Sets up .venv on the first run.
# Extra arguments go to `streamlit run`. Usage statistics are off (see policykg/commands/app.py).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/policykg ] && [ -x .venv/bin/streamlit ] || scripts/setup.sh
exec .venv/bin/policykg app --port "${PORT:-8501}" -- "$@"
