"""Whole registry batch, `policykg check enterprises.csv --out results.csv`: read → decide → estimate → write,
per engine and size, each run in a fresh process (peak memory is that run's; Spark's JVM is measured too).

Engines: duckdb (reasoner.columnar SQL in process, the default for a registry), spark (the same SQL on
pyspark local[2]), oxigraph (the per-profile Python path with the SPARQL fast path). The registry is
generated once from the policy's own vocabulary (reasoner.samples, seed 7) and cut to each size; every
engine writes the same file, so the sha256 of the results file is the digest of identical outcomes.

Usage: python benchmarks/bench_batch.py [--sizes 10000 100000 1000000] [--engines duckdb spark oxigraph]
       [--max spark=100000 oxigraph=100000] [--data DIR] [--corpus FILE|FOLDER]
(--corpus corpus: the registry has every document's columns and is checked against all of them at once,
as `policykg check registry.csv --out results.csv` does on the default folder.)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's packages, not an installed copy
DEFAULT = ROOT / "corpus" / "xicheng_measures_draft.txt"  # the registry's policy unless --corpus


def _policies(corpus: Path):
    """(graph, None) for one text; (None, library) for a folder (every document, reasoner.library)."""
    if corpus.is_dir():
        from kg_builder.library import build_library
        return None, build_library(corpus)
    from kg_builder.build import build_source
    return build_source(corpus).graph, None


def _registry(data: Path, n: int, corpus: Path) -> Path:
    """The first n rows of one generated registry (generated once, as large as the largest size)."""
    stem = "registry" if corpus == DEFAULT else f"registry-{corpus.stem}"
    path = data / f"{stem}_{n}.csv"
    if path.exists():
        return path
    full = sorted(data.glob(f"{stem}_*.csv"), key=lambda p: int(p.stem.split("_")[-1]))
    source = next((p for p in full if int(p.stem.split("_")[-1]) >= n), None)
    if source is None:
        from reasoner.model import load_policy
        from reasoner.samples import write_registry
        graph, library = _policies(corpus)
        policy = load_policy(graph) if graph is not None else [load_policy(d.build.graph) for d in library.policies(())]
        write_registry(path, policy, n)
        return path
    with source.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i > n:
                break
            out.write(line)
    return path


def worker(engine: str, src: str, out: str, corpus: str) -> None:
    t0 = time.perf_counter()
    from reasoner.tabular import run_batch
    graph, library = _policies(Path(corpus))
    t1 = time.perf_counter()
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    jvm = 0
    counts = run_batch(Path(src), Path(out), graph, library=library, engine=engine)
    t2 = time.perf_counter()
    if engine == "spark":
        from pyspark import SparkContext
        pid = SparkContext._gateway.proc.pid
        status = Path(f"/proc/{pid}/status").read_text()
        jvm = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) // 1024
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"batch_s": t2 - t1, "startup_s": t1 - t0, "rows": counts["rows"], "engine": counts["engine"],
                      "cpu_s": usage.ru_utime + usage.ru_stime - cpu0,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "jvm_peak_mb": jvm}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    ap.add_argument("--engines", nargs="+", default=["duckdb", "spark", "oxigraph"])
    ap.add_argument("--max", nargs="*", default=["spark=100000", "oxigraph=100000"])
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "policykg_bench")
    ap.add_argument("--corpus", type=Path, default=DEFAULT,
                    help="a policy text, or a folder: every document in one batch (default: the Xicheng draft)")
    ap.add_argument("--worker", nargs=4, metavar=("ENGINE", "SRC", "OUT", "CORPUS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(*args.worker)
    args.data.mkdir(parents=True, exist_ok=True)
    limits = {k: int(v) for k, v in (x.split("=") for x in args.max)}
    t = time.perf_counter()
    corpus = args.corpus.resolve()
    _registry(args.data, max(args.sizes), corpus)
    print(f"generated {max(args.sizes)} rows in {time.perf_counter() - t:.0f} s", flush=True)
    print("| enterprises | engine | whole batch | CPU (this process) | rows/s | peak RSS (Python) | peak RSS (JVM) "
          "| results sha256 |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    for engine in args.engines:
        for n in sorted(args.sizes):
            if n > limits.get(engine, n):
                continue
            src = _registry(args.data, n, corpus)
            out = args.data / f"results_{engine}_{n}.csv"
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, __file__, "--worker", engine, str(src), str(out), str(corpus)], cwd=ROOT,
                                  capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            if proc.returncode:
                print(f"| {n:,} | {engine} | failed: {proc.stderr.strip().splitlines()[-1:]} |", flush=True)
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            with out.open("rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()[:16]
            jvm = f"{r['jvm_peak_mb']:,} MB" if r["jvm_peak_mb"] else "—"
            print(f"| {n:,} | {r['engine']} | {r['batch_s']:.1f} s (+{r['startup_s']:.1f} s start) | {r['cpu_s']:.1f} s | "
                  f"{n / r['batch_s']:,.0f} | {r['peak_mb']:,} MB | {jvm} | {digest} |", flush=True)
            out.unlink()


if __name__ == "__main__":
    main()
