"""The shared dev set through the free-text path: eligible clauses exact, estimates exact to the yuan."""
import json
from decimal import Decimal
from pathlib import Path

import pytest

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.assess import assess, eligible_by_clause
from reasoner.evidence import with_evidence
from reasoner.model import load_policy
from reasoner.textprofile import profile_from_text

DEV = Path(__file__).resolve().parent / "data/devset" / "profiles.json"  # copy of ../shared/dev (test_devset_copy)
CASES = json.loads(DEV.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph():
    return build_source(DEFAULT_CORPUS).graph


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_dev_profile(case, graph):
    # as `check --text` reads a description: its facts, then what it says of each condition (words only here)
    profile = with_evidence(profile_from_text(case["text"]), case["text"], load_policy(graph))
    got = eligible_by_clause(assess(profile, graph))
    want = {k: None if v is None else Decimal(str(v)) for k, v in case["eligible"].items()}
    assert got == want
