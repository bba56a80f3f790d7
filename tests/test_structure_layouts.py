"""The structure parser reads the layouts real support-measure texts use (samples in tests/data/layouts/).

Each sample's expected clauses, groups, captions, first sentences and sub-levels live in
tests/data/layouts/expected.yaml; the invariants below hold for every sample (also rewritten
with Windows line endings, a BOM, 　　 indentation or doubled blank lines), for the Xicheng
draft and for a synthetic large policy.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from kg_builder.errors import PolicyInputError
from kg_builder.outline import parse_structure
from kg_builder.samples import make_large_policy
from kg_builder.structure import Node, Structure

LAYOUTS = Path(__file__).parent / "data" / "layouts"
XICHENG = Path(__file__).parents[1] / "corpus" / "xicheng_measures_draft.txt"
EXPECTED: dict[str, dict] = yaml.safe_load((LAYOUTS / "expected.yaml").read_text(encoding="utf-8"))
SAMPLES = sorted(name for name, case in EXPECTED.items() if "error" not in case)
REFUSED = sorted(name for name, case in EXPECTED.items() if "error" in case)

VARIANTS = {
    "as_written": lambda t: t,
    "crlf": lambda t: t.replace("\r\n", "\n").replace("\n", "\r\n"),
    "bom": lambda t: "\ufeff" + t.lstrip("\ufeff"),
    "indented": lambda t: re.sub(r"(?m)^(?=[^\s\ufeff])", "\u3000\u3000", t),
    "blank_lines": lambda t: t.replace("\n", "\n\n"),
}

CN = "一二三四五六七八九十百千零〇两"
ENUM_MARKER = rf"[（(]\s*[{CN}\d]+\s*[）)]|\d+\s*[.．、]|[①-⑳]|[{CN}]+\s*、"
MARKERS = {  # how the verbatim source of each kind of node begins
    "chapter": rf"第\s*[{CN}\d ]+\s*章",
    "section": rf"第\s*[{CN}\d ]+\s*节",
    "heading": rf"[{CN}]+\s*、|附\s*则",
    "article": rf"第\s*[{CN}\d ]+\s*条|[{CN}]+\s*、|[（(]\s*[{CN}]+\s*[）)]",
    "supplementary": rf"附\s*则|[{CN}]+\s*、\s*附\s*则|第\s*[{CN}\d ]+\s*条",
    "item": ENUM_MARKER,
    "subitem": ENUM_MARKER,
}
CLAUSE_LABEL = re.compile(rf"(第[{CN}]+条|[{CN}]+、|（[{CN}]+）|附则)(（[{CN}]+）)?")
GROUP_KINDS = ("chapter", "section", "heading")


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # keeps the BOM and \r\n as written


@cache
def sample(name: str, variant: str = "as_written") -> Structure:
    return parse_structure(VARIANTS[variant](read(LAYOUTS / name)), source=name)


@cache
def document(doc_id: str) -> Structure:
    if doc_id == "xicheng":
        return parse_structure(read(XICHENG), source=XICHENG.name)
    if doc_id == "large":
        return parse_structure(make_large_policy(60), source="large")
    name, variant = doc_id.split(":")
    return sample(name, variant)


DOCUMENTS = ["xicheng", "large"] + [f"{name}:{variant}" for name in SAMPLES for variant in VARIANTS]


def nodes(structure: Structure) -> list[Node]:
    return [n for n in structure.root.walk() if n.kind != "document"]


def subitem_paths(node: Node, prefix: str = "") -> list[str]:
    paths = []
    for child in (c for c in node.children if c.kind == "subitem"):
        paths += [prefix + child.label] + subitem_paths(child, f"{prefix}{child.label}/")
    return paths


def own_regions(node: Node) -> list[tuple[int, int]]:
    """Parts of a node's body not covered by its children."""
    regions, pos = [], node.body_start
    for child in node.children:
        regions.append((pos, child.start))
        pos = child.end
    return regions + [(pos, node.end)]


# --- each layout gives the expected clauses ---------------------------------------------------

def test_every_sample_file_has_expectations():
    assert sorted(p.name for p in LAYOUTS.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", SAMPLES)
def test_clause_ids_and_labels_follow_the_layout(name):
    assert [f"{c.clause} {c.label}" for c in sample(name).clauses()] == EXPECTED[name]["clauses"]


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v != "as_written"])
@pytest.mark.parametrize("name", SAMPLES)
def test_line_endings_bom_indentation_and_blank_lines_do_not_change_clauses(name, variant):
    assert [f"{c.clause} {c.label}" for c in sample(name, variant).clauses()] == EXPECTED[name]["clauses"]


@pytest.mark.parametrize("name", SAMPLES)
def test_title_block_keeps_only_the_title_lines(name):
    s = sample(name)
    assert (s.quote(s.title) if s.title else None) == EXPECTED[name]["title"]


@pytest.mark.parametrize("name", SAMPLES)
def test_groups_hold_their_articles(name):
    s = sample(name)
    groups = {n.label: [c.label for c in n.children if c.kind in ("article", "supplementary")]
              for n in s.root.walk() if n.kind in GROUP_KINDS}
    assert groups == EXPECTED[name].get("groups", {})


