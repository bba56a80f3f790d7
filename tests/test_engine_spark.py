"""The compiled checks, decisions and awards (reasoner.columnar) on Apache Spark in local mode give DuckDB's
results on 10,000 generated enterprises: every measure's status, estimate and forgone flag, the totals, and
the summary file byte for byte. Runs in the normal suite (.ci/run): pyspark is in the lock and Java 17 on
the machine; skipped only when no Java runtime is found."""
from __future__ import annotations

import shutil

import pytest

from reasoner.columnar import compile_policy
from reasoner.model import load_policy
from reasoner.samples import write_registry
from reasoner.config import ReasonerConfig
from reasoner.tabular import DuckDBEngine, chunks, prep_sql, run_batch

ROWS = 10000

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for Spark")


@pytest.fixture(scope="module")
def spark():
    from reasoner.spark import SparkEngine
    engine = SparkEngine("local[2]")
    yield engine
    engine.close()
    engine.spark.stop()


def test_spark_equals_duckdb_on_10000_enterprises(tmp_path, xicheng, spark):
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
        expected = duck.run(compiled.detail_sql, typed)
    finally:
        duck.close()
    got = spark.run(compiled.detail_sql, typed)
    assert got.to_pylist() == expected.to_pylist()
    statuses = {row[f"s{i}"] for row in expected.to_pylist()[:2000] for i in range(len(policy.measures))}
    assert statuses == {0, 1, 2} and any(row["total"] for row in expected.to_pylist())
    a, b = tmp_path / "duckdb.csv", tmp_path / "spark.csv"
    run_batch(src, a, xicheng.graph, engine="duckdb")
    counts = run_batch(src, b, xicheng.graph, engine="spark")  # the same local session (getOrCreate)
    assert counts["engine"] == "spark" and counts["rows"] == ROWS
    assert a.read_bytes() == b.read_bytes()
