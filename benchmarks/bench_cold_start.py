"""Whole-process times of `policykg ask`, `check --text` and `measures` (median of N runs): wall time and the
process's own CPU time (user + sys, which a loaded machine does not inflate), with a cold and a warm cache.

cold: an empty POLICYKG_CACHE except what is made once per machine, not per corpus: the converted/exported e5
model (models/, ~1 min) and jieba's dictionary store (jieba/, kg_builder.jieba_store: jieba's own word list) are
linked in; so each run builds the graphs, the derived views, the guides' links, the passage and condition
vectors and ask's index — what a first run after a corpus change does. warm: the same cache after a first run.
`--checkout DIR` times another checkout of the project the same way (e.g. the main branch, for a before/after
under the same load). Aims (issue 12): ask < 2 s, check and measures < 1.5 s.
Run: .venv/bin/python benchmarks/bench_cold_start.py [--runs 5] [--checkout /path/to/other/checkout]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"ask": ["ask", "孵化器支持资金上限", "--json"],
            "check --text": ["check", "--text", "我们是新认定的高企，研发费用1500万元", "--json"],
            "measures": ["measures", "--json"]}


def run_once(checkout: Path, argv: list[str], cache: Path) -> tuple[float, float]:
    env = {**os.environ, "POLICYKG_CACHE": str(cache), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "PYTHONPATH": str(checkout)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "policykg.cli", *argv], cwd=checkout, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{argv}: exit {proc.returncode}: {proc.stderr[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fresh_cache(base: Path, machine: dict[str, Path]) -> Path:
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    for name, folder in machine.items():
        (base / name).symlink_to(folder)
    return base


def bench(checkout: Path, runs: int, models: dict[str, Path], tmp: Path) -> dict:
    out = {}
    for name, argv in COMMANDS.items():
        cold, warm = [], []
        for _ in range(runs):
            cold.append(run_once(checkout, argv, fresh_cache(tmp / "cold", models)))
        cache = fresh_cache(tmp / "warm", models)
        run_once(checkout, argv, cache)
        for _ in range(runs):
            warm.append(run_once(checkout, argv, cache))
        out[name] = {k: (statistics.median(w for w, _ in xs), statistics.median(c for _, c in xs))
                     for k, xs in (("cold", cold), ("warm", warm))}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--checkout", type=Path, action="append", default=[], help="another checkout to time too")
    ap.add_argument("--skip-self", action="store_true", help="time only the --checkout ones")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from qa_app.e5_onnx import ensure_e5_onnx
    from kg_builder.jieba_store import tokenizer

    tokenizer()  # jieba's dictionary store, made once
    from kg_builder.cache import cache_root
    models = {"models": ensure_e5_onnx().parent, "jieba": cache_root() / "jieba"}  # made once per machine
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f}, "
          f"median of {args.runs}; wall s / cpu s (user+sys)")
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        for checkout in [*([] if args.skip_self else [ROOT]), *args.checkout]:
            print(f"\n{checkout}")
            for name, modes in bench(checkout.resolve(), args.runs, models, Path(tmp)).items():
                print(f"  {name:14s} " + "   ".join(f"{mode}: {w:.2f} / {c:.2f}" for mode, (w, c) in modes.items())
                      + f"   (load average {os.getloadavg()[0]:.1f})", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