@pytest.mark.parametrize("name", SAMPLES)
def test_captions_are_split_from_the_marker_line(name):
    s = sample(name)
    captions = {n.label: s.quote(n.caption) for n in s.root.walk() if n.caption}
    expected = EXPECTED[name].get("captions")
    if expected == {}:  # stated as none at all
        assert captions == {}
    for label, caption in (expected or {}).items():
        assert captions.get(label) == caption


@pytest.mark.parametrize("name", SAMPLES)
def test_first_sentence_of_clause_is_its_body(name):
    s = sample(name)
    first = {c.clause: s.quote(c.sentences[0]) for c in s.clauses() if c.sentences}
    expected = EXPECTED[name]["first_sentences"]
    assert {clause: first.get(clause) for clause in expected} == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_sub_levels_nest_under_their_clause(name):
    found = {c.clause: subitem_paths(c) for c in sample(name).clauses() if subitem_paths(c)}
    assert found == EXPECTED[name].get("subitems", {})


@pytest.mark.parametrize("name", SAMPLES)
def test_issuer_and_date_after_the_last_clause_are_a_closing_block(name):
    s = sample(name)
    closing = [s.text[n.start:n.end] for n in s.root.children if n.kind == "closing"]
    assert closing == ([EXPECTED[name]["closing"]] if "closing" in EXPECTED[name] else [])


@pytest.mark.parametrize("name", REFUSED)
def test_text_without_structure_is_refused_with_a_clear_error(name):
    with pytest.raises(PolicyInputError) as err:
        sample(name)
    assert err.value.problem == EXPECTED[name]["error"]
    assert str(err.value).startswith(name) and "第X条" in str(err.value)


@pytest.mark.parametrize("text", ["", "\ufeff\r\n\u3000\r\n"])
def test_empty_text_is_refused(text):
    with pytest.raises(PolicyInputError, match="no recognisable structure"):
        parse_structure(text, source="empty.txt")


def test_xicheng_draft_keeps_its_39_clauses():
    clauses = [c.clause for c in document("xicheng").clauses()]
    assert len(clauses) == 39
    assert clauses[:6] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]
    assert "9" in clauses and clauses[-3:] == ["附则.1", "附则.2", "附则.3"]


# --- invariants on every document -------------------------------------------------------------

@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_node_span_is_verbatim_source_starting_with_its_marker(doc_id):
    s = document(doc_id)
    for node in nodes(s):
        source = s.text[node.start:node.end]
        assert source and source == source.strip(" \u3000\t\r\n\ufeff"), (node.kind, node.label)
        assert s.text[:node.start].rsplit("\n", 1)[-1].strip(" \u3000\t\ufeff") == "", (node.kind, node.label)
        if node.kind in MARKERS:
            assert re.match(MARKERS[node.kind], source), (node.kind, source[:20])


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_children_lie_inside_their_parent_in_order(doc_id):
    for node in document(doc_id).root.walk():
        pos = node.body_start
        for child in node.children:
            assert pos <= child.start < child.end <= node.end, (node.label, child.label)
            pos = child.end


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_sentences_lie_inside_their_node_and_cover_its_text(doc_id):
    s = document(doc_id)
    for node in nodes(s):
        regions = own_regions(node) if node.kind not in ("preamble", "closing") else [(node.start, node.end)]
        for a, b in node.sentences:
            assert any(r0 <= a < b <= r1 for r0, r1 in regions), (node.label, s.text[a:b])
            assert s.text[a:b] == s.text[a:b].strip(), (node.label, s.text[a:b])
        covered = {i for a, b in node.sentences for i in range(a, b)}
        lost = [i for r0, r1 in regions for i in range(r0, r1) if not s.text[i].isspace() and i not in covered]
        assert not lost, (node.kind, node.label, "".join(s.text[i] for i in lost)[:40])


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_no_line_after_the_title_block_is_left_outside_the_tree(doc_id):
    s = document(doc_id)
    top = [n for n in s.root.children]
    first = top[0].start
    outside = [i for i in range(first, len(s.text))
               if not s.text[i].isspace() and not any(n.start <= i < n.end for n in top)]
    assert not outside, "".join(s.text[i] for i in outside)[:40]


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_clause_ids_are_unique(doc_id):
    clauses = [c.clause for c in document(doc_id).clauses()]
    assert len(clauses) == len(set(clauses))


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_clause_labels_look_like_citations(doc_id):
    for clause in document(doc_id).clauses():
        assert CLAUSE_LABEL.fullmatch(clause.label), clause.label


# --- synthetic large policy ---------------------------------------------------------------------

def test_large_policy_is_deterministic_per_seed():
    assert make_large_policy(20) == make_large_policy(20)
    assert make_large_policy(20, seed=1) != make_large_policy(20, seed=2)


@pytest.mark.parametrize("n_articles", [1, 60, 1200])
def test_large_policy_has_n_articles_of_three_to_five_items(n_articles):
    s = parse_structure(make_large_policy(n_articles), source="large")
    articles = [n for n in s.root.walk() if n.kind == "article"]
    assert [a.number for a in articles] == list(range(1, n_articles + 1))
    assert all(3 <= len([c for c in a.children if c.kind == "item"]) <= 5 for a in articles)
    assert [c.clause for c in s.clauses()][-3:] == ["附则.1", "附则.2", "附则.3"]
    assert all(re.search(r"\d+万元", s.quote(c.sentences[0])) for c in s.clauses()[:-3])
