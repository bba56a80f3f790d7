"""Free-text profiles in English, mixed and Chinese (tests/data/profile_text/*.yaml): every fact read, and
nothing else; each quote is the source span."""
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from reasoner.textprofile import profile_from_text

FILES = sorted((Path(__file__).parent / "data" / "profile_text").glob("*.yaml"))
CASES = [c for f in FILES for c in yaml.safe_load(f.read_text(encoding="utf-8"))]


def test_enough_english_cases():
    assert sum(f.name == "en.yaml" for f in FILES) == 1 and len(yaml.safe_load(FILES[0].read_text("utf-8"))) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_profile_text(case):
    text = case["text"]
    p = profile_from_text(text)
    got = (p.qualifications, p.quantities, p.flags, p.industry, list(p.roles))
    want = (case.get("qualifications", {}), {k: Decimal(str(v)) for k, v in case.get("quantities", {}).items()},
            case.get("flags", {}), case.get("industry"), case.get("roles", []))
    assert got == want
    for s in p.sources:
        assert text[s["start"]:s["end"]] == s["quote"]
    quotes = {s["fact"]: s["quote"] for s in p.sources}
    for fact, quote in case.get("quotes", {}).items():
        assert quotes[fact] == quote
