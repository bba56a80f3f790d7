"""Compare two versions of a policy: measures added, removed and changed, each side cited.

Measures are matched across versions by what they say, not by their number: articles and items are
renumbered when one is inserted or removed, so a pair's score is the similarity of the two measures' quotes
(difflib), raised a little when the clause label or the position within the clause is the same. Pairs are
taken best first; a measure left without a partner scoring at least `MIN_SCORE` is added or removed.

For a matched pair the structured facts are compared: amounts (kind, value, base, unit), conditions (kind,
concepts, quantity, operator, value, unit, status; a text condition by its words), beneficiary and benefit.
A pair whose facts are equal but whose label differs is reported as renumbered (field "label"); a pair with
equal facts and label but other wording as field "text". Everything is read from `measures_json`, the same
objects `policykg measures --json` prints, so each side carries its citation (document, clause, label,
start, end, quote with text[start:end] == quote).
"""
from __future__ import annotations

from decimal import Decimal
from difflib import SequenceMatcher

MIN_SCORE = 0.6
LABEL_BONUS = 0.15
INDEX_BONUS = 0.05


def _amount_key(a: dict) -> tuple:
    return a["kind"], str(a["value"]), a.get("base") or "", a.get("unit") or ""


def _condition_key(c: dict) -> tuple:
    if c["kind"] == "text":
        return "text", c["text"]
    return (c["kind"], tuple(sorted(c.get("concepts") or ())), c.get("quantity") or "", c.get("op") or "",
            str(c.get("value") if c.get("value") is not None else ""), c.get("unit") or "", c.get("status") or "")


def _index(m: dict) -> str:
    return m["id"].rsplit("-", 1)[-1]


def _score(old: dict, new: dict) -> float:
    a, b = old["citation"]["quote"], new["citation"]["quote"]
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < MIN_SCORE - LABEL_BONUS - INDEX_BONUS:
        return 0.0
    score = matcher.ratio()
    if old["label"] == new["label"]:
        score += LABEL_BONUS
    if _index(old) == _index(new):
        score += INDEX_BONUS
    return score


def side(m: dict) -> dict:
    """One side of a change: which measure, and where the text says it."""
    return {"measure": m["id"], "document": m["citation"]["document"], "clause": m["clause"], "label": m["label"],
            "beneficiary": m["beneficiary"], "amounts": [_brief_amount(a) for a in m["amounts"]],
            "conditions": [_brief_condition(c) for c in m["conditions"]], "citation": m["citation"]}


def _brief_amount(a: dict) -> dict:
    out = {"kind": a["kind"], "value": a["value"]}
    out.update({k: a[k] for k in ("base", "unit") if a.get(k)})
    out["quote"] = a["citation"]["quote"]
    return out


def _brief_condition(c: dict) -> dict:
    out = {"kind": c["kind"], "text": c["text"]}
    out.update({k: c[k] for k in ("concepts", "quantity", "op", "value", "unit", "status") if c.get(k) is not None})
    out["quote"] = c["citation"]["quote"]
    return out


def _field_changes(old: dict, new: dict) -> list[dict]:
    changes = []
    if sorted(map(_amount_key, old["amounts"])) != sorted(map(_amount_key, new["amounts"])):
        change = {"field": "amounts", "old": [_brief_amount(a) for a in old["amounts"]],
                  "new": [_brief_amount(a) for a in new["amounts"]]}
        if sorted(a["kind"] for a in old["amounts"]) != sorted(a["kind"] for a in new["amounts"]):
            change["kinds"] = {"old": [a["kind"] for a in old["amounts"]], "new": [a["kind"] for a in new["amounts"]]}
        changes.append(change)
    if sorted(map(_condition_key, old["conditions"])) != sorted(map(_condition_key, new["conditions"])):
        changes.append({"field": "conditions", "old": [_brief_condition(c) for c in old["conditions"]],
                        "new": [_brief_condition(c) for c in new["conditions"]]})
    for name in ("beneficiary", "benefit"):
        if old[name] != new[name]:
            changes.append({"field": name, "old": old[name], "new": new[name]})
    if not changes and old["label"] != new["label"]:
        changes.append({"field": "label", "old": old["label"], "new": new["label"]})
    if not changes and old["citation"]["quote"] != new["citation"]["quote"]:
        changes.append({"field": "text", "old": old["citation"]["quote"], "new": new["citation"]["quote"]})
    return changes


