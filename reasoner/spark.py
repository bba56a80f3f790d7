"""The compiled decision SQL (reasoner.columnar, DuckDB dialect) transpiled with SQLGlot and run on Apache Spark.

`SparkEngine(master)`: local[2] by default (UI off, small shuffle), or a cluster's master (`spark://host:7077`,
`yarn`, `k8s://…`) from the argument or $SPARK_MASTER. Cells are typed in process by DuckDB (reasoner.tabular
prep), chunk by chunk, into one Parquet file; Spark plans the ~45 KB query once over that file (planning it
costs far more than running it) and writes the summary rows as Parquet; the driver merges them with the rows
the Python path decides and writes one file, byte-identical to DuckDB's. The temporary folder is
$POLICYKG_SPARK_TMP (on a cluster: storage every executor reads, e.g. a shared mount), else the system's.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pyarrow as pa


@lru_cache(maxsize=16)
def to_spark(sql: str) -> str:
    import sqlglot
    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]


class SparkEngine:
    name = "spark"

    def __init__(self, master: str | None = None):
        from pyspark.sql import SparkSession

        from .tabular import DuckDBEngine
        master = master or os.environ.get("SPARK_MASTER") or "local[2]"
        self.spark = (SparkSession.builder.master(master).appName("policykg check")
                      .config("spark.ui.enabled", "false")
                      .config("spark.ui.showConsoleProgress", "false")
                      .config("spark.sql.shuffle.partitions", "2" if master.startswith("local") else "200")
                      .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                      .config("spark.sql.optimizer.excludedRules",  # keep the layers apart: no re-inlined checks
                              "org.apache.spark.sql.catalyst.optimizer.CollapseProject")
                      .config("spark.sql.ansi.enabled", "true")  # decimal overflow is an error, never a NULL
                      .config("spark.sql.session.timeZone", "UTC")
                      .config("spark.driver.memory", os.environ.get("POLICYKG_SPARK_DRIVER_MEMORY", "1g"))
                      .getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")
        self.duck = DuckDBEngine()

    def prep(self, sql: str, raw: pa.Table) -> pa.Table:
        return self.duck.prep(sql, raw)

    def run(self, sql: str, table: pa.Table) -> pa.Table:
        df = self.spark.createDataFrame(table)
        df.createOrReplaceTempView("enterprises")
        try:
            return self.spark.sql(to_spark(sql)).toArrow()
        finally:
            self.spark.catalog.dropTempView("enterprises")

    def run_file(self, sql: str, src: Path, dest: Path) -> None:
        """The compiled query planned once over a whole typed input (Parquet at `src`), its rows written as
        Parquet under `dest` (in no particular order: the caller merges them by row)."""
        df = self.spark.read.parquet(str(src))
        df.createOrReplaceTempView("enterprises")
        try:
            self.spark.sql(to_spark(sql.removesuffix(" ORDER BY _row"))).write.mode("overwrite").parquet(str(dest))
        finally:
            self.spark.catalog.dropTempView("enterprises")

    def close(self) -> None:
        self.duck.close()  # the Spark session stays for the process (starting one takes seconds)
