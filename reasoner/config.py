"""One frozen configuration object for the reasoner, passed down explicitly."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg_builder.config import DEFAULT_CORPUS, RESOURCES
from kg_builder.lexicon import load_lexicon


def _lexicon_roles() -> tuple[str, ...]:
    return tuple(load_lexicon(RESOURCES / "lexicon.yaml").data["roles"])


@dataclass(frozen=True)
class ReasonerConfig:
    """Where the dictionary lives, which IRIs shapes get, and which beneficiaries are roles.

    `role_beneficiaries`: a measure paying one of these (not the enterprise itself) is only open to a
    profile that states the role ("我们是运营机构"); otherwise the role is a missing fact. The list is the
    dictionary's `roles`.
    """

    lexicon_path: Path = RESOURCES / "lexicon.yaml"
    corpus_path: Path = DEFAULT_CORPUS
    shape_base: str = "https://w3id.org/policykg/shape/"
    enterprise_base: str = "https://w3id.org/policykg/enterprise/"
    role_beneficiaries: tuple[str, ...] = field(default_factory=_lexicon_roles)
    negations: tuple[str, ...] = ("不是", "并非", "不属于", "没有", "尚未", "未", "非", "not ", "no ")
    # words allowed between a negation and the term for the text to state the opposite ("不是高企" → none,
    # "尚未获得…认定" → none); a negation further away only keeps the fact unknown.
    negation_links: tuple[str, ...] = ("被认定为", "认定为", "获得", "具备", "拥有", "属于", "是", "为", "a ", "an ", "")
