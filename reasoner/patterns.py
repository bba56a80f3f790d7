"""Each condition of a measure as two SPARQL filter expressions over `$this` (an enterprise):

* `failing` — the profile states facts that contradict the condition (a Violation);
* `missing` — the profile says nothing that decides it (an Info result, so it reads as needs_info).

Neither true ⇒ the condition holds. Both SHACL (reasoner.shapes, run by pyshacl) and the fast path
(reasoner.fast, run by Oxigraph or any SPARQL 1.1 server) use exactly these strings, so they agree.
IRIs are written out in full: no prefix declarations to keep in sync.
"""
from __future__ import annotations

from .vocab import PF

SCHEME = "https://w3id.org/policykg/scheme/"
XSD_DEC = "http://www.w3.org/2001/XMLSchema#decimal"


def _iri(scheme: str, cid: str) -> str:
    return f"<{SCHEME}{'gbt4754' if scheme == 'industry' else scheme}/{cid}>"


def _has(prop: str, concept: str, extra: str = "") -> str:
    return f"EXISTS {{ $this <{prop}> ?h . ?h <{PF.concept}> {concept} {extra} }}"


def _qualification(c: dict) -> tuple[str, str]:
    concepts = [_iri("qualification", q) for q in c.get("concepts", [])]
    want = c.get("status")
    ok_status = f'; <{PF.status}> ?st FILTER(?st = "{want}")' if want else f'; <{PF.status}> ?st FILTER(?st != "none")'
    holds = " || ".join(_has(PF.hasQualification, q, ok_status) for q in concepts)
    bad = f'?st = "none" || (?st != "held" && ?st != "{want}")' if want else '?st = "none"'
    refuted = " && ".join(_has(PF.hasQualification, q, f"; <{PF.status}> ?st FILTER({bad})") for q in concepts)
    return f"!({holds}) && ({refuted})", f"!({holds}) && !({refuted})"


def _threshold(c: dict) -> tuple[str, str]:
    q = _iri("quantity", c["quantity"])
    fails = "<=" if c["op"] == "gt" else "<"
    below = _has(PF.hasQuantity, q, f'; <{PF.value}> ?v FILTER(?v {fails} "{format(c["value"], "f")}"^^<{XSD_DEC}>)')
    return below, f"!{_has(PF.hasQuantity, q)}"


def _flag(c: dict) -> tuple[str, str]:
    f = _iri("flag", c["concepts"][0])
    return _has(PF.hasFlag, f, f"; <{PF.value}> false"), f"!{_has(PF.hasFlag, f)}"


def _industry(c: dict) -> tuple[str, str]:
    allowed = ", ".join(_iri("industry", i) for i in c["concepts"])
    return (f"EXISTS {{ $this <{PF.industry}> ?i FILTER(?i NOT IN ({allowed})) }} && "
            f"NOT EXISTS {{ $this <{PF.industry}> ?i FILTER(?i IN ({allowed})) }}",
            f"NOT EXISTS {{ $this <{PF.industry}> ?i }}")


def _text(c: dict) -> tuple[str, str]:
    return "false", f"NOT EXISTS {{ $this <{PF.confirms}> <{c['iri']}> }}"


def role(measure: dict) -> tuple[str, str]:
    """Implicit condition: the measure pays a named body (运营机构…), which the profile must say it is."""
    return "false", f'NOT EXISTS {{ $this <{PF.role}> "{measure["beneficiary"]}" }}'


BUILDERS = {"qualification": _qualification, "threshold": _threshold, "flag": _flag, "industry": _industry,
            "text": _text}


def condition_filters(c: dict) -> tuple[str, str]:
    """(failing, missing) filter expressions for one condition dict from reasoner.model."""
    if c["kind"] == "flag" and not c.get("concepts"):
        return _text(c)
    return BUILDERS[c["kind"]](c)


def checks(measure: dict, roles: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(check IRI, failing, missing) for each condition of a measure, plus the role check if any."""
    out = [(c["iri"], *condition_filters(c)) for c in measure["conditions"]]
    if measure["beneficiary"] in roles:
        out.append((measure["iri"] + "#role", *role(measure)))
    return out


def where(expr: str) -> str:
    """The one WHERE body both engines run for a check: `$this` is an enterprise and `expr` holds."""
    return f"$this a <{PF.Enterprise}> . FILTER({expr})"
