"""Free Chinese/English text → Profile, with the spans each fact was read from.

Uses the extractor's spaCy components (kg_builder.nlp, profile=True). Rules, each a small step:
qualification/quantity words inside a flag phrase belong to the flag; a negation right before a term
(不是高企, 尚未获得…, not a …) states the opposite (qualification "none", flag false), one further away
only stops the term asserting (unknown, never "no" by guess); a status word (新认定, 复审) applies to qualifications in the
same comma-separated clause; a quantity takes the next amount of its unit in the same clause.
Entry point: `profile_from_text(text, *, config, id)`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg_builder.config import BuildConfig
from kg_builder.nlp import make_nlp

from .config import ReasonerConfig
from .profile import Profile

CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")


@lru_cache(maxsize=2)
def _nlp(lexicon_path):
    return make_nlp(lexicon_path or BuildConfig().lexicon_path, profile=True)


def _same_clause(text: str, a: int, b: int) -> bool:
    return not CLAUSE_END.search(text[min(a, b):max(a, b)])


def _negated(text: str, start: int, config: ReasonerConfig) -> bool:
    left = text[max(0, start - 6):start]
    left = CLAUSE_END.split(left)[-1].lower()
    return any(n.strip() in left for n in config.negations)


def _denied_from(text: str, start: int, config: ReasonerConfig) -> int | None:
    """Start of a negation right before the term ("不是高企", "not a high-tech"), else None."""
    left = text[max(0, start - 12):start].lower()
    for neg in config.negations:
        for link in config.negation_links:
            if left.endswith(neg + link) or left.endswith(neg.strip() + " " + link):
                return start - len(left) + left.rfind(neg.strip())
    return None


def _inside(f, spans) -> bool:
    return any(s.start <= f.start and f.end <= s.end and s is not f for s in spans)


def _source(text, f, fact, value) -> dict:
    return {"fact": fact, "value": value, "start": f.start, "end": f.end, "quote": text[f.start:f.end]}


def profile_from_text(text: str, *, config: ReasonerConfig = ReasonerConfig(), id: str = "enterprise") -> Profile:
    found = sorted(_nlp(config.lexicon_path)(text).user_data.get("findings", []), key=lambda f: f.start)
    flags = [f for f in found if f.kind == "flag"]
    facts = {"qualifications": {}, "quantities": {}, "flags": {}, "industry": None, "roles": []}
    sources: list[dict] = []
    _read_flags(text, flags, facts, sources, config)
    _read_qualifications(text, found, flags, facts, sources, config)
    _read_quantities(text, found, flags, facts, sources, config)
    _read_industry_roles(text, found, facts, sources, config)
    return Profile(qualifications=facts["qualifications"], quantities=facts["quantities"], flags=facts["flags"],
                   industry=facts["industry"], roles=tuple(facts["roles"]), id=id, sources=tuple(sources))


def _denial(text, f, fact, value, at) -> dict:
    return {"fact": fact, "value": value, "start": at, "end": f.end, "quote": text[at:f.end]}


def _read_flags(text, flags, facts, sources, config) -> None:
    for f in flags:
        cid = f.attrs["concept"]
        if not _negated(text, f.start, config):
            facts["flags"][cid] = True
            sources.append(_source(text, f, f"flags.{cid}", True))
        elif (at := _denied_from(text, f.start, config)) is not None and cid not in facts["flags"]:
            facts["flags"][cid] = False
            sources.append(_denial(text, f, f"flags.{cid}", False, at))


def _read_qualifications(text, found, flags, facts, sources, config) -> None:
    statuses = [f for f in found if f.kind == "status"]
    for f in found:
        if f.kind != "qualification" or _inside(f, flags):
            continue
        cid = f.attrs["concept"]
        if _negated(text, f.start, config):
            if (at := _denied_from(text, f.start, config)) is not None and cid not in facts["qualifications"]:
                facts["qualifications"][cid] = "none"
                sources.append(_denial(text, f, f"qualifications.{cid}", "none", at))
            continue
        near = [s for s in statuses if _same_clause(text, s.start, f.start)]
        status = near[-1].attrs["status"] if near else "held"
        if facts["qualifications"].get(cid) in (None, "held"):
            facts["qualifications"][cid] = status
            sources.append(_source(text, f, f"qualifications.{cid}", status))


def _read_quantities(text, found, flags, facts, sources, config) -> None:
    from kg_builder.lexicon import load_lexicon
    lex, used = load_lexicon(config.lexicon_path), set()
    amounts = [f for f in found if f.kind in ("money", "duration")]
    for f in found:
        if f.kind != "quantity" or _inside(f, flags) or _negated(text, f.start, config):
            continue
        cid = f.attrs["concept"]
        want = "duration" if lex.concepts[cid].unit == "year" else "money"
        nxt = [a for a in amounts if a.start >= f.end and a.kind == want and id(a) not in used
               and _same_clause(text, f.end, a.start)]
        if nxt and cid not in facts["quantities"]:
            used.add(id(nxt[0]))
            facts["quantities"][cid] = nxt[0].attrs["value"]
            sources.append({**_source(text, f, f"quantities.{cid}", nxt[0].attrs["value"]),
                            "end": nxt[0].end, "quote": text[f.start:nxt[0].end]})


def _read_industry_roles(text, found, facts, sources, config) -> None:
    for f in found:
        if f.kind == "industry" and not _negated(text, f.start, config) and facts["industry"] is None:
            facts["industry"] = f.attrs["concept"]
            sources.append(_source(text, f, "industry", f.attrs["concept"]))
    for role in config.role_beneficiaries:
        at = text.find(role)
        if at >= 0 and not _negated(text, at, config):
            facts["roles"].append(role)
            sources.append({"fact": "roles", "value": role, "start": at, "end": at + len(role), "quote": role})
