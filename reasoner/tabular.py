"""Registry-sized batches: enterprises.csv|.parquet → summary rows (.csv|.parquet), streamed in chunks.

Each chunk is read into columns of stripped strings (CSV by Python's csv module, exactly as reasoner.csvprofile
reads it; Parquet by pyarrow, every cell as its text), then DuckDB types them (`prep_sql`): a row is *clean*
when every cell is one the SQL reads exactly (plain decimal amounts with at most 2 decimals after 万/亿, the
four qualification words, 是/否/true/false, an industry letter) and the row is not malformed or a repeated id.
Clean rows go to the compiled decision (reasoner.columnar) on DuckDB or Spark; every other row goes through
the Python path (reasoner.csvprofile + reasoner.assess), which names the error or decides the rare shapes
(one value per unit, 三十万). Both give the same summary row, so the output is the same whichever engine.

The output is written to a temporary file in the same folder and renamed at the end: an interrupted batch
leaves the previous file (or none), never half of one. Entry point: `run_batch(path, out, graph | library=…, …)`.
"""
from __future__ import annotations

import codecs
import csv
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from kg_builder.errors import PolicyInputError
from kg_builder.lexicon import load_lexicon

from .batch import SUMMARY_FIELDS, assess_many, summary_row
from .config import ReasonerConfig
from .csvprofile import FALSE, TRUE, check_header, row_problem, row_profile

SUMMARY_SCHEMA = pa.schema([("row", pa.int64()), ("id", pa.string()), ("status", pa.string()),
                            ("eligible", pa.string()), ("total_estimate_yuan", pa.string()),
                            ("needs_info", pa.string()), ("missing_fields", pa.string()),
                            ("to_confirm", pa.int64()), ("ineligible", pa.string()), ("error", pa.string())])
ENCODINGS = ("utf-8-sig", "gb18030")
TABULAR = (".csv", ".parquet")
OUTPUTS = (".csv", ".parquet", ".jsonl")
MULT_DIGITS = {"千": 3, "万": 4, "亿": 8}
MAX_DIGITS = 16  # integer digits of an amount the SQL reads (10¹⁶ yuan); longer ones go to the Python path
BLOCK = 1 << 23  # bytes per block of pyarrow's CSV reader


@dataclass
class Chunk:
    header: list[str]
    rows: list[int]  # row number (CSV: line of the record as csv.DictReader counts it; Parquet: 1-based)
    ids: list[str]  # the id cell, stripped ("" when empty)
    cells: list[pa.Array]  # per header column, the cells as text (null or "" when empty)
    problems: dict[int, PolicyInputError]  # index in chunk → malformed row / repeated id

    def row_dict(self, j: int) -> dict:
        return {h: col[j].as_py() for h, col in zip(self.header, self.cells)}

    def raw_table(self) -> pa.Table:
        cols = {"_row": pa.array(self.rows, pa.int64()), "_id": pa.array(self.ids, pa.string()),
                "_bad": pa.array([j in self.problems for j in range(len(self.rows))], pa.bool_())}
        cols |= {f"r{c}": col for c, col in enumerate(self.cells)}
        return pa.table(cols)


def _encoding(path: Path) -> str:
    from kg_builder.corpus import decode
    with path.open("rb") as f:
        head = f.read(4096)
    if not head.strip() or b"\x00" in head:
        decode(head, str(path), what="a profile file")  # raises the usual one-line error
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while block := f.read(1 << 20):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise PolicyInputError(str(path), "cannot decode the text", expected="UTF-8 or GBK/GB18030 encoding")


def _cells(header: list[str], columns) -> list[pa.Array]:
    """Columns as Arrow text; roles and confirmed are stripped here (Python's str.strip), the others in SQL."""
    def text(h, col):
        if h in ("roles", "confirmed"):
            return pa.array([c.strip() for c in (col.to_pylist() if isinstance(col, pa.Array) else col)], pa.string())
        return col if isinstance(col, pa.Array) else pa.array(col, pa.string())
    return [text(h, col) for h, col in zip(header, columns)]


