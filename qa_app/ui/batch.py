"""批量检查: the same CSV and results as `policykg check FILE.csv --out results.csv|.jsonl`.

Reading is reasoner.csvprofile's, checking reasoner.batch's; this module adds only what an upload needs
(size and row limits, the decoding Excel's GB18030 files need), the template and the two result files."""
from __future__ import annotations

import csv
import io
from itertools import islice

from kg_builder.corpus import decode
from kg_builder.errors import PolicyInputError
from policykg.jsonout import dumps
from reasoner.batch import SUMMARY_FIELDS, assess_many, summary_row
from reasoner.csvprofile import profiles_from_csv


def read_upload(raw: bytes, name: str, *, max_bytes: int, max_rows: int) -> list[tuple[int, object]]:
    """(row number, Profile | PolicyInputError) per data row. Raises PolicyInputError for a file that cannot
    be read at all: too large, too many rows, not text, or a header with an unknown or repeated column."""
    if len(raw) > max_bytes:
        raise PolicyInputError(name, f"文件过大 / file too large ({len(raw)} bytes)", expected=f"at most {max_bytes} bytes")
    text, _ = decode(raw, name, what="a profile file")
    rows = list(islice(profiles_from_csv(text, source=name), max_rows + 1))
    if len(rows) > max_rows:
        raise PolicyInputError(name, f"行数过多 / too many rows (more than {max_rows})",
                               where=f"row {rows[-1][0]}", expected=f"at most {max_rows} enterprises per file")
    return rows


def check(rows, loaded, *, as_of, chunk: int, progress=None) -> list[tuple[int, object]]:
    """(row number, report | PolicyInputError) per row, in order, on the document the page shows (the same
    report as `policykg check --doc ID`); `loaded` may also be a bare graph. `progress(done)` as rows finish."""
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done)
    if getattr(loaded, "library", None) is not None:
        from reasoner.library import assess_many_library
        return list(assess_many_library(rows, loaded.library, only=(loaded.build.doc_id,), as_of=as_of, progress=step))
    return list(assess_many(rows, loaded, as_of=as_of, chunk=chunk, progress=step))


def summary(outcomes) -> list[dict]:
    """The results table: one row per input row (SUMMARY_FIELDS), unreadable rows with their error."""
    return [summary_row(row, item) for row, item in outcomes]


def results_csv(table: list[dict]) -> bytes:
    """What `policykg check FILE.csv --out results.csv` writes for `summary(outcomes)`, through the same writer
    (reasoner.tabular.SummaryWriter: UTF-8 with BOM, so Excel reads the Chinese)."""
    from reasoner.tabular import SummaryWriter, _rows_table
    out = io.BytesIO()
    writer = SummaryWriter(out, ".csv")
    writer.write(_rows_table(table))
    writer.close()
    return out.getvalue()


def results_jsonl(outcomes) -> bytes:
    """What `policykg check FILE.csv --out results.jsonl` writes: one full report, or {input, error}, a line."""
    lines = (dumps({"input": row, "error": str(item)}) if isinstance(item, PolicyInputError) else dumps(item)
             for row, item in outcomes)
    return "".join(line + "\n" for line in lines).encode("utf-8")


def template_csv(fields) -> bytes:
    """Columns `id` and the profile fields the policy's conditions use; one example row showing each kind of
    cell on the first field of that kind: a status, an amount in yuan, one amount per unit, a yes/no."""
    example = {"id": "示例企业"}
    for wanted, value in ((lambda f: f.per_unit, "20000000;5000000"), (lambda f: f.scheme == "qualification", "new"),
                          (lambda f: f.scheme == "quantity" and f.unit == "CNY", "10000000"),
                          (lambda f: f.scheme == "flag", "是")):
        f = next((f for f in fields if wanted(f) and f.id not in example), None)
        if f is not None:
            example[f.id] = value
    return _csv_bytes(template_columns(fields), [example])


def template_columns(fields) -> list[str]:
    """`id`, the fields of the form (profile_fields) and `industry` when a condition names an industry."""
    columns = ["id"] + [f.id for f in fields if f.scheme != "industry"]
    return columns + (["industry"] if any(f.scheme == "industry" for f in fields) else [])


def _csv_bytes(columns, rows: list[dict]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
