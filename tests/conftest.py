"""Shared fixtures: the Xicheng build (once per session) and paths."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
XICHENG = ROOT / "corpus" / "xicheng_measures_draft.txt"


@pytest.fixture(scope="session")
def xicheng():
    from kg_builder.build import build_source
    return build_source(XICHENG)


def assert_measure_matches(m: dict, case: dict) -> None:
    """A measure of measures_json against a pinned case (tests/data/measures/*.yaml): clause, payee, benefit,
    each amount's kind/value/base/quote and each condition's kind/concepts/status/quantity/op/value, in order."""
    assert (m["clause"], m["beneficiary"], m["benefit"]) == (case["clause"], case["beneficiary"], case["benefit"])
    got = [(a["kind"], Decimal(str(a["value"])), a.get("base_quantity"), a["citation"]["quote"]) for a in m["amounts"]]
    want = [(a["kind"], Decimal(a["value"]), a.get("base_quantity"), a["quote"]) for a in case["amounts"]]
    assert got == want
    for a, w in zip(m["amounts"], case["amounts"]):  # optional pins: what a rate counts, its unit, currency, schedule
        if "per" in w:
            assert a.get("per", {}).get("quantity") == w["per"], (a, w)
        for key in ("unit", "currency"):
            if key in w:
                assert a.get(key) == w[key], (a, w)
        if "schedule" in w:
            assert [(s["years"], Decimal(str(s["value"]))) for s in a.get("schedule", [])] == \
                [(s["years"], Decimal(str(s["value"]))) for s in w["schedule"]], (a, w)
    got_c = [(c["kind"], c.get("concepts"), c.get("status"), c.get("quantity"), c.get("op"),
              Decimal(str(c["value"])) if "value" in c else None) for c in m["conditions"]]
    want_c = [(c["kind"], c.get("concepts"), c.get("status"), c.get("quantity"), c.get("op"),
               Decimal(c["value"]) if "value" in c else None) for c in case["conditions"]]
    assert got_c == want_c
