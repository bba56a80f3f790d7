"""CSV profiles: one enterprise per row, columns named by concept id (plus id, industry, roles, confirmed).

Empty cell = unknown. Qualification cells: new/renewed/held/none; flags: true/false/是/否/1/0; amounts in
yuan (12,000,000 or 1200万 / 1.5亿元) or the concept's unit (years, m², …); `a;b` = one value per unit. `profiles_from_csv(text, *, source, config)` yields (row number, Profile | PolicyInputError):
a bad row is reported with its number and the good rows are still processed.
"""
from __future__ import annotations

import csv
import io
import re

from kg_builder.errors import PolicyInputError
from kg_builder.lexicon import load_lexicon
from kg_builder.mint import is_minted, normalise
from kg_builder.numbers import cell_amount

from .config import ReasonerConfig
from .profile import profile_from_dict
from .schema import vocabulary


def _minted_by(key: str):
    from kg_builder.mint import minted
    return minted(key)

TRUE, FALSE = {"true", "1", "yes", "是", "y"}, {"false", "0", "no", "否", "n"}


def _cell(scheme: str | None, key: str, raw: str, unit: str | None = None):
    if scheme == "quantity":
        parts = [p for p in re.split(r"[;；]", raw) if p.strip()]
        if len(parts) > 1:  # one value per unit: 2000万;500万
            return [_cell(scheme, key, part, unit) for part in parts]
        try:
            return cell_amount(raw, money=(unit or "CNY") == "CNY")  # 1200万, 1.5亿元, 12,000,000
        except ValueError:
            return raw  # left for the schema to name as "not a number"
    if scheme == "flag":
        low = raw.lower()
        return True if low in TRUE else False if low in FALSE else raw
    return raw


def _row_dict(row: dict, lex) -> dict:
    data: dict = {}
    groups = {"qualification": "qualifications", "quantity": "quantities", "flag": "flags"}
    for key, raw in row.items():
        raw = (raw or "").strip()
        if not raw or key is None:
            continue
        concept = lex.concepts.get(key) or _minted_by(key)
        scheme = concept.scheme if concept and concept.scheme != "industry" else None
        if scheme:
            data.setdefault(groups[scheme], {})[key] = _cell(scheme, key, raw, concept.unit)
        elif key in ("roles", "confirmed"):
            data[key] = [p for p in raw.split(";") if p]
        else:
            data[key] = raw
    return data


OTHER_COLUMNS = ("id", "industry", "roles", "confirmed")


def check_header(fieldnames, *, source: str, config: ReasonerConfig = ReasonerConfig()) -> list[str]:
    """The stripped header; raises PolicyInputError for one that cannot be right (unknown or repeated column)."""
    header = [(h or "").strip() for h in fieldnames or []]
    known = {c.id for c in vocabulary(config) if c.scheme != "industry"} | set(OTHER_COLUMNS)
    labels = {normalise(c.zh): c.id for c in vocabulary(config) if is_minted(c.id)}  # minted: by label too
    header = [labels.get(normalise(h), h) for h in header]
    unknown = [h for h in header if h not in known]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if not header or unknown or repeated:
        problem = (f"unknown column {unknown[0]!r}" if unknown else f"repeated column {repeated[0]!r}" if repeated
                   else "no header row")
        raise PolicyInputError(source, problem, where="line 1",
                               expected="columns named by profile field ids (see `reasoner.schema`), e.g. id,"
                                        "HighTechEnterprise,rdExpense")
    return header


def row_problem(n: int, extra: int, rid: str, seen: dict, *, source: str, width: int) -> PolicyInputError | None:
    """What is wrong with a row as a whole (extra cells, an id used before); registers the row's id in `seen`."""
    if extra:
        return PolicyInputError(source, f"{extra} cells more than the header has", where=f"row {n}",
                                expected=f"{width} cells")
    if rid and rid in seen:
        return PolicyInputError(source, f"id {rid!r} repeats row {seen[rid]}", where=f"row {n} (id {rid}): id",
                                expected="one row per enterprise")
    if rid:
        seen[rid] = n
    return None


def row_profile(n: int, row: dict, *, source: str, config: ReasonerConfig = ReasonerConfig()):
    """Profile | PolicyInputError of one row {column: cell} whose structure is sound (see row_problem)."""
    rid = (row.get("id") or "").strip()
    at = f"row {n} (id {rid})" if rid else f"row {n}"
    try:
        data = _row_dict(row, load_lexicon(config.lexicon_path))
        data.setdefault("id", f"row{n}")
        return profile_from_dict(data, source=source, config=config)
    except PolicyInputError as err:
        return PolicyInputError(source, err.problem, where=f"{at}: {err.where}", expected=err.expected)


def profiles_from_csv(text: str, *, source: str = "<csv>", config: ReasonerConfig = ReasonerConfig()):
    """Raises PolicyInputError for a header that cannot be right (unknown or repeated column), before any row."""
    reader = csv.DictReader(io.StringIO(text))
    header = check_header(reader.fieldnames, source=source, config=config)
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for n, row in enumerate(reader, start=2):
        rid = (row.get("id") or "").strip()
        problem = row_problem(n, len(row.get(None) or ()), rid, seen, source=source, width=len(header))
        yield n, problem or row_profile(n, row, source=source, config=config)
