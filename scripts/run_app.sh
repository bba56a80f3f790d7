#!/usr/bin/env bash
# Start the policykg app on 127.0.0.1 (PORT, default 8501). Sets up .venv on the first run.
# Usage statistics are off: the machine has no internet and users' questions must not leave it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/streamlit ] || scripts/setup.sh
exec .venv/bin/streamlit run qa_app/app.py \
  --server.address 127.0.0.1 --server.port "${PORT:-8501}" --server.headless true \
  --browser.gatherUsageStats false "$@"
