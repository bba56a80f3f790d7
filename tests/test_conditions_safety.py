"""The last guard against dropped conditions (kg_builder.safety), case by case on real and written texts
(tests/data/safety/cases.yaml): requirements no marker word announces are kept as conditions to confirm, a
clause's subject carries on to its later awards, and how or when an award is paid is not a requirement."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg_builder.build import build_source
from kg_builder.config import BuildConfig
from kg_builder.views import measures_json

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "safety"
CASES = yaml.safe_load((DATA / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    reviews, cache = tmp_path_factory.mktemp("reviews"), {}

    def get(name: str) -> dict[str, dict]:
        if name not in cache:
            path = ROOT / "corpus" / name if (ROOT / "corpus" / name).exists() else DATA / name
            result = build_source(path, config=BuildConfig(review_dir=reviews, apply_reviews=False))
            cache[name] = {m["id"].split("/", 1)[1]: m for m in measures_json(result.graph, result.doc_id)}
        return cache[name]
    return get


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_requirements_kept_and_payment_words_not(case, measures):
    m = measures(case["text"])[case["measure"]]
    quotes = [c["citation"]["quote"] for c in m["conditions"]]
    for q in case.get("kept") or []:
        assert q in quotes, (q, quotes)
    for q in case.get("not") or []:
        assert q not in quotes, (q, quotes)
