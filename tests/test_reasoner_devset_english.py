"""The shared dev set in English (tests/data/devset/profiles_en.yaml): the same facts as the Chinese text,
and the same eligible clauses and estimates, exact to the yuan."""
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.assess import assess, eligible_by_clause
from reasoner.evidence import with_evidence
from reasoner.model import load_policy
from reasoner.textprofile import profile_from_text

DEV = Path(__file__).resolve().parent / "data/devset" / "profiles.json"  # copy of ../shared/dev (test_devset_copy)
CHINESE = {c["id"]: c for c in json.loads(DEV.read_text(encoding="utf-8"))}
CASES = yaml.safe_load((Path(__file__).parent / "data/devset/profiles_en.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph():
    return build_source(DEFAULT_CORPUS).graph


def _facts(profile):
    return profile.qualifications, profile.quantities, profile.flags, profile.industry, profile.roles


def test_every_dev_profile_has_an_english_version():
    assert not CHINESE or set(CHINESE) <= {c["id"] for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['id']}:{c.get('variant', 'en')}" for c in CASES])
def test_english_dev_profile(case, graph):
    chinese = CHINESE[case["id"]]
    english = profile_from_text(case["text"])
    assert _facts(english) == _facts(profile_from_text(chinese["text"]))
    want = {k: None if v is None else Decimal(str(v)) for k, v in chinese["eligible"].items()}
    english = with_evidence(english, case["text"], load_policy(graph))  # what it says of each condition, as check --text
    assert eligible_by_clause(assess(english, graph)) == want
