"""Every measure of the six real Nansha texts, pinned from a legal reading of each article
(tests/data/measures/nansha_*.yaml): payee, benefit, each amount's kind/value/base/quote (and unit, per, currency,
schedule), each of the measure's own conditions (kind, concepts, quantity, op, value, quote), and the
applicability article's requirements every measure carries.

Where the extractor cannot read a measure right, an entry of the review layer (corpus/reviews/<doc>.yaml)
corrects it and the pin names it (`reviewed: [entry ids]`). The build with reviews must equal the pins; every
entry must apply and be named by a pin; an entry that no longer applies because the extractor now reads the
measure as pinned fails with "remove review entry X: the extractor now reads it".
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, assert_amounts_match, concept_id

PINS = sorted((Path(__file__).parent / "data/measures").glob("nansha_*.yaml"))
FILES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in PINS}
REVIEWS = ROOT / "corpus" / "reviews"


@lru_cache(maxsize=None)
def _build(doc: str, reviewed: bool):
    from kg_builder.build import build_source
    from kg_builder.config import BuildConfig
    from kg_builder.views import measures_json
    config = BuildConfig(review_dir=REVIEWS, apply_reviews=reviewed)
    result = build_source(ROOT / "corpus" / f"{doc}.txt", config=config)
    return result, {m["id"].split("/", 1)[1]: m for m in measures_json(result.graph, result.doc_id)}


def _entries(doc: str) -> list[dict]:
    from kg_builder.review import load_entries, review_path
    return load_entries(review_path(REVIEWS, doc))


def _own(m: dict) -> list[dict]:
    return [c for c in m["conditions"] if not c.get("stated_in")]


def _decimal(v):
    return None if v is None else Decimal(str(v))


def mismatch(m: dict | None, case: dict, applicability: list | None = None) -> str | None:
    """Why measure `m` (measures_json) differs from its pin (and, when given, the document's applicability parts
    the pin does not override), or None."""
    if m is None:
        return "no such measure"
    if applicability is not None:
        want = sorted((a["clause"], a["quote"]) for a in case.get("applicability", applicability))
        got = sorted((c["stated_in"], c["citation"]["quote"]) for c in m["conditions"] if c.get("stated_in"))
        if got != want:
            return f"applicability parts {got} != {want}"
    got = (m["clause"], m["beneficiary"], m["benefit"])
    want = (case["clause"], case["beneficiary"], case["benefit"])
    if got != want:
        return f"clause/payee/benefit {got} != {want}"
    try:
        assert_amounts_match(m["amounts"], case["amounts"])
    except AssertionError as err:
        got = [(a["kind"], a["value"], a["citation"]["quote"]) for a in m["amounts"]]
        return f"amounts {got}: {err}"[:600]
    got_c = [(c["kind"], tuple(c.get("concepts") or ()), c.get("quantity"), c.get("op"), _decimal(c.get("value")),
              c["citation"]["quote"]) for c in _own(m)]
    want_c = [(c["kind"], tuple(c.get("concepts") or ()), concept_id(c.get("quantity")), c.get("op"),
               _decimal(c.get("value")), c["quote"]) for c in case["conditions"]]
    if got_c != want_c:
        return f"conditions {got_c} != {want_c}"
    got_t = [(t["measure"].split("/", 1)[1], (t.get("threshold") or {}).get("op"),
              _decimal((t.get("threshold") or {}).get("value")),
              [(a["kind"], _decimal(a["value"])) for a in t["amounts"]]) for t in m.get("tiers") or []]
    want_t = [(t["measure"], t["op"], _decimal(t["value"]),
               [(a.split()[0], None if a.split()[1] == "None" else Decimal(a.split()[1])) for a in t["amounts"]])
              for t in case.get("tiers") or []]
    if got_t != want_t:
        return f"tiers {got_t} != {want_t}"
    return None


CASES = [pytest.param(doc, case, id=f"{doc}:{case['measure']}") for doc, f in FILES.items() for case in f["measures"]]


def test_six_texts_are_pinned():
    assert sorted(f["document"] for f in FILES.values()) == sorted(
        p.stem for p in (ROOT / "corpus").glob("nansha_*_2017.txt"))


@pytest.mark.parametrize("doc", sorted(FILES))
def test_every_measure_is_pinned(doc):
    _, measures = _build(FILES[doc]["document"], True)
    assert sorted(measures) == sorted(c["measure"] for c in FILES[doc]["measures"])


@pytest.mark.parametrize("doc,case", CASES)
def test_measure(doc, case):
    document = FILES[doc]["document"]
    _, measures = _build(document, True)
    why = mismatch(measures.get(case["measure"]), case)
    assert why is None, f"{document} {case['measure']} ({case['name']}): {why}"


@pytest.mark.parametrize("doc", sorted(FILES))
def test_what_grants_nothing_gives_no_measure(doc):
    """Measures the extractor gives for clauses that grant nothing are deleted by a review entry (`not_measures`)."""
    _, measures = _build(FILES[doc]["document"], True)
    assert not [g["measure"] for g in FILES[doc].get("not_measures") or [] if g["measure"] in measures]


@pytest.mark.parametrize("doc", sorted(FILES))
def test_every_quote_is_the_source_span(doc):
    result, measures = _build(FILES[doc]["document"], True)
    for key, m in measures.items():
        for fact in [m, *m["conditions"], *m["amounts"]]:
            c = fact["citation"]
            assert result.text[c["start"]:c["end"]] == c["quote"], (key, c)


@pytest.mark.parametrize("doc", sorted(FILES))
def test_applicability_binds_every_measure(doc):
    """Every measure carries the applicability article's parts; a pin may list its own (`applicability:`) where the
    article exempts it (e.g. clauses for enterprises registered elsewhere)."""
    pins = {c["measure"]: c for c in FILES[doc]["measures"]}
    _, measures = _build(FILES[doc]["document"], True)
    for key, m in measures.items():
        parts = pins.get(key, {}).get("applicability", FILES[doc].get("applicability"))
        want = sorted((a["clause"], a["quote"]) for a in parts or [])
        got = sorted((c["stated_in"], c["citation"]["quote"]) for c in m["conditions"] if c.get("stated_in"))
        assert got == want, key


@pytest.mark.parametrize("doc", sorted(FILES))
def test_review_entries_apply_and_are_named_by_pins(doc):
    """Each entry applies (not stale) and a pin names it; an entry the extractor no longer needs must go."""
    document = FILES[doc]["document"]
    result, measures = _build(document, True)
    _, raw = _build(document, False)
    problems = review_problems(FILES[doc], _entries(document), result.reviews, measures, raw)
    assert not problems, "\n".join(problems)


def review_problems(pins: dict, entries: list[dict], outcomes: list, measures: dict, raw: dict) -> list[str]:
    """What is wrong between the pins of a document, its review entries, their outcomes, the build with reviews
    (`measures`) and without (`raw`)."""
    by_key = {c["measure"]: c for c in pins["measures"]}
    named = {e: c["measure"] for c in pins["measures"] for e in c.get("reviewed", [])}
    named.update({g["reviewed"]: g["measure"] for g in pins.get("not_measures") or []})
    problems = []
    for entry, outcome in zip(entries, outcomes):
        eid, key = str(entry["id"]), str(entry["measure"])
        if eid not in named:
            problems.append(f"review entry {eid} ({key}) is named by no pin (`reviewed:`)")
        if outcome.applied:
            continue
        pin = by_key.get(named.get(eid, key))
        if entry["action"] == "delete" and not entry.get("path") and key not in raw:
            problems.append(f"remove review entry {eid}: the extractor now reads it (no measure {key} to delete)")
        elif pin is not None and mismatch(measures.get(pin["measure"]), pin, pins.get("applicability") or []) is None:
            problems.append(f"remove review entry {eid}: the extractor now reads it ({outcome.note})")
        else:
            problems.append(f"review entry {eid} on {key} did not apply: {outcome.note}; re-read the article and "
                            f"update the entry (the extractor now gives {_brief(raw.get(key))})")
    for eid, key in named.items():
        if eid not in {str(e["id"]) for e in entries}:
            problems.append(f"pin {key} names review entry {eid}, which the review file does not hold")
    return problems


def test_an_entry_the_extractor_no_longer_needs_is_reported():
    """The check itself: a stale entry on a measure the build now reads as pinned → "remove review entry"."""
    from kg_builder.review import Outcome
    m = {"clause": "3", "beneficiary": "引荐方", "benefit": "奖励", "amounts": [], "conditions": []}
    pins = {"measures": [{"name": "x", "clause": "3", "measure": "3-1", "beneficiary": "引荐方", "benefit": "奖励",
                          "amounts": [], "conditions": [], "reviewed": ["e1"]}],
            "not_measures": [{"measure": "9-1", "reviewed": "e2"}]}
    entries = [{"id": "e1", "action": "correct", "measure": "3-1"}, {"id": "e2", "action": "delete", "measure": "9-1"}]
    outcomes = [Outcome("e1", False, "stale: beneficiary is now 引荐方, the reviewer saw 企业"),
                Outcome("e2", False, "no measure 9-1 in this build")]
    problems = review_problems(pins, entries, outcomes, {"3-1": m}, {"3-1": m})
    assert problems == ["remove review entry e1: the extractor now reads it (stale: beneficiary is now 引荐方, "
                        "the reviewer saw 企业)",
                        "remove review entry e2: the extractor now reads it (no measure 9-1 to delete)"]
    wrong = {**m, "beneficiary": "企业"}
    assert "did not apply" in review_problems(pins, entries[:1], outcomes[:1], {"3-1": wrong}, {"3-1": wrong})[0]
    assert review_problems(pins, [], [], {"3-1": m}, {})[0].startswith("pin 3-1 names review entry e1")


def _brief(m: dict | None) -> str:
    if m is None:
        return "no such measure"
    return f"{m['beneficiary']} {[(a['kind'], a['value'], a['citation']['quote']) for a in m['amounts']]}"
