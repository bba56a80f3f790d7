#!/usr/bin/env bash
# Create .venv from requirements.lock (pinned, reproducible) and install policykg into it.
# Idempotent: a second run only checks the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v uv >/dev/null 2>&1; then
  echo "[setup] installing uv" >&2
  python3 -m pip install -q uv
fi
[ -x .venv/bin/python ] || uv venv -q .venv --python 3.11
links=()
# The CPU build of torch lies on this machine's disk; without it the resolver would pull a CUDA build.
[ -d /opt/wheels ] && links=(--find-links /opt/wheels)
echo "[setup] installing locked dependencies into .venv" >&2
uv pip install -q --python .venv/bin/python --compile-bytecode "${links[@]}" -r requirements.lock
uv pip install -q --python .venv/bin/python --compile-bytecode --no-deps -e .
echo "[setup] ready: .venv/bin/policykg" >&2
