"""YAML eligibility cases (tests/data/eligibility/*.yaml), each naming its clause and the legal fact."""
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.assess import assess
from reasoner.profile import profile_from_dict

FILES = sorted((Path(__file__).parent / "data" / "eligibility").glob("*.yaml"))
CASES = [c for f in FILES for c in yaml.safe_load(f.read_text(encoding="utf-8"))]


TEXTS = Path(__file__).parent / "data" / "eligibility" / "texts"
POLICIES = Path(__file__).parent / "data" / "policies"


def _text_path(name: str | None) -> Path:
    if name is None:
        return DEFAULT_CORPUS
    return TEXTS / name if (TEXTS / name).exists() else POLICIES / name


@pytest.fixture(scope="module")
def graphs():
    """The Xicheng graph by default; a case may name its own policy text under eligibility/texts/ or policies/."""
    cache = {}

    def get(name: str | None):
        if name not in cache:
            cache[name] = build_source(_text_path(name)).graph
        return cache[name]
    return get


def _result(report, case):
    key = case["expect"].get("measure")
    rows = [r for r in report["results"] if r["clause"] == case["clause"]
            and (key is None or r["measure"].endswith("/" + key))]
    return max(rows, key=lambda r: ["needs_info", "ineligible", "eligible"].index(r["status"]))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, graphs):
    graph = graphs(case.get("text"))
    groups = [tuple(g) for g in case.get("same_project", [])]
    report = assess(profile_from_dict(case["facts"]), graph, same_project=groups)
    exp = case["expect"]
    if "total" in exp:
        assert report["total_estimate_yuan"] == Decimal(str(exp["total"]))
        if "forgone" in exp:
            assert [f["measure"] for f in report["forgone"]] == [exp["forgone"]]
            assert report["forgone"][0]["rule"]["clause"] == case["clause"]
        return
    r = _result(report, case)
    assert r["status"] == exp["status"], r
    for field, key in (("estimate", "estimate_yuan"), ("cap", "cap_yuan")):
        if field in exp:
            assert r[key] == (None if exp[field] is None else Decimal(str(exp[field])))
    if "bound" in exp:
        assert r["cap_bound"] == exp["bound"]
    if "reason_contains" in exp:
        assert any(exp["reason_contains"] in s for s in r["reasons"]), r["reasons"]
    if "arithmetic_contains" in exp:
        assert exp["arithmetic_contains"] in r["arithmetic"], r["arithmetic"]
    if "period_years" in exp:
        assert r["period_years"] == Decimal(str(exp["period_years"]))
    for flag in ("no_fixed_amount", "no_cap"):  # 一事一议 / 上不封顶 are stated, not missing
        if flag in exp:
            assert r[flag] is exp[flag], r
    if "missing_contains" in exp:
        assert any(exp["missing_contains"] in s for s in r["missing"]), r["missing"]


def test_every_threshold_of_the_text_has_a_boundary_case(graphs):
    """Each threshold of the Xicheng text is tried at exactly its number (超过 excludes it, 以上/（含） include it)."""
    from reasoner.model import load_policy
    at_boundary = {(c["clause"], q, Decimal(str(v))) for c in CASES if not c.get("text")
                   for q, v in c["facts"].get("quantities", {}).items() if not isinstance(v, (list, dict))}
    for m in load_policy(graphs(None)).measures:
        for cond in m["conditions"]:
            if cond["kind"] == "threshold":
                assert (m["clause"], cond["quantity"], cond["value"]) in at_boundary, (m["clause"], cond["text"])
