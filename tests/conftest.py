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
    assert_amounts_match(m["amounts"], case["amounts"])
    got_c = [(c["kind"], c.get("concepts"), c.get("status"), c.get("quantity"), c.get("op"),
              Decimal(str(c["value"])) if "value" in c else None) for c in m["conditions"]]
    want_c = [(c["kind"], c.get("concepts"), c.get("status"), c.get("quantity"), c.get("op"),
               Decimal(c["value"]) if "value" in c else None) for c in case["conditions"]]
    assert got_c == want_c


def _decimal(value):
    return None if value is None else Decimal(str(value))


def assert_amounts_match(amounts: list[dict], pins: list[dict]) -> None:
    """Amounts of measures_json against pins: kind, value, base quantity and quote of each, in order; where a pin
    gives them, what a rate counts (`per`), its unit, currency and schedule."""
    got = [(a["kind"], _decimal(a["value"]), a.get("base_quantity"), a["citation"]["quote"]) for a in amounts]
    want = [(a["kind"], _decimal(a["value"]), concept_id(a.get("base_quantity")), a["quote"]) for a in pins]
    assert got == want
    for a, w in zip(amounts, pins):  # optional pins: what a rate counts, its unit, currency, schedule
        if "per" in w:
            assert a.get("per", {}).get("quantity") == concept_id(w["per"]), (a, w)
        for key in ("unit", "currency"):
            if key in w:
                assert a.get(key) == w[key], (a, w)
        if "schedule" in w:
            assert [(s["years"], Decimal(str(s["value"]))) for s in a.get("schedule", [])] == \
                [(s["years"], Decimal(str(s["value"]))) for s in w["schedule"]], (a, w)


def concept_id(name: str | None) -> str | None:
    """A dictionary id as is; 'mint:对我区经济贡献' → the id minted from that label (kg_builder.mint)."""
    if name is None or not name.startswith("mint:"):
        return name
    from kg_builder.mint import minted_id
    return minted_id("quantity", name[5:])
