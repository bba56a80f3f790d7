"""One frozen configuration object for the reasoner, passed down explicitly."""
from __future__ import annotations

import hashlib
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
    # Cues read around a term in free text (reasoner.textcues). English words match as whole words, so
    # their forms are listed ("plan", "plans", "planning"; "isn't", "aren't").
    negations: tuple[str, ...] = ("不是", "并非", "不属于", "没有", "尚未", "未", "非", "not", "no", "non", "never",
                                  "neither", "nor", "without", "cannot", "can't", "isn't", "aren't", "wasn't",
                                  "weren't", "hasn't", "haven't", "hadn't", "don't", "doesn't", "didn't", "won't")
    # words allowed between a negation and the term for the text to state the opposite ("不是高企" → none,
    # "尚未获得…认定" → none, "have not yet been certified as a" → none); a negation further away, or one
    # with other words between, only keeps the fact unknown.
    negation_links: tuple[str, ...] = ("被认定为", "认定为", "获得", "具备", "拥有", "属于", "是", "为", "a", "an",
                                       "the", "any", "yet", "been", "be", "being", "as", "certified", "recognised",
                                       "recognized", "accredited", "granted", "awarded", "obtained", "received",
                                       "have", "has", "had", "hold", "held", "currently", "formally", "officially")
    cue_exceptions: tuple[str, ...] = ("not only", "valid until")  # not cues, though they hold one
    # a wish, a plan or the past is not a fact: the term after a hedge stays unknown ("we hope to become a
    # high-tech enterprise", "we used to be"), and so does a term a lapse follows ("… status expired")
    hedges: tuple[str, ...] = ("希望", "计划", "打算", "准备", "争取", "力争", "申请成为", "正在申报", "正在申请",
                               "拟申报", "拟申请", "有望", "曾经", "曾是", "hope", "hopes", "hoping", "plan", "plans",
                               "planning", "intend", "intends", "intending", "aim", "aims", "aiming", "want", "wants",
                               "wish", "wishes", "would like", "expect", "expects", "expecting", "seek", "seeks",
                               "seeking", "strive", "striving", "prepare", "prepares", "preparing", "apply", "applies",
                               "applying", "applied for", "candidate", "will", "going to", "to become", "if", "whether",
                               "lost", "used to", "former", "formerly", "once")
    lapses: tuple[str, ...] = ("过期", "失效", "到期", "被取消", "被撤销", "expired", "lapsed", "revoked", "cancelled",
                               "canceled", "withdrawn", "until", "申请中", "审核中", "评审中", "审查中", "公示中",
                               "办理中", "pending", "under review")
    # e5 similarity at which a condition covered in part is met (reasoner.evidence); None: the dictionary's
    # calibrated `evidence.paraphrase_threshold`
    paraphrase_threshold: float | None = None
    cue_window: int = 6  # how many words (an English word, or one Chinese character) from a term cues reach


PACKAGE = Path(__file__).resolve().parent  # the reasoner's code: what its cached values are keyed on


def config_digest(config: ReasonerConfig) -> str:
    """The configuration and the content of its dictionary (shapes and evidence read its words)."""
    try:
        words = Path(config.lexicon_path).read_bytes()
    except OSError:
        words = b""
    return hashlib.sha256(repr(config).encode() + words).hexdigest()[:12]


def memo_derived(key: str | None, name: str, compute, *, config: ReasonerConfig | None = None):
    """`compute()`, a value the reasoner derives from the graph whose kg_builder.cache key is `key` (None: not
    cached), kept on disk beside it, keyed on the reasoner's code version and, given `config`, on config_digest."""
    from kg_builder.cache import memo_key

    return memo_key(key, f"{name}.{config_digest(config)}" if config is not None else name, compute,
                    packages=(PACKAGE,))