def csv_chunks(path: Path, *, chunk: int, config: ReasonerConfig) -> Iterator[Chunk]:
    """The header is read by Python's csv module (its errors as reasoner.csvprofile gives them), the rows by
    pyarrow's multi-threaded reader, every cell as text. A row with too many or too few cells stops pyarrow;
    from the first row not yet yielded on, Python's csv module reads the rest and names the row."""
    source, encoding = str(path), _encoding(path)
    with path.open(encoding=encoding, newline="") as f:
        header = check_header(next(csv.reader(f), None), source=source, config=config)
    seen: dict = {}
    done = 0
    try:
        for part in _arrow_csv(path, encoding, header, chunk, seen, source):
            done = part.rows[-1] - 1 if part.rows else done
            yield part
    except _Malformed:
        yield from _python_csv(path, encoding, header, chunk, seen, source, skip=done)


class _Malformed(Exception):
    """pyarrow met a row whose cells do not match the header."""


def _arrow_csv(path: Path, encoding: str, header: list[str], chunk: int, seen: dict, source: str) -> Iterator[Chunk]:
    import pyarrow.csv as pcsv
    names = [f"c{c}" for c in range(len(header))]
    try:
        reader = pcsv.open_csv(
            path, read_options=pcsv.ReadOptions(skip_rows=1, column_names=names, block_size=BLOCK,
                                                encoding="utf8" if encoding == "utf-8-sig" else encoding),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, invalid_row_handler=lambda row: "error"),
            convert_options=pcsv.ConvertOptions(column_types={c: pa.string() for c in names},
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, StopIteration) as err:  # the first block already has a malformed row, or no rows
        if isinstance(err, pa.ArrowInvalid):
            raise _Malformed from err
        return
    n, id_at = 1, header.index("id") if "id" in header else None
    pending: list[pa.RecordBatch] = []
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            batch = None
        except pa.ArrowInvalid as err:
            raise _Malformed from err
        if batch is not None and batch.num_rows:
            pending.append(batch)
        rows = sum(b.num_rows for b in pending)
        if rows < chunk and batch is not None:
            continue
        if not rows:
            return
        table = pa.Table.from_batches(pending)
        take = min(chunk, rows)
        part, rest = table.slice(0, take), table.slice(take)
        pending = rest.to_batches() if rest.num_rows else []
        nums = list(range(n + 1, n + 1 + take))
        n += take
        raw = part.column(id_at).to_pylist() if id_at is not None else [""] * take
        ids = [x.strip() for x in raw]
        problems = {}
        for j, rid in enumerate(ids):
            problem = row_problem(nums[j], 0, rid, seen, source=source, width=len(header)) if rid else None
            if problem:
                problems[j] = problem
        cells = [part.column(c).combine_chunks() for c in range(len(header))]
        yield Chunk(header, nums, ids, _cells(header, cells), problems)
        if batch is None and not pending:
            return


