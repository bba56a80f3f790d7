"""Draft a pin file (tests/data/measures/<name>.yaml, the format tests/test_genre_pins.py reads) from a build.

    .venv/bin/python scripts/draft_pins.py corpus/nansha_shangmao_2017.txt > /tmp/draft.yaml

A draft only: every value must be checked against its article before it becomes a pin (a wrong draft copied is
worse than none). Builds with the review layer (corpus/reviews); names the entries applied to each measure."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg_builder.build import build_source  # noqa: E402
from kg_builder.mint import is_minted, minted  # noqa: E402
from kg_builder.review import load_entries, review_path  # noqa: E402
from kg_builder.config import BuildConfig  # noqa: E402
from kg_builder.views import measures_json  # noqa: E402


def name(cid):
    return f"mint:{minted(cid).zh}" if cid and is_minted(cid) and minted(cid) else cid


def dec(v):
    return None if v is None else format(Decimal(str(v)).normalize(), "f")


def amount(a: dict) -> dict:
    out = {"kind": a["kind"], "value": dec(a["value"])}
    if a.get("base_quantity"):
        out["base_quantity"] = name(a["base_quantity"])
    out["quote"] = a["citation"]["quote"]
    if a.get("per"):
        out["per"] = name(a["per"]["quantity"])
    for key in ("unit", "currency"):
        if a.get(key) and not (key == "currency" and a[key] == "CNY") and not (key == "unit" and a[key] == "year"):
            out[key] = a[key]
    if a.get("schedule"):
        out["schedule"] = [{"years": s["years"], "value": dec(s["value"])} for s in a["schedule"]]
    return out


def condition(c: dict) -> dict:
    out = {"kind": c["kind"]}
    for key in ("concepts", "status", "op", "unit"):
        if c.get(key):
            out[key] = c[key]
    if c.get("quantity"):
        out["quantity"] = name(c["quantity"])
    if c.get("value") is not None:
        out["value"] = dec(c["value"])
    out["quote"] = c["citation"]["quote"]
    return out


def tier(t: dict) -> dict:
    """One level of a ladder: its measure, threshold (op, value) and amounts (kind, value)."""
    th = t.get("threshold") or {}
    return {"measure": t["measure"].split("/", 1)[1], "op": th.get("op"), "value": dec(th.get("value")),
            "amounts": [f"{a['kind']} {dec(a['value'])}" for a in t["amounts"]]}


def main(path: str) -> None:
    config = BuildConfig()
    build = build_source(path, config=config)
    entries = load_entries(review_path(config.review_dir, build.doc_id))
    applied = {o.entry_id for o in build.reviews if o.applied}
    measures, app, own_app = [], {}, []
    for m in measures_json(build.graph, build.doc_id):
        key = m["id"].split("/", 1)[1]
        case = {"name": f"{m['label']} 措施{key.rsplit('-', 1)[1]}: {m['citation']['quote'][:30]}",
                "clause": m["clause"], "measure": key, "beneficiary": m["beneficiary"], "benefit": m["benefit"],
                "amounts": [amount(a) for a in m["amounts"]],
                "conditions": [condition(c) for c in m["conditions"] if not c.get("stated_in")]}
        if m.get("tiers"):
            case["tiers"] = [tier(t) for t in m["tiers"]]
        stated = [(c["stated_in"], c["citation"]["quote"]) for c in m["conditions"] if c.get("stated_in")]
        own_app.append((case, stated))
        for part in stated:
            app.setdefault(part, None)
        named = [str(e["id"]) for e in entries if str(e["measure"]) == key and str(e["id"]) in applied]
        if named:
            case["reviewed"] = named
        measures.append(case)
    for case, stated in own_app:  # a measure the applicability article exempts from some part
        if sorted(stated) != sorted(app):
            case["applicability"] = [{"clause": c, "quote": q} for c, q in stated]
    gone = [{"measure": str(e["measure"]), "reviewed": str(e["id"])} for e in entries
            if e["action"] == "delete" and not e.get("path") and str(e["id"]) in applied]
    doc = {"document": build.doc_id,
           "applicability": [{"clause": c, "quote": q} for c, q in app],
           "measures": measures, "not_measures": gone}
    sys.stdout.write(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120))


if __name__ == "__main__":
    main(sys.argv[1])
