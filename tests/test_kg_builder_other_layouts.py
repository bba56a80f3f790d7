"""Other policies of the genre go through the same pipeline: measures with amounts and exact quotes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from kg_builder.build import build_source
from kg_builder.views import measures_json

SAMPLES = sorted(p for p in (Path(__file__).parent / "data/layouts").glob("*.txt") if p.stem != "no_structure")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_gives_measures_with_exact_quotes(path, tmp_path):
    from kg_builder.config import BuildConfig
    result = build_source(path, config=BuildConfig(review_dir=tmp_path))
    measures = measures_json(result.graph, result.doc_id)
    assert measures, "no measure extracted"
    assert any(m["amounts"] for m in measures)
    for m in measures:
        for fact in [m, *m["conditions"], *m["amounts"]]:
            c = fact["citation"]
            assert result.text[c["start"]:c["end"]] == c["quote"]


def test_measures_command_on_another_layout():
    proc = subprocess.run([sys.executable, "-m", "policykg.cli", "measures", "--json", "--corpus", str(SAMPLES[0])],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.lstrip().startswith("[")


@pytest.fixture(scope="module")
def measures_of(tmp_path_factory):
    from kg_builder.config import BuildConfig
    reviews, cache = tmp_path_factory.mktemp("reviews"), {}

    def get(stem: str) -> dict[str, dict]:
        if stem not in cache:
            result = build_source(Path(__file__).parent / "data/layouts" / f"{stem}.txt",
                                  config=BuildConfig(review_dir=reviews))
            cache[stem] = {m["id"].split("/", 1)[1]: m for m in measures_json(result.graph, result.doc_id)}
        return cache[stem]
    return get


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_ratio_names_the_quantity_it_applies_to(path, measures_of):
    ratios = [(key, a["citation"]["quote"]) for key, m in measures_of(path.stem).items() for a in m["amounts"]
              if a["kind"] in ("ratio", "match_ratio") and not a.get("base_quantity")]
    assert ratios == []


@pytest.mark.parametrize("stem, measure, base", [
    ("nested_levels", "2.1-2", "boothFees"),  # （2）…补贴比例提高至70%: the ratio of （1）按照展位费的50%
    ("nested_levels", "2.1-3", "boothFees"),  # 按照展位费的30%
    ("bracket_captions", "5-1", "techContractTurnover"),  # 成交额超过1000万元…按照成交额的2%: the same turnover
    ("arabic_and_spaced_numbers", "7-1", "actualCosts"),  # 按照活动实际支出的50%
    ("sections_above_articles", "1.1-1", "nationalFunds"),  # 按照国家拨付资金的20%给予配套支持: a match
    ("mixed_width_items", "1.2-1", "propertyPurchasePrice"),  # 按照购房价款的10%
])
def test_ratio_base_is_the_quantity_named_after_anzhao(stem, measure, base, measures_of):
    [ratio] = [a for a in measures_of(stem)[measure]["amounts"] if a["kind"] in ("ratio", "match_ratio")]
    assert ratio["base_quantity"] == base
    assert ratio["kind"] == ("match_ratio" if base.endswith("Funds") else "ratio")  # funds from a higher level