def _python_csv(path: Path, encoding: str, header: list[str], chunk: int, seen: dict, source: str, *,
                skip: int = 0) -> Iterator[Chunk]:
    """Rows by Python's csv module (exactly as reasoner.csvprofile reads them), after the first `skip` rows."""
    with path.open(encoding=encoding, newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        width, n = len(header), 1
        id_at = header.index("id") if "id" in header else None
        while True:
            rows, nums, ids, problems = [], [], [], {}
            for record in reader:
                if not record:
                    continue  # csv.DictReader skips empty records too
                n += 1
                if n - 1 <= skip:
                    continue
                rid = (record[id_at] if id_at is not None and id_at < len(record) else "").strip()
                problem = row_problem(n, max(0, len(record) - width), rid, seen, source=source, width=width)
                if problem:
                    problems[len(rows)] = problem
                rows.append(record[:width] + [""] * (width - len(record)) if len(record) != width else record)
                nums.append(n)
                ids.append(rid)
                if len(rows) >= chunk:
                    break
            if not rows:
                return
            yield Chunk(header, nums, ids, _cells(header, zip(*rows)), problems)


def parquet_chunks(path: Path, *, chunk: int, config: ReasonerConfig) -> Iterator[Chunk]:
    import pyarrow.parquet as pq
    source = str(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError …
        raise PolicyInputError(source, f"cannot read Parquet ({err})", expected="a Parquet file") from err
    header = check_header(pf.schema_arrow.names, source=source, config=config)
    seen, n = {}, 0
    for batch in pf.iter_batches(batch_size=chunk):
        cells = [batch.column(c).cast(pa.string()) for c in range(batch.num_columns)]
        cells = _cells(header, cells)
        id_col = cells[header.index("id")].to_pylist() if "id" in header else [None] * batch.num_rows
        nums, ids, problems = [], [], {}
        for j, rid in enumerate(id_col):
            n += 1
            rid = (rid or "").strip()
            problem = row_problem(n, 0, rid, seen, source=source, width=len(header))
            if problem:
                problems[j] = problem
            nums.append(n)
            ids.append(rid)
        yield Chunk(header, nums, ids, cells, problems)


def chunks(path: Path, *, chunk: int = 50000, config: ReasonerConfig = ReasonerConfig()) -> Iterator[Chunk]:
    if not path.exists() or path.is_dir():
        raise PolicyInputError(str(path), "no such file", expected="enterprises.csv or .parquet")
    if path.suffix.lower() == ".parquet":
        return parquet_chunks(path, chunk=chunk, config=config)
    return csv_chunks(path, chunk=chunk, config=config)


def prep_sql(header: list[str], columns: dict, config: ReasonerConfig) -> str:
    """DuckDB SELECT over the raw chunk (`raw`): typed fact columns the compiled checks read, and `_clean`.
    Cells are trimmed of spaces only; a cell with other white space at its ends fails its pattern and the row
    goes to the Python path, so nothing is read differently from reasoner.csvprofile."""
    lex = load_lexicon(config.lexicon_path)
    industries = ", ".join(f"'{c.id}'" for c in lex.of("industry"))
    trimmed, parsed, typed, clean = [], [], {}, ["NOT _bad"]
    for c, h in enumerate(header):
        r = f"r{c}"
        trimmed.append(f"nullif(trim({r}), '') AS {r}")
        try:
            concept = lex.concept(h)  # the dictionary's or a minted one (a corpus' open vocabulary)
        except KeyError:
            concept = None
        scheme = concept.scheme if concept and concept.scheme != "industry" else h
        if scheme == "quantity":
            money = (concept.unit or "CNY") == "CNY"
            pattern = r"^([0-9]+)(\.([0-9]+))?" + ("(千|万|亿)?元?$" if money else "()$")
            parsed.append(f"regexp_extract(replace(replace({r}, ',', ''), '，', ''), '{pattern}', "
                          f"['i', 'x', 'f', 'm']) AS p{c}")
            p = f"p{c}"
            digits = f"(CASE {p}.m WHEN '千' THEN 3 WHEN '万' THEN 4 WHEN '亿' THEN 8 ELSE 0 END)"
            clean.append(f"({r} IS NULL OR ({p}.i <> '' AND length({p}.f) <= 2 + {digits} AND "
                         f"length({p}.i) + {digits} <= {MAX_DIGITS}))")
            typed[("quantity", h)] = (f"CASE WHEN {p}.i <> '' THEN CAST(CAST({p}.i || '.' || {p}.f || '0' AS "
                                      f"DECIMAL(38,10)) * CAST(power(10, {digits}) AS DECIMAL(38,0)) AS DECIMAL(38,6)) END")
        elif scheme == "qualification":
            clean.append(f"({r} IS NULL OR {r} IN ('new', 'renewed', 'held', 'none'))")
            typed[("qualification", h)] = r
        elif scheme == "flag":
            yes, no = (", ".join(f"'{w}'" for w in sorted(s)) for s in (TRUE, FALSE))
            clean.append(f"({r} IS NULL OR lower({r}) IN ({yes}, {no}))")
            typed[("flag", h)] = f"CASE WHEN lower({r}) IN ({yes}) THEN TRUE WHEN lower({r}) IN ({no}) THEN FALSE END"
        elif h == "industry":
            clean.append(f"({r} IS NULL OR {r} IN ({industries}))")
            typed[("industry", None)] = r
        elif h in ("roles", "confirmed"):
            typed[("set", h)] = f"';' || coalesce({r}, '') || ';'"
    out = ["_row", "CASE WHEN _id = '' THEN 'row' || CAST(_row AS VARCHAR) ELSE _id END AS _id"]
    for col in columns.values():
        key = ("set", col.name[1:]) if col.scheme == "set" else (col.scheme, col.concept)
        null = {"quantity": "CAST(NULL AS DECIMAL(38,6))", "flag": "CAST(NULL AS BOOLEAN)", "set": "';'"}
        out.append(f"{typed.get(key, null.get(col.scheme, 'CAST(NULL AS VARCHAR)'))} AS {col.name}")
    inner = f"SELECT _row, _id, _bad, {', '.join(trimmed)} FROM raw" if trimmed else "SELECT _row, _id, _bad FROM raw"
    middle = f"SELECT *, {', '.join(parsed)} FROM ({inner}) AS t" if parsed else f"SELECT * FROM ({inner}) AS t"
    return f"SELECT {', '.join(out)}, ({' AND '.join(clean)}) AS _clean FROM ({middle}) AS p"


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str = "1GB"):
        import duckdb
        self.con = duckdb.connect(config={"memory_limit": memory_limit, **({"threads": threads} if threads else {})})

    def _query(self, name: str, sql: str, table: pa.Table) -> pa.Table:
        self.con.register(name, table)
        try:
            return self.con.sql(sql).to_arrow_table()
        finally:
            self.con.unregister(name)

    def prep(self, sql: str, raw: pa.Table) -> pa.Table:
        return self._query("raw", sql, raw)

    def run(self, sql: str, table: pa.Table) -> pa.Table:
        return self._query("enterprises", sql, table)

    def close(self) -> None:
        self.con.close()


def _python_rows(chunk: Chunk, indexes: list[int], assess_rows, *, config, source) -> list[dict]:
    """Summary rows of the chunk's rows `indexes` by the Python path (`assess_rows`: items → (key, report))."""
    take = pa.array(indexes, pa.int64())
    values = [col.take(take).to_pylist() for col in chunk.cells]
    items = []
    for k, j in enumerate(indexes):
        n = chunk.rows[j]
        row = {h: col[k] for h, col in zip(chunk.header, values)}
        items.append((n, chunk.problems.get(j) or row_profile(n, row, source=source, config=config)))
    return [summary_row(key, item) for key, item in assess_rows(items)]


def _rows_table(rows: list[dict]) -> pa.Table:
    cols = {f: [r[f] for r in rows] for f in SUMMARY_FIELDS}
    cols["to_confirm"] = [None if v == "" else int(v) for v in cols["to_confirm"]]
    cols["total_estimate_yuan"] = [v or None for v in cols["total_estimate_yuan"]]
    return pa.table(cols, schema=SUMMARY_SCHEMA)


def _normalise_total(table: pa.Table) -> pa.Table:
    """DECIMAL(38,6) → exact text without trailing zeros, as reasoner.batch.summary_row writes it."""
    col = table.column("total_estimate_yuan")
    if pa.types.is_decimal(col.type):
        text = pc.cast(col, pa.string())
        text = pc.replace_substring_regex(text, r"(\.[0-9]*?)0+$", r"\1")
        text = pc.replace_substring_regex(text, r"\.$", "")
        table = table.set_column(table.schema.get_field_index("total_estimate_yuan"), "total_estimate_yuan", text)
    return table.cast(SUMMARY_SCHEMA)


def decide_chunk(chunk: Chunk, assess_rows, engine, *, compiled, prep: str | None,
                 config: ReasonerConfig = ReasonerConfig(), source: str = "") -> pa.Table:
    """Summary rows of one chunk, in row order: clean rows by the engine, the others (unreadable cells, or a
    measure eligible whose award is not compiled: `_py`) by the Python path."""
    if engine is None or compiled is None:
        rest = list(range(len(chunk.rows)))
        return _rows_table(_python_rows(chunk, rest, assess_rows, config=config, source=source))
    typed = engine.prep(prep, chunk.raw_table())
    clean = typed.column("_clean").to_pylist()
    result = engine.run(compiled.sql, typed.filter(typed.column("_clean")))
    py = result.column("_py")
    parts = [_normalise_total(result.filter(pc.invert(py)).drop_columns(["_py"]))]
    at = {n: j for j, n in enumerate(chunk.rows)}
    rest = sorted([j for j, ok in enumerate(clean) if not ok] + [at[n] for n in result.filter(py).column("row").to_pylist()])
    if rest:
        parts.append(_rows_table(_python_rows(chunk, rest, assess_rows, config=config, source=source)))
        return pa.concat_tables(parts).sort_by("row")
    return parts[0]


@contextmanager
def atomic_output(path: Path, mode: str = "w", **kwargs):
    """Yield a temporary file beside `path`; renamed to `path` only when the block completes."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                                   suffix=".part")
    except OSError as err:
        raise PolicyInputError(str(path), f"cannot write ({err.strerror})") from err
    os.close(fd)
    try:
        with open(tmp, mode, **kwargs) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SummaryWriter:
    """Writes summary tables to .csv (UTF-8 with BOM as Excel opens it, CRLF, strings quoted; pyarrow) or .parquet
    (row groups of ROW_GROUP rows whatever the chunks, so the bytes do not depend on the engine's chunk size)."""
    ROW_GROUP = 65536

    def __init__(self, f, fmt: str):
        self.f, self.fmt, self.out, self.pending = f, fmt, None, []
        if fmt == ".csv":
            import pyarrow.csv as pcsv
            f.write(codecs.BOM_UTF8)
            self.out = pcsv.CSVWriter(f, SUMMARY_SCHEMA, write_options=pcsv.WriteOptions(eol="\r\n",
                                                                                         quoting_header="none"))
        else:
            import pyarrow.parquet as pq
            self.out = pq.ParquetWriter(f, SUMMARY_SCHEMA)

    def write(self, table: pa.Table) -> None:
        if self.fmt == ".csv":
            self.out.write_table(table)
            return
        self.pending.append(table)
        rows = sum(t.num_rows for t in self.pending)
        if rows >= self.ROW_GROUP:
            whole = pa.concat_tables(self.pending)
            full = rows - rows % self.ROW_GROUP
            self.out.write_table(whole.slice(0, full).combine_chunks(), row_group_size=self.ROW_GROUP)
            self.pending = [whole.slice(full)]

    def close(self) -> None:
        if self.fmt == ".parquet" and self.pending:
            rest = pa.concat_tables(self.pending)
            if rest.num_rows:
                self.out.write_table(rest.combine_chunks(), row_group_size=self.ROW_GROUP)
        self.out.close()


def make_engine(name: str, *, spark_master: str | None = None):
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        from .spark import SparkEngine
        return SparkEngine(master=spark_master)
    return None


def run_batch(path: Path, out: Path, graph=None, *, engine: str = "duckdb", same_project=(), as_of=None,
              config: ReasonerConfig = ReasonerConfig(), chunk: int | None = None, spark_master: str | None = None,
              progress: Callable[[int], None] | None = None, warn: Callable[[str], None] | None = None,
              library=None, only=()) -> dict:
    """Check every row of `path`, write one summary row per input row to `out` (.csv or .parquet).
    Against one policy's `graph`, or a `library` (reasoner.library: the documents `only` selects, in force on
    `as_of`): one query over every document, the rows the summary of the merged report (`check` on a folder).
    `as_of` does not change a summary row (only the reasons' notes). Returns {"rows", "errors", "engine"}."""
    from .columnar import Unsupported, compile_policies
    from .model import load_policy
    if library is not None:
        from .library import assess_many_library, selected
        docs = selected(library, only, as_of)[0]
        policies, names = [load_policy(d.build.graph, config=config) for d in docs], [d.doc_id for d in docs]

        def assess_rows(items):
            return assess_many_library(items, library, only=only, same_project=same_project, as_of=as_of)
    else:
        policies, names = [load_policy(graph, config=config)], None

        def assess_rows(items):
            return assess_many(items, graph, same_project=same_project, as_of=as_of, config=config)
    compiled = runner = None
    if engine in ("duckdb", "spark"):
        try:
            compiled = compile_policies(policies, config=config, same_project=same_project, documents=names)
        except Unsupported as err:
            if warn:
                warn(f"policykg: the {engine} engine cannot compile this policy ({err}); using the Python path")
    fmt = out.suffix.lower()
    counts = {"rows": 0, "errors": 0,
              "engine": "python" if engine in ("duckdb", "spark") and compiled is None else engine}
    size = chunk or (200000 if engine == "spark" else 100000)
    try:
        runner = make_engine(engine, spark_master=spark_master) if compiled is not None else None
        with atomic_output(out, "wb") as f:
            writer = SummaryWriter(f, fmt)
            if engine == "spark" and runner is not None:
                tables = _spark_tables(path, runner, compiled, assess_rows, size=size, config=config)
            else:
                tables = (decide_chunk(part, assess_rows, runner, compiled=compiled, config=config, source=str(path),
                                       prep=prep_sql(part.header, compiled.columns, config) if runner else None)
                          for part in _prefetch(chunks(path, chunk=size, config=config)))
            for table in tables:
                writer.write(table)
                counts["rows"] += table.num_rows
                counts["errors"] += sum(s == "error" for s in table.column("status").to_pylist())
                if progress:
                    progress(table.num_rows)
            writer.close()
    finally:
        if runner is not None:
            runner.close()
    return counts


def _spark_tables(path: Path, runner, compiled, assess_rows, *, size: int, config: ReasonerConfig) -> Iterator[pa.Table]:
    """Summary tables in row order, the compiled query planned once by Spark: the clean rows of every chunk,
    typed by DuckDB, go to one Parquet file; Spark writes the results of one query over it; the input is read
    again chunk by chunk and each chunk's results (sorted by DuckDB, streamed) are merged with the rows the
    Python path decides (unreadable cells: rows without a result; `_py` rows)."""
    import pyarrow.parquet as pq
    source = str(path)
    with tempfile.TemporaryDirectory(prefix="policykg-spark-", dir=os.environ.get("POLICYKG_SPARK_TMP")) as tmp:
        typed_path, results = Path(tmp) / "typed.parquet", Path(tmp) / "results"
        writer = prep = None
        for part in chunks(path, chunk=size, config=config):
            prep = prep or prep_sql(part.header, compiled.columns, config)
            typed = runner.prep(prep, part.raw_table())
            typed = typed.filter(typed.column("_clean")).drop_columns(["_clean"])
            writer = writer or pq.ParquetWriter(typed_path, typed.schema)
            writer.write_table(typed)
        if writer is None:
            return
        writer.close()
        runner.run_file(compiled.sql, typed_path, results)
        sorted_rows = runner.duck.con.sql(f"SELECT * FROM read_parquet({_sql_text(str(results / '*.parquet'))}) "
                                          f"ORDER BY row").to_arrow_reader(65536)
        buffered = None
        for part in chunks(path, chunk=size, config=config):
            last = part.rows[-1]
            pieces = [buffered] if buffered is not None else []
            while not pieces or pieces[-1].num_rows == 0 or pieces[-1].column("row")[-1].as_py() <= last:
                try:
                    pieces.append(pa.Table.from_batches([sorted_rows.read_next_batch()]))
                except StopIteration:
                    break
            got = pa.concat_tables(pieces) if pieces else None
            if got is None or got.num_rows == 0:
                mine, buffered = None, None
            else:
                cut = sum(1 for n in got.column("row").to_pylist() if n <= last)
                mine, buffered = got.slice(0, cut), got.slice(cut)
            at = {n: j for j, n in enumerate(part.rows)}
            decided = set(mine.column("row").to_pylist()) if mine is not None else set()
            py = mine.filter(mine.column("_py")) if mine is not None else None
            rest = sorted([j for n, j in at.items() if n not in decided] +
                          ([at[n] for n in py.column("row").to_pylist()] if py is not None else []))
            parts = [_normalise_total(mine.filter(pc.invert(mine.column("_py"))).drop_columns(["_py"]))] \
                if mine is not None else []
            if rest:
                parts.append(_rows_table(_python_rows(part, rest, assess_rows, config=config, source=source)))
            yield pa.concat_tables(parts).sort_by("row") if len(parts) > 1 else parts[0]


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _prefetch(it: Iterator[Chunk]) -> Iterator[Chunk]:
    """Read the next chunk in a thread while the engine (which releases the GIL) decides this one."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=1) as pool:
        nxt = pool.submit(next, it, None)
        while (part := nxt.result()) is not None:
            nxt = pool.submit(next, it, None)
            yield part


def profiles(path: Path, *, config: ReasonerConfig = ReasonerConfig()):
    """(row, Profile | PolicyInputError) for every row of a .csv or .parquet registry (the per-profile path)."""
    source = str(path)
    for part in chunks(path, chunk=5000, config=config):
        for j, n in enumerate(part.rows):
            yield n, part.problems.get(j) or row_profile(n, part.row_dict(j), source=source, config=config)


def profiles_table(profiles: dict, compiled, *, scale: int = 6) -> tuple[pa.Table, dict]:
    """Profiles → the typed input table of the compiled SQL (`_row` numbers the profiles in order), and the
    profiles it cannot hold (a quantity with one value per unit), {IRI: Profile}."""
    rows, rest = [], {}
    for iri, p in profiles.items():
        if p.exchange_rates or not all(_fits(v, scale) for v in p.quantities.values()):
            rest[iri] = p
        else:
            rows.append((iri, p))
    cols: dict = {"_row": pa.array(range(len(rows)), pa.int64()), "_id": pa.array([i for i, _ in rows], pa.string())}
    for col in compiled.columns.values():
        if col.scheme == "quantity":
            cols[col.name] = pa.array([p.quantities.get(col.concept) for _, p in rows], pa.decimal128(38, 6))
        elif col.scheme == "qualification":
            cols[col.name] = pa.array([p.qualifications.get(col.concept) for _, p in rows], pa.string())
        elif col.scheme == "flag":
            cols[col.name] = pa.array([p.flags.get(col.concept) for _, p in rows], pa.bool_())
        elif col.scheme == "industry":
            cols[col.name] = pa.array([p.industry for _, p in rows], pa.string())
        else:
            values = [p.roles if col.name == "_roles" else p.confirmed for _, p in rows]
            cols[col.name] = pa.array([";" + ";".join(v) + ";" for v in values], pa.string())
    return pa.table(cols), rest


def engine_outcomes(profiles: dict, policy, *, engine: str, config: ReasonerConfig = ReasonerConfig()) -> dict:
    """{(IRI, check IRI): "failing"|"missing"} from the compiled SQL on DuckDB or Spark — what
    reasoner.fast.run_embedded gives; profiles the SQL cannot hold (or a policy it cannot compile) use it."""
    from .columnar import Unsupported, compile_policy
    from .fast import run_embedded
    try:
        compiled = compile_policy(policy, config=config)
    except Unsupported:
        return run_embedded(profiles, policy, config=config)
    table, rest = profiles_table(profiles, compiled)
    runner = make_engine(engine)
    try:
        result = runner.run(compiled.outcomes_sql, table)
    finally:
        runner.close()
    out = run_embedded(rest, policy, config=config) if rest else {}
    iris = table.column("_id").to_pylist()
    names = {0: None, 1: "missing", 2: "failing"}
    for k, check in enumerate(compiled.checks):
        for row, value in zip(result.column("_row").to_pylist(), result.column(f"o{k}").to_pylist()):
            if value:
                out[(iris[row], check)] = names[value]
    return out


def _fits(v, scale: int) -> bool:
    """One value (not one per unit) with at most `scale` decimals that the SQL holds exactly."""
    return not isinstance(v, tuple) and v.is_finite() and v.as_tuple().exponent >= -scale and abs(v) < 10 ** MAX_DIGITS
