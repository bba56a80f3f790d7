"""Free text → quantities the dictionary does not know but a policy named (minted concepts): data-driven cases in
tests/data/minted_text.yaml."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kg_builder.mint import mint
from reasoner.textprofile import profile_from_text

CASES = yaml.safe_load((Path(__file__).parent / "data" / "minted_text.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_minted_quantity_read_from_text(case):
    ids = {c["label"]: mint("quantity", c["label"], c["unit"]).id for c in case["minted"]}
    profile = profile_from_text(case["text"])
    read = {label: profile.quantities[cid] for label, cid in ids.items() if cid in profile.quantities}
    assert read == {k: Decimal(str(v)) for k, v in case["quantities"].items()}
    quotes = {s["fact"]: s["quote"] for s in profile.sources}
    for label, quote in (case.get("quotes") or {}).items():
        assert quotes[f"quantities.{ids[label]}"] == quote
    for s in profile.sources:
        assert case["text"][s["start"]:s["end"]] == s["quote"]
