"""The compiled checks, decisions and awards (reasoner.columnar) on Apache Spark in local mode give DuckDB's
results on 10,000 generated enterprises: every measure's status, estimate and forgone flag, the totals, and
the summary file byte for byte (one Spark query carries both, to keep the test short). Runs in the normal
suite (.ci/run): pyspark is in the lock and Java 17 on the machine; skipped only when no Java is found."""
from __future__ import annotations

import shutil

import pytest

from reasoner.columnar import compile_policy
from reasoner.config import ReasonerConfig
from reasoner.model import load_policy
from reasoner.samples import write_registry
from reasoner.tabular import SUMMARY_SCHEMA, DuckDBEngine, SummaryWriter, _normalise_total, chunks, prep_sql

ROWS = 10000

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark")


def _summary_bytes(table, path) -> bytes:
    with path.open("wb") as f:
        writer = SummaryWriter(f, path.suffix)
        writer.write(_normalise_total(table.select(SUMMARY_SCHEMA.names)))
        writer.close()
    return path.read_bytes()


def test_spark_equals_duckdb_on_10000_enterprises(tmp_path, xicheng):
    from reasoner.spark import SparkEngine
    policy = load_policy(xicheng.graph)
    src = tmp_path / "registry.csv"
    write_registry(src, policy, ROWS, seed=11)
    compiled = compile_policy(policy)
    duck = DuckDBEngine()
    try:
        part = next(chunks(src, chunk=ROWS))
        typed = duck.prep(prep_sql(part.header, compiled.columns, ReasonerConfig()), part.raw_table())
        typed = typed.filter(typed.column("_clean"))
        assert typed.num_rows > 0.9 * ROWS  # the generated cells are ones the SQL reads
        expected = duck.run(compiled.combined_sql, typed)
    finally:
        duck.close()
    spark = SparkEngine("local[2]")
    try:
        got = spark.run(compiled.combined_sql, typed)
    finally:
        spark.close()
    detail = [c for c in expected.column_names if c not in SUMMARY_SCHEMA.names]
    assert got.select(detail).to_pylist() == expected.select(detail).to_pylist()
    rows = expected.select(detail).to_pylist()
    assert {row[f"s{i}"] for row in rows for i in range(len(policy.measures))} == {0, 1, 2}
    assert sum(row["total"] is not None for row in rows) > ROWS / 10
    for suffix in (".csv", ".parquet"):
        assert _summary_bytes(got, tmp_path / f"spark{suffix}") == _summary_bytes(expected, tmp_path / f"duckdb{suffix}")


def test_run_batch_on_spark_plans_once_and_writes_duckdbs_file(tmp_path, xicheng, monkeypatch):
    """The whole batch on Spark: several chunks, one Spark query (planning the query is most of Spark's cost),
    the file byte-identical to DuckDB's, with the rows the Python path decides (unreadable cells) merged in."""
    from reasoner.spark import SparkEngine
    from reasoner.tabular import run_batch
    src = tmp_path / "registry.csv"
    write_registry(src, load_policy(xicheng.graph), 3000, seed=5)
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[10] = lines[10].split(",", 1)[0] + ",abc" + "," * (lines[10].count(",") - 1)  # an unreadable cell
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls = []
    run_file = SparkEngine.run_file
    monkeypatch.setattr(SparkEngine, "run_file", lambda self, *a: calls.append(a) or run_file(self, *a))
    spark_out, duck_out = tmp_path / "spark.csv", tmp_path / "duckdb.csv"
    try:
        counts = run_batch(src, spark_out, xicheng.graph, engine="spark", chunk=1000)
    finally:
        from pyspark.sql import SparkSession
        session = SparkSession.getActiveSession()
        if session is not None:
            session.stop()
    run_batch(src, duck_out, xicheng.graph, engine="duckdb", chunk=700)
    assert counts["engine"] == "spark" and counts["rows"] == 3000 and len(calls) == 1
    assert spark_out.read_bytes() == duck_out.read_bytes()
    assert b'"error"' in spark_out.read_bytes()
