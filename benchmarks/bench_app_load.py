"""The running app under N concurrent sessions (tests/load_driver.py: Streamlit's websocket protocol, each session
asks, checks a profile and queries the SPARQL console): p50/p95 per step and the errors. Starts `policykg app` on
a free loopback port and stops it at the end.
Run: .venv/bin/python benchmarks/bench_app_load.py [--sessions 20] [--rounds 3] [--seconds 300]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def main() -> None:
    import load_driver
    from test_app_load import free_port, stop, wait_healthy

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=300)
    args = ap.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as reviews:
        env = {**os.environ, "POLICYKG_REVIEW_DIR": reviews, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "policykg.cli", "app", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(f"{url}/_stcore/health", proc)
            warm = load_driver.drive(url, sessions=1, rounds=1, seconds=120, update_every=0)
            start = time.monotonic()
            report = load_driver.drive(url, sessions=args.sessions, rounds=args.rounds, seconds=args.seconds)
            took = time.monotonic() - start
        finally:
            stop(proc)
    print(f"{os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f}; warm-up errors {len(warm.errors)}")
    print(f"{args.sessions} sessions x {args.rounds} rounds in {took:.1f} s: "
          + json.dumps(report.summary(), ensure_ascii=False))
    for e in report.errors[:10]:
        print("error:", e)


if __name__ == "__main__":
    main()