def match(old: list[dict], new: list[dict]) -> list[tuple[int, int, float]]:
    """(old index, new index, score) of the measures paired across versions, best pairs first."""
    pairs = sorted(((s, i, j) for i, a in enumerate(old) for j, b in enumerate(new) if (s := _score(a, b)) >= MIN_SCORE),
                   key=lambda p: (-p[0], p[1], p[2]))
    used_old, used_new, out = set(), set(), []
    for s, i, j in pairs:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            out.append((i, j, s))
    return out


def diff_measures(old: list[dict], new: list[dict]) -> dict:
    """{"added", "removed", "changed", "unchanged"} between two `measures_json` lists."""
    pairs = match(old, new)
    changed, unchanged = [], 0
    for i, j, score in sorted(pairs, key=lambda p: p[1]):
        fields = _field_changes(old[i], new[j])
        if not fields:
            unchanged += 1
            continue
        changed.append({"old": side(old[i]), "new": side(new[j]), "similarity": round(min(score, 1.0), 3),
                        "fields": [f["field"] for f in fields], "changes": fields})
    paired_old, paired_new = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    return {"added": [side(m) for j, m in enumerate(new) if j not in paired_new],
            "removed": [side(m) for i, m in enumerate(old) if i not in paired_old],
            "changed": changed, "unchanged": unchanged}


def _document(result) -> dict:
    meta = result.meta
    return {"document": result.doc_id, "title": meta.get("title"), "status": meta.get("status"),
            "date_in_force": str(meta["date_in_force"]) if meta.get("date_in_force") else None,
            "amends": meta.get("amends") or meta.get("replaces")}


def diff_builds(old, new) -> dict:
    """The diff of two `BuildResult`s, with each document's id, title, status and in-force date."""
    from .views import measures_json
    out = {"old": _document(old), "new": _document(new)}
    out.update(diff_measures(measures_json(old.graph, old.doc_id), measures_json(new.graph, new.doc_id)))
    return out


def lines(report: dict) -> list[str]:
    """The diff as text, one line per measure (+ added, - removed, ~ changed)."""
    def money(amounts):
        return "、".join(f"{a['kind']} {Decimal(str(a['value'])):f}" for a in amounts) or "—"

    out = [f"{report['old']['document']} → {report['new']['document']}: {len(report['added'])} added, "
           f"{len(report['removed'])} removed, {len(report['changed'])} changed, {report['unchanged']} unchanged"]
    for m in report["added"]:
        out.append(f"+ {m['label']} {m['measure']} [{m['citation']['start']}:{m['citation']['end']}] "
                   f"{money(m['amounts'])}「{m['citation']['quote']}」")
    for m in report["removed"]:
        out.append(f"- {m['label']} {m['measure']} [{m['citation']['start']}:{m['citation']['end']}] "
                   f"{money(m['amounts'])}「{m['citation']['quote']}」")
    for c in report["changed"]:
        o, n = c["old"], c["new"]
        label = o["label"] if o["label"] == n["label"] else f"{o['label']} → {n['label']}"
        out.append(f"~ {label} ({', '.join(c['fields'])})")
        for f in c["changes"]:
            if f["field"] == "amounts":
                out.append(f"    amounts: {money(f['old'])} → {money(f['new'])}")
            elif f["field"] == "conditions":
                old_c = "；".join(x["quote"] for x in f["old"]) or "—"
                new_c = "；".join(x["quote"] for x in f["new"]) or "—"
                out.append(f"    conditions: {old_c} → {new_c}")
            elif f["field"] in ("beneficiary", "benefit"):
                out.append(f"    {f['field']}: {f['old']} → {f['new']}")
        out.append(f"    old [{o['citation']['start']}:{o['citation']['end']}]「{o['citation']['quote']}」")
        out.append(f"    new [{n['citation']['start']}:{n['citation']['end']}]「{n['citation']['quote']}」")
    return out
