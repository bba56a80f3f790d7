"""Synthetic enterprise registries for benchmarks and engine tests, drawn from a policy's own vocabulary.

`registry_rows(policy, n, seed)` yields CSV rows (header first): qualifications with random statuses,
every threshold quantity at, just below or just above its thresholds (or a multiple), the bases of award
formulas around the amounts that hit their caps, flags, industries, roles and confirmations; about a third
of the cells empty (unknown). Amounts are written as yuan, 万 or with thousands separators, like a
spreadsheet export. Deterministic for a seed. `library_rows(policies, n)`: the same for several documents,
each document's columns side by side (a registry checked against a whole corpus folder).
"""
from __future__ import annotations

import random
from decimal import Decimal
from typing import Iterator

from .awards import OVERALL, PER_UNIT, _rate_bases
from .config import ReasonerConfig
from .model import condition_vocabulary

STATUSES = ("new", "renewed", "held", "none")


def _bases(policy, config: ReasonerConfig) -> dict:
    out: dict = {}
    for m in policy.measures:
        caps = [a["value"] for a in m["amounts"] if a["kind"] in PER_UNIT + OVERALL]
        for a in m["amounts"]:
            names = [a.get("base_quantity")] if a["kind"] in ("ratio", "match_ratio") else \
                _rate_bases(a, config) if a["kind"] == "rate" else []
            for b in (n for n in names if isinstance(n, str)):
                vals = out.setdefault(b, {Decimal(1000000)})
                vals |= {(c / a["value"]).quantize(Decimal(1)) for c in caps if a["value"]}
    return {k: sorted(v) for k, v in out.items()}


def _cell(value: Decimal, rnd: random.Random) -> str:
    style = rnd.random()
    if style < 0.2 and value % 10000 == 0:
        return f"{value // 10000}万"
    if style < 0.3:
        return f"{value:,}"
    return str(value)


def registry_rows(policy, n: int, seed: int = 7, config: ReasonerConfig = ReasonerConfig()) -> Iterator[list[str]]:
    v = condition_vocabulary(policy)
    near = {q: sorted({t + d for t in values for d in (Decimal(-1), Decimal(0), Decimal(1)) if t + d >= 0})
            for q, values in v.thresholds.items()}
    for q, values in _bases(policy, config).items():
        near[q] = sorted(set(near.get(q, [])) | set(values))
    quants, quals, flags = sorted(near), list(v.qualifications), list(v.flags)
    roles = sorted({m["beneficiary"] for m in policy.measures})
    keys = [m["key"] for m in policy.measures]
    industries = sorted({"A", "C", *v.industries})
    yield ["id", "industry", *quals, *quants, *flags, "roles", "confirmed"]
    rnd = random.Random(seed)
    for i in range(n):
        row = [f"e{i}", rnd.choice(["", *industries])]
        row += [rnd.choice(STATUSES) if rnd.random() < 0.3 else "" for _ in quals]
        for q in quants:
            if rnd.random() < 0.5:
                row.append("")
            else:
                base = rnd.choice(near[q]) * rnd.choice((Decimal(1), Decimal(1), Decimal(2), Decimal("0.5")))
                row.append(_cell(base.quantize(Decimal(1)), rnd))
        row += [rnd.choice(("是", "否", "true", "")) for _ in flags]
        row.append(rnd.choice(["", "", roles[0] if roles else "", ";".join(roles)]))
        row.append(";".join(rnd.sample(keys, min(len(keys), rnd.choice((0, 0, 2, 6))))))
        yield row


def library_rows(policies: list, n: int, seed: int = 7) -> Iterator[list[str]]:
    """Rows drawn from every policy's vocabulary (header first): shared columns keep the first document's
    value unless empty; confirmations are joined."""
    header: list[str] = []
    table: list[dict] = [{} for _ in range(n)]
    for k, policy in enumerate(policies):
        it = registry_rows(policy, n, seed=seed + k)
        cols = next(it)
        header += [c for c in cols if c not in header]
        for row, values in zip(table, it):
            for c, v in zip(cols, values):
                if c == "confirmed" and row.get(c) and v:
                    v = row[c] + ";" + v
                row[c] = row.get(c) or v
    yield header
    for row in table:
        yield [row.get(c, "") for c in header]


def write_registry(path, policy, n: int, seed: int = 7) -> None:
    """Write a CSV registry (UTF-8) of n synthetic enterprises (`policy`: one policy, or a list of them)."""
    import csv
    rows = library_rows(policy, n, seed) if isinstance(policy, list) else registry_rows(policy, n, seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
