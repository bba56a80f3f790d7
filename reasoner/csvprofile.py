"""CSV profiles: one enterprise per row, columns named by concept id (plus id, industry, roles, confirmed).

Empty cell = unknown. Qualification cells: new/renewed/held/none; flags: true/false/是/否/1/0; amounts in
yuan (or years). `profiles_from_csv(text, *, source, config)` yields (row number, Profile | PolicyInputError):
a bad row is reported with its number and the good rows are still processed.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from kg_builder.errors import PolicyInputError
from kg_builder.lexicon import load_lexicon

from .config import ReasonerConfig
from .profile import profile_from_dict

TRUE, FALSE = {"true", "1", "yes", "是", "y"}, {"false", "0", "no", "否", "n"}


def _cell(scheme: str | None, key: str, raw: str):
    if scheme == "quantity":
        try:
            return Decimal(raw.replace(",", ""))
        except InvalidOperation:
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
        concept = lex.concepts.get(key)
        scheme = concept.scheme if concept and concept.scheme != "industry" else None
        if scheme:
            data.setdefault(groups[scheme], {})[key] = _cell(scheme, key, raw)
        elif key in ("roles", "confirmed"):
            data[key] = [p for p in raw.split(";") if p]
        else:
            data[key] = raw
    return data


def profiles_from_csv(text: str, *, source: str = "<csv>", config: ReasonerConfig = ReasonerConfig()):
    lex = load_lexicon(config.lexicon_path)
    for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            yield n, profile_from_dict(_row_dict(row, lex), source=source, config=config)
        except PolicyInputError as err:
            yield n, PolicyInputError(source, err.problem, where=f"row {n}: {err.where}", expected=err.expected)
