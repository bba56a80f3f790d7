"""kg_builder.cache: a graph is read back only while every input is unchanged (text, metadata, reviews,
lexicon, code); a change of any of them rebuilds, so a stale graph is never served."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal

import pytest

from conftest import ROOT
from kg_builder import build as build_module
from kg_builder import cache
from kg_builder.config import BuildConfig
from kg_builder.views import measures_json

POLICY = ROOT / "tests" / "data" / "policies" / "digital_economy.txt"


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A copy of one policy (text + meta), a copy of the lexicon, an empty review folder and a private cache;
    `env.builds` counts the builds that really ran."""
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("POLICYKG_NO_CACHE", raising=False)
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(POLICY, docs / POLICY.name)
    shutil.copy(POLICY.with_name("digital_economy.meta.yaml"), docs / "digital_economy.meta.yaml")
    lexicon = tmp_path / "lexicon.yaml"
    shutil.copy(BuildConfig().lexicon_path, lexicon)
    (tmp_path / "reviews").mkdir()
    real = build_module.build_source
    builds = []

    def counting(path, *, config=BuildConfig()):
        builds.append(path)
        return real(path, config=config)

    monkeypatch.setattr(build_module, "build_source", counting)

    class Env:
        text = docs / POLICY.name
        meta = docs / "digital_economy.meta.yaml"
        config = BuildConfig(lexicon_path=lexicon, review_dir=tmp_path / "reviews")
        review = tmp_path / "reviews" / "digital_economy.yaml"
    Env.lexicon, Env.builds = lexicon, builds
    return Env


def amounts(result) -> list[Decimal]:
    return [Decimal(str(a["value"])) for m in measures_json(result.graph, result.doc_id) for a in m["amounts"]]


def test_second_call_reads_the_cache_and_gives_the_same_graph(env):
    first = cache.cached_build(env.text, config=env.config)
    again = cache.cached_build(env.text, config=env.config)
    assert len(env.builds) == 1
    assert len(again.graph) == len(first.graph) and set(again.graph) == set(first.graph)
    assert measures_json(again.graph, again.doc_id) == measures_json(first.graph, first.doc_id)
    assert again.text == first.text and again.meta == first.meta


def test_changed_text_is_rebuilt(env):
    before = cache.cached_build(env.text, config=env.config)
    assert 500000 in amounts(before) and 700000 not in amounts(before)  # 第三条（三）一次性奖励50万元
    env.text.write_text(env.text.read_text(encoding="utf-8").replace("给予一次性奖励50万元", "给予一次性奖励70万元"),
                        encoding="utf-8")
    after = cache.cached_build(env.text, config=env.config)
    assert len(env.builds) == 2 and 700000 in amounts(after)


@pytest.mark.parametrize("change", ["lexicon", "meta", "review"])
def test_changed_lexicon_metadata_or_reviews_are_rebuilt(env, change):
    cache.cached_build(env.text, config=env.config)
    if change == "lexicon":
        env.lexicon.write_text(env.lexicon.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif change == "meta":
        env.meta.write_text(env.meta.read_text(encoding="utf-8").replace("正式文本", "征求意见稿"), encoding="utf-8")
    else:
        env.review.write_text("[]\n", encoding="utf-8")
    result = cache.cached_build(env.text, config=env.config)
    assert len(env.builds) == 2
    if change == "meta":
        assert result.meta["status"] == "征求意见稿"


def test_changed_code_version_is_rebuilt(env, monkeypatch):
    cache.cached_build(env.text, config=env.config)
    monkeypatch.setattr(cache, "code_version", lambda *packages: "another version")
    cache.cached_build(env.text, config=env.config)
    assert len(env.builds) == 2


def test_unreadable_cache_file_is_rebuilt_and_off_switch(env, monkeypatch):
    cache.cached_build(env.text, config=env.config)
    cache.cache_file(env.text, env.config).write_bytes(b"not a pickle")
    assert len(cache.cached_build(env.text, config=env.config).graph) > 0 and len(env.builds) == 2
    monkeypatch.setenv("POLICYKG_NO_CACHE", "1")
    cache.cached_build(env.text, config=env.config)
    assert len(env.builds) == 3


def test_derived_values_follow_the_graph(env):
    result = cache.cached_build(env.text, config=env.config)
    calls = []
    compute = lambda: calls.append(1) or {"n": len(result.graph)}  # noqa: E731
    assert cache.memo(result.graph, "probe", compute) == {"n": len(result.graph)}
    assert cache.memo(result.graph, "probe", compute) == {"n": len(result.graph)} and len(calls) == 1
    from rdflib import Literal, URIRef
    result.graph.add((URIRef("urn:x"), URIRef("urn:y"), Literal(1)))  # a changed graph is not cached
    assert cache.graph_key(result.graph) is None
    cache.memo(result.graph, "probe", compute)
    assert len(calls) == 2


def test_cli_serves_a_changed_text_not_the_cached_one(tmp_path):
    """Whole processes: `measures` twice on one file, edited in between."""
    doc = tmp_path / POLICY.name
    shutil.copy(POLICY, doc)
    env = {"POLICYKG_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}

    def measures():
        out = subprocess.run([sys.executable, "-m", "policykg.cli", "measures", "--corpus", str(doc), "--json"],
                             capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    first = measures()
    assert measures() == first and list((tmp_path / "cache" / "graphs").glob("*.pickle"))
    doc.write_text(doc.read_text(encoding="utf-8").replace("给予一次性奖励50万元", "给予一次性奖励70万元"), encoding="utf-8")
    second = measures()
    values = {Decimal(str(a["value"])) for m in json.loads(second) for a in m["amounts"]}
    assert second != first and 700000 in values


def test_compiled_checks_are_kept_beside_the_graph_and_equal_fresh_ones(env):
    from reasoner import fast
    from reasoner.model import _read, load_policy

    result = cache.cached_build(env.text, config=env.config)
    policy = load_policy(result.graph)
    assert policy.cache_key == cache.graph_key(result.graph) is not None
    compiled = fast.compile_checks(policy)
    assert list((cache.cache_root() / "derived").glob("checks.*.pickle"))
    fresh = fast.compile_shapes(fast.shapes_graph(_read(result.graph)))
    assert (compiled.query, compiled.keys) == (fresh.query, fresh.keys)


def test_minted_concepts_come_back_with_a_cached_graph(env, monkeypatch):
    """A concept the text minted (kg_builder.mint) is found by Lexicon.concept after a cache read, as after a build."""
    from kg_builder import mint
    from kg_builder.lexicon import load_lexicon

    monkeypatch.setattr(mint, "_REGISTRY", {})
    counting = build_module.build_source

    def minting_build(path, *, config=BuildConfig()):  # as a text naming a quantity the dictionary lacks
        mint.mint("quantity", "年度销售额", "CNY")
        return counting(path, config=config)
    monkeypatch.setattr(build_module, "build_source", minting_build)
    cache.cached_build(env.text, config=env.config)
    minted = mint.registered()
    assert any(c.zh == "年度销售额" for c in minted)
    monkeypatch.setattr(mint, "_REGISTRY", {})  # a new process
    cache.cached_build(env.text, config=env.config)
    assert len(env.builds) == 1 and mint.registered() == minted
    lexicon = load_lexicon(env.config.lexicon_path)
    assert all(lexicon.concept(c.id) == c for c in minted)
