"""The extractor against a legal reading of the six real Nansha policies (tests/data/genre_reading/*.yaml).

One case per clause: every award of the reading (kind and value, currency, schedule) and every threshold
(op and value, currency) must be among the measures of that clause; a payee other than the enterprise must be
named; required wordings must be covered by a condition of every measure; clauses that grant nothing give no
measure; the applicability article's requirements bind every measure of the document. Known gaps are listed,
with the reason, in known_gaps.yaml and run as strict expected failures, so a fixed gap must be taken off the list.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
READING = ROOT / "tests" / "data" / "genre_reading"
GAPS = yaml.safe_load((READING / "known_gaps.yaml").read_text(encoding="utf-8")) or {}
UPTO = {"ratio", "max_ratio", "ratio_cap"}
NO_SUM = {"negotiated", "by_reference"}


def _readings():
    for path in sorted(READING.glob("nansha_*.yaml")):
        yield yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _measures(doc: str) -> tuple:
    from kg_builder.build import build_source
    from kg_builder.views import measures_json
    build = build_source(ROOT / "corpus" / f"{doc}.txt")
    return tuple(measures_json(build.graph, doc))


def _of(doc: str, clause: str) -> list[dict]:
    return [m for m in _measures(doc) if m["clause"] == clause or m["clause"].startswith(clause + ".")]


def _cases():
    for r in _readings():
        doc = r["document"]
        for clause, want in (r.get("clauses") or {}).items():
            yield pytest.param(doc, clause, want, id=f"{doc}:{clause}", marks=_gap(doc, clause))
        for clause in r.get("grants_nothing") or []:
            yield pytest.param(doc, clause, None, id=f"{doc}:{clause}:nothing", marks=_gap(doc, f"{clause}:nothing"))


def _gap(doc: str, key: str):
    reason = (GAPS.get(doc) or {}).get(key)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _currency(x: dict) -> str:
    return x.get("currency") or ("USD" if x.get("unit") == "USD" else "CNY")


def _has_award(measures: list[dict], want: dict) -> bool:
    kind, value = want["kind"], want.get("value")
    amounts = [a for m in measures for a in m["amounts"]]
    if kind in NO_SUM:
        return any(a["kind"] in NO_SUM for a in amounts) and not any(a["kind"] == "fixed" for a in amounts)
    kinds = UPTO if kind == "ratio" and want.get("upto") else \
        {"rate", "max_rate", "max_per_item"} if kind == "rate" and want.get("upto") else {kind}
    for a in amounts:
        if a["kind"] in kinds and (value is None or Decimal(str(a["value"])) == Decimal(str(value))) \
                and _currency(a) == want.get("currency", "CNY"):
            if want.get("schedule") and not any(m.get("schedule") for m in measures if a in m["amounts"]):
                continue
            return True
    return False


def _has_threshold(measures: list[dict], want: dict) -> bool:
    return any(c["kind"] == "threshold" and c.get("op") == want["op"]
               and Decimal(str(c["value"])) == Decimal(str(want["value"]))
               and (want.get("currency") is None or _currency(c) == want["currency"])
               for m in measures for c in m["conditions"])


def _covered(m: dict, words: str) -> bool:
    return any(words in c["citation"]["quote"] or c["citation"]["quote"] in words for c in m["conditions"])


@pytest.mark.parametrize("doc,clause,want", list(_cases()))
def test_clause_reading(doc, clause, want):
    measures = _of(doc, clause)
    if want is None:
        assert not measures, f"{doc} {clause} grants nothing, but gives {[m['id'] for m in measures]}"
        return
    assert measures, f"{doc} {clause}: no measure"
    missing = [a for a in want.get("awards", []) if not _has_award(measures, a)]
    assert not missing, f"awards not read: {missing}; got {[(a['kind'], a['value']) for m in measures for a in m['amounts']]}"
    missing = [t for t in want.get("thresholds", []) if not _has_threshold(measures, t)]
    assert not missing, f"thresholds not read: {missing}"
    if want.get("payee"):
        payees = [m["beneficiary"] for m in measures]
        assert any(want["payee"] in p or p in want["payee"] for p in payees), f"payee {want['payee']} not named: {payees}"
    for words in want.get("requires", []):
        assert any(_covered(m, words) for m in measures), f"requirement dropped: {words}"


@pytest.mark.parametrize("reading", list(_readings()), ids=lambda r: r["document"])
def test_applicability_binds_every_measure(reading):
    doc, app = reading["document"], reading["applicability"]
    marks = (GAPS.get(doc) or {}).get("applicability")
    if marks:
        pytest.xfail(marks)
    for m in _measures(doc):
        lost = [p for p in app["parts"] if not _own(m, p)]
        assert not lost, f"{m['id']}: applicability ({app['clause']}) parts not each a condition of its own: {lost}"


def _own(m: dict, part: str) -> bool:
    """Each requirement of the applicability article is a condition of its own, cited to its own words (a
    structured one may cite fewer of them), not buried in a longer quote."""
    return any(c.get("stated_in") and (c["citation"]["quote"] == part or c["kind"] != "text" and c["citation"]["quote"] in part)
               for c in m["conditions"])
