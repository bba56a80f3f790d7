"""批量检查: CSV of enterprises (one per row, columns = profile field ids) → one result row per enterprise."""
from __future__ import annotations

import csv
import io

MAX_ROWS = 5000


def parse_csv(data: bytes, fields, *, max_bytes: int) -> tuple[list[tuple[str, dict]], list[str]]:
    """(rows as (name, profile), per-row errors). Raises ValueError for a file that cannot be read at all."""
    from .profile import profile_from_values
    if len(data) > max_bytes:
        raise ValueError(f"文件过大（{len(data)} 字节，上限 {max_bytes}）/ file too large")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("CSV 须为 UTF-8 编码 / CSV must be UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise ValueError("CSV 须有表头且包含 name 列 / CSV needs a header with a name column")
    known = {f.id for f in fields} | {"name", "industry"}
    unknown = [c for c in reader.fieldnames if c not in known]
    if unknown:
        raise ValueError(f"未知列：{', '.join(unknown)}")
    rows, errors = [], []
    for i, row in enumerate(reader, 2):
        if i - 1 > MAX_ROWS:
            raise ValueError(f"最多 {MAX_ROWS} 行 / at most {MAX_ROWS} rows")
        name = (row.pop("name") or "").strip() or f"row {i}"
        try:
            values = {k: _cell(v) for k, v in row.items() if k is not None}
            rows.append((name, profile_from_values(values, fields)))
        except ValueError as err:
            errors.append(f"第{i}行（{name}）：{err}")
    return rows, errors


def _cell(v):
    v = (v or "").strip()
    return v or None


def summary_row(name: str, result: dict) -> dict:
    eligible = [r for r in result["results"] if r["status"] == "eligible"]
    return {"name": name, "eligible": " ".join(r["label"] for r in eligible),
            "needs_info": sum(r["status"] == "needs_info" for r in result["results"]),
            "total_estimate_yuan": str(result.get("total_estimate_yuan") or "")}


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    if rows:
        w = csv.DictWriter(out, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
