"""Concepts minted from the text: the open vocabulary beside the dictionary.

A threshold on a quantity the dictionary does not know (年度销售额, 对我区经济贡献, 租用办公用房面积), a qualification
or a yes/no requirement it does not know (获得市级部门支持), or the count a per-item rate multiplies (每件发明专利)
becomes a concept whose label is the noun phrase as written. Its id is derived from the scheme and the normalised
label only, so two texts naming the same thing the same way share the concept, and a rebuild gives the same IRI
(<https://w3id.org/policykg/scheme/quantity/x_…>). Where it was minted is recorded in the graph (its citation).

`mint(scheme, label, unit)` returns the Concept and registers it for this process, so `Lexicon.concept(id)` finds
it; a graph read back from Turtle carries the concept's label and unit (SKOS), which is the durable record.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from .lexicon import Concept

PREFIX = "x_"
_REGISTRY: dict[str, Concept] = {}


def normalise(label: str) -> str:
    """NFKC, no spaces or quote marks: '年度销售额 ' and '年度销售额' are one concept; （） and () too."""
    text = unicodedata.normalize("NFKC", label)
    return re.sub(r"[\s\"'“”‘’「」]+", "", text)


@lru_cache(maxsize=1)
def _ignored() -> re.Pattern:
    """Leading words that do not make another concept (lexicon mint.id_ignores: 年度, 在我区)."""
    from .config import RESOURCES
    from .lexicon import load_lexicon
    words = (load_lexicon(RESOURCES / "lexicon.yaml").data.get("mint") or {}).get("id_ignores") or []
    return re.compile(f"^(?:{'|'.join(map(re.escape, words))})+(?=..)" if words else "(?!)")


def minted_id(scheme: str, label: str) -> str:
    """Derived from the scheme and the label without its leading id_ignores ('年度外贸集装箱吞吐量' and '外贸集装箱吞吐量',
    '在我区纳税总额' and '纳税总额': a profile's figures are the enterprise's own, for a year), so the same quantity
    written with and without them is one concept; the label stays as first written."""
    digest = hashlib.sha1(f"{scheme}\x00{_ignored().sub('', normalise(label))}".encode("utf-8")).hexdigest()[:10]
    return f"{PREFIX}{digest}"


def is_minted(cid: str) -> bool:
    return cid.startswith(PREFIX)


def mint(scheme: str, label: str, unit: str | None = None) -> Concept:
    """The concept for `label` in `scheme` (qualification | quantity | flag), created on first use."""
    label = normalise(label)
    cid = minted_id(scheme, label)
    concept = _REGISTRY.get(cid)
    if concept is None:
        concept = _REGISTRY[cid] = Concept(scheme, cid, label, label, unit)
    return concept


def minted(cid: str) -> Concept | None:
    return _REGISTRY.get(cid)


def register(scheme: str, cid: str, label: str, unit: str | None) -> Concept:
    """A concept read back from a graph (skos:notation, skos:prefLabel, pk:unit), known from now on."""
    concept = _REGISTRY.get(cid)
    if concept is None:
        concept = _REGISTRY[cid] = Concept(scheme, cid, label, label, unit)
    return concept


def registered() -> list[Concept]:
    """Every concept minted or read back in this process."""
    return list(_REGISTRY.values())
