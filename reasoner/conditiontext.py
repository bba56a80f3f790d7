"""Does a clause of a self-description say a condition written in words? (used by reasoner.evidence)

Every content word of the condition must be said by the clause — its own words, or words they imply (拿到 →
获得, 一等奖 → 获奖: the dictionary's `evidence` data) — one alternative of each enumeration (主板、创业板), at a
level the condition accepts (国际或国内空白 accepts 国内; 国家级 does not accept 市级; 市级及以上 accepts 国家级), with
the same polarity (注册地不在南沙), neither hedged, in progress nor past (希望成为, 申请中, 曾经), about the
enterprise and not another body (我们运营的园区…), and, for a condition naming a body (港口公司), saying the
enterprise is one. Covered in part, it is `weak`, unless the e5 similarity reaches the calibrated
`evidence.paraphrase_threshold`. A condition holding an unread number is never met by words.

Entry points: `condition_parts(text)`, `clauses(description, masks)`, `judge(condition, clause, similarity,
config)` → (state, coverage, how); `judge_text(description, condition)` → the strongest clause's judgement.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from kg_builder.lexicon import alternation, load_lexicon

from .config import ReasonerConfig
from .textcues import CLAUSE_END, SENTENCE_END

RANK = {"met": 0, "not_met": 0, "weak": 1, "unstated": 2}
Similarity = Callable[[list[str], list[str]], "object"]


@lru_cache(maxsize=4)
def _jieba(config: ReasonerConfig = ReasonerConfig()):
    """A tokenizer of its own (the extractor adds the dictionary's terms, 市级及以上资金, to jieba's global one),
    knowing the evidence words: levels and `evidence.words`."""
    from kg_builder.jieba_store import tokenizer
    tok = tokenizer()  # jieba's dictionary looked up on demand (kg_builder.jieba_store): the same cuts, a fast start
    data = load_lexicon(config.lexicon_path).data.get("evidence") or {}
    for w in [*(x for lv in data.get("levels") or [] for x in lv["words"]), *(data.get("words") or [])]:
        if not re.search(r"[A-Za-z]", str(w)) and len(str(w)) > 1:
            tok.add_word(str(w), freq=100000)
    return tok


def plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True)
class Words:
    """The `evidence` data of the dictionary, compiled."""
    implies: dict
    implies_re: re.Pattern
    levels: dict  # word -> rank
    level_re: re.Pattern  # English level words
    level_up: tuple
    stop: frozenset
    negations: frozenset
    hedge_re: re.Pattern
    weak: float
    threshold: float
    subjects: frozenset
    copulas: frozenset
    bodies: tuple


@lru_cache(maxsize=4)
def words(config: ReasonerConfig) -> Words:
    data = load_lexicon(config.lexicon_path).data.get("evidence") or {}
    implies = {plain(k): tuple(v) for k, v in (data.get("implies") or {}).items()}
    levels = {plain(w): rank for rank, lv in enumerate(data.get("levels") or []) for w in lv["words"]}
    english = [w for w in levels if re.search(r"[a-z]", w)]
    hedges = tuple(config.hedges) + tuple(config.lapses) + tuple(data.get("hedges") or ())
    return Words(implies, re.compile(alternation(implies) or "(?!)", re.I), levels,
                 re.compile(alternation(english) or "(?!)", re.I), tuple(plain(w) for w in data.get("level_up") or ()),
                 frozenset(plain(w) for w in data.get("stopwords") or ()),
                 frozenset(plain(w) for w in data.get("negations") or ()),
                 re.compile(alternation(hedges) or "(?!)", re.I),
                 float(data.get("weak_coverage", 0.5)), float(data.get("paraphrase_threshold", 2.0)),
                 frozenset(plain(x) for x in data.get("subjects") or ()),
                 frozenset(plain(x) for x in data.get("copulas") or ()),
                 tuple(plain(x) for x in data.get("bodies") or ()))


def _tokens(text: str, keep: str = "") -> list[str]:
    """Words of a text, without punctuation (`keep`: punctuation kept as words, e.g. the enumeration comma)."""
    return [t for t in (plain(t).strip() for t in _jieba().lcut(text))
            if t and (t in keep or not re.fullmatch(r"[\W_]+", t))]


def _levels_of(text: str, toks: list[str], w: Words) -> tuple[set[int], bool]:
    """Levels named (Chinese as whole jieba tokens, English as whole words) and whether 及以上 follows one."""
    found, up = set(), False
    for i, t in enumerate(toks):
        if t in w.levels and not re.search(r"[a-z]", t):
            found.add(w.levels[t])
            up |= any("".join(toks[i + 1:i + 4]).startswith(u) for u in w.level_up)
    for m in w.level_re.finditer(plain(text)):
        found.add(w.levels[m.group().lower()])
        up |= any(plain(text)[m.end():m.end() + 12].strip().startswith(u) for u in w.level_up)
    return found, up


@dataclass(frozen=True)
class Condition:
    content: tuple[str, ...]  # every one must be said
    levels: frozenset  # accepted levels; empty: the condition names none
    negated: bool
    numbered: bool  # holds a number the extractor did not read: never met by words
    choices: tuple = ()  # enumerations (主板、创业板、中小板): one alternative (a tuple of words) must be said
    bare: bool = False  # a noun phrase naming a body (港口公司, 供应链服务平台): the clause must say the enterprise is one

    @property
    def size(self) -> int:
        return len(self.content) + len(self.choices)

    def covered(self, bag: str) -> int:
        return sum(t in bag for t in self.content) + sum(any(all(t in bag for t in alt) for alt in group)
                                                          for group in self.choices)


_KNOWN: dict = {}  # (text, config) → Condition, read once per process (reasoner.evidence seeds it from disk)


def condition_parts(text: str, config: ReasonerConfig = ReasonerConfig()) -> "Condition":
    """The parts of a condition written in words (`read_parts`), remembered per text and configuration."""
    hit = _KNOWN.get((text, config))
    if hit is None:
        if len(_KNOWN) > 20_000:  # a long-running app: bounded like the lru_cache it replaces
            _KNOWN.clear()
        hit = _KNOWN[(text, config)] = read_parts(text, config)
    return hit


def remember_parts(parts: dict, config: ReasonerConfig) -> None:
    """Parts read earlier (text → Condition, e.g. from a policy's cache) known without reading them again."""
    for text, cond in parts.items():
        _KNOWN.setdefault((text, config), cond)


def read_parts(text: str, config: ReasonerConfig = ReasonerConfig()) -> Condition:
    """Content words, accepted levels, polarity, enumerations of a condition (jieba cuts and tags)."""
    w = words(config)
    toks = _tokens(text)
    skip = w.stop | w.negations | set(w.levels) | set(w.level_up) | {"以上", "及", "以下"}

    def content_of(words):
        return tuple(t for t in words if t not in skip and not re.fullmatch(r"[\d.]+", t))
    choices, in_choice = _choices(_tokens(text, keep="、"), w, content_of)
    # a level word heading an enumerated item (国内主板、创业板) names the item, not a level of the condition
    named, up = _levels_of(text, [t if not (t in w.levels and nxt in in_choice) else "" for t, nxt in
                                  zip(toks, toks[1:] + [""])], w)
    accepted = set(named)
    if up and named:
        accepted |= {r for r in range(min(named), max(w.levels.values()) + 1)}
    negated = any(t in w.negations for t in toks)
    content = tuple(dict.fromkeys(t for i, t in enumerate(content_of(toks)) if t not in in_choice))
    numbered = bool(re.search(r"\d|[一二三四五六七八九十百千万亿]+(?:元|年|家|个|人|万|亿|%)", text))
    return Condition(content, frozenset(accepted), negated, numbered, choices, _bare(text, w))


@lru_cache(maxsize=1)
def _tagger():
    from kg_builder.jieba_store import tagger
    return tagger(_jieba())  # jieba.posseg.POSTokenizer, its tags looked up on demand


def _bare(text: str, w: Words) -> bool:
    """A noun phrase ending in a body (公司, 平台, 单位…), with no verb and no preposition (jieba's part-of-speech
    tags): the condition names what the applicant is."""
    tagged = list(_tagger().cut(text))
    return bool(tagged) and plain(tagged[-1].word).endswith(tuple(w.bodies) or ("\0",)) and \
        all(x.flag not in ("v", "p") for x in tagged)


def _choices(toks: list[str], w: Words, content_of) -> tuple[tuple, set]:
    """Enumerations of the condition: the items on either side of 、/或 (a word, or two when they make a noun:
    基础技术、产品、工艺、技术服务; with a head noun such as 企业 after one), as groups of alternatives; groups whose
    members are levels are left to the level check."""
    groups, used, i = [], set(), 0
    seps = {"、", "或", "或者"}
    while i < len(toks):
        if toks[i] not in seps or i == 0:
            i += 1
            continue
        a = i - 1
        if toks[a] in w.stop and a > 0:
            a -= 1
        elif a > 0 and toks[a - 1] not in seps and toks[a] not in w.levels and _noun(toks[a - 1]) and _noun(toks[a]):
            a -= 1
        group = [tuple(toks[a:i])]
        while i < len(toks) and toks[i] in seps:
            b = min(i + 2, len(toks))
            if b < len(toks) and toks[b] in w.stop:
                b += 1
            elif b < len(toks) and toks[b] not in seps and toks[b - 1] not in w.levels and _noun(toks[b - 1]) \
                    and _noun(toks[b]):
                b += 1
            group.append(tuple(toks[i + 1:b]))
            i = b
        alts = [content_of(x) for x in group if x]
        if len(alts) >= 2 and any(alts) and not all(all(t in w.levels for t in x) for x in alts if x):
            groups.append(tuple(alts))
            used |= {t for x in alts for t in x}
    return tuple(groups), used


@lru_cache(maxsize=4096)
def _noun(word: str) -> bool:
    tags = list(_tagger().cut(word))
    return len(tags) == 1 and (tags[0].flag.startswith("n") or tags[0].flag == "vn")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str
    bag: str  # the clause and the words it implies, plain
    levels: frozenset
    negated: bool
    hedged: bool
    subjects: frozenset  # bodies the clause speaks of (园区, 楼宇…)
    masked: str = ""  # the text with names (国家高新技术企业) blanked, for level words
    sentence: bool = False  # a sentence of several clauses, read as one unit


def _pieces(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in list(pattern.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        piece = text[pos:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((pos + lead, pos + lead + len(piece.strip())))
        pos = m.end() if m else pos
    return out


def clauses(text: str, masks=(), config: ReasonerConfig = ReasonerConfig()) -> list[Clause]:
    """The description's clauses, then each sentence of several clauses as one more unit (a condition may be
    said across its clauses). `masks` (start, end) are names (国家高新技术企业) whose level words are not levels."""
    w, out = words(config), []
    spans = [(s, False) for s in _pieces(text, CLAUSE_END)]
    spans += [(s, True) for s in _pieces(text, SENTENCE_END) if (s, False) not in spans]
    for (start, end), sentence in spans:
        piece = text[start:end]
        masked = "".join(" " if any(a <= start + i < b for a, b in masks) else ch for i, ch in enumerate(piece))
        toks = _tokens(piece)
        implied = [x for m in w.implies_re.finditer(masked) for x in w.implies[plain(m.group())]]  # 单项冠军 is a name
        levels, _ = _levels_of(masked, _tokens(masked), w)
        out.append(Clause(start, end, piece, plain(piece) + " " + "".join(implied), frozenset(levels),
                          any(t in w.negations for t in toks), bool(w.hedge_re.search(piece)),
                          frozenset(_said_as(t, w) for t in toks if t in w.subjects), masked, sentence))
    return out


def _said_as(word: str, w: Words) -> str:
    """The policy's word for a body (park → 园区)."""
    return next((x for x in w.implies.get(word, ()) if x in w.subjects), word)


def judge(cond: Condition, clause: Clause, similarity: float | None, config: ReasonerConfig) -> tuple[str, float, str]:
    """(state, coverage, how) of one clause against one condition."""
    w = words(config)
    if not cond.size:
        return "unstated", 0.0, "the condition names nothing to compare"
    coverage = cond.covered(clause.bag) / cond.size
    if coverage < w.weak or clause.hedged:
        return "unstated", coverage, "hedged or past" if clause.hedged and coverage >= w.weak else "not said"
    if clause.negated and not cond.negated and cond.content and all(t in clause.bag for t in cond.content):
        return "not_met", coverage, "denied"  # "没有上市" refutes every listed board
    levels = clause.levels or _agency_levels(clause, cond, w)
    if cond.levels and not levels:
        return "weak", coverage, "level not stated"
    if cond.levels and not (levels & cond.levels):
        return "unstated", coverage, "another level"
    if clause.subjects - {*cond.content, *(t for g in cond.choices for a in g for t in a)}:
        return "weak", coverage, "said of another body"
    if cond.bare and not _is_one(cond, clause, w):
        return "weak", coverage, "named, not said to be one"
    full = coverage == 1.0
    threshold = config.paraphrase_threshold if config.paraphrase_threshold is not None else w.threshold
    para = similarity is not None and similarity >= threshold
    if cond.numbered or not (full or para):
        return "weak", coverage, "a number to check" if cond.numbered else "said in part"
    state = "met" if clause.negated == cond.negated else "not_met"
    return state, coverage, "words" if full else "paraphrase"


def judge_text(description: str, condition: str, *, similarity: Similarity | None = None,
               config: ReasonerConfig = ReasonerConfig(), threshold: float | None = None) -> tuple:
    """(state, coverage, how, similarity, clause) of the description's strongest clause for one condition text.
    `threshold` overrides the dictionary's paraphrase threshold (calibration)."""
    cond, parts = condition_parts(condition, config), clauses(description, (), config)
    sims = similarities(parts, {condition: cond}, similarity, config)
    if threshold is not None:
        config = replace(config, paraphrase_threshold=threshold)
    judged = [judge(cond, cl, sims.get((i, condition)), config) + (sims.get((i, condition)), cl)
              for i, cl in enumerate(parts)]
    return strongest(judged) if judged else ("unstated", 0.0, "empty", None, None)


def _is_one(cond: Condition, clause: Clause, w: Words) -> bool:
    """The clause says the enterprise is what the condition names: a copula (是, 作为, we are) before its last
    word, or the clause opens with it."""
    text = plain(clause.text)
    at = text.find(cond.content[-1]) if cond.content else -1
    if at < 0:
        return True  # said through implied words: nothing to place
    before = _tokens(text[:at])
    return not before or any(t in w.copulas for t in before)


def _agency_levels(clause: Clause, cond: Condition, w: Words) -> frozenset:
    """A one-character level glued to an office or to the condition's own word: 市经信局, 经省商务部门, 区科委."""
    heads = [*w.implies, *cond.content, *(t for g in cond.choices for a in g for t in a)]
    singles = [x for x in w.levels if len(x) == 1]
    if not singles or not heads:
        return frozenset()
    pattern = f"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[经由被在获向了的从和与及]))({alternation(singles)})(?={alternation(heads)})"
    return frozenset(w.levels[m.group(1)] for m in re.finditer(pattern, clause.masked))


def strongest(judged: list[tuple]) -> tuple:
    """(state, coverage, how, similarity, clause) of the strongest clause; a condition stated both met and not met is only weak."""
    clause_said = [j for j in judged if j[0] in ("met", "not_met") and not j[4].sentence]
    if clause_said:  # a clause that says it outranks a sentence holding other clauses' negations
        judged = clause_said
    said = {j[0] for j in judged if j[0] in ("met", "not_met")}
    if len(said) == 2:
        j = next(j for j in judged if j[0] == "met")
        return ("weak", j[1], "stated both ways") + j[3:]
    return min(judged, key=lambda j: (RANK[j[0]], -j[1], -(j[3] or 0)))


def similarities(parts: list[Clause], conds: dict, similarity: Similarity | None, config) -> dict:
    """e5 similarity of the pairs a paraphrase could decide: covered in part, not fully."""
    if similarity is None or not parts or not conds:
        return {}
    w = words(config)
    pairs = [(i, t) for t, cond in conds.items() if cond.size and not cond.numbered for i, cl in enumerate(parts)
             if w.weak <= cond.covered(cl.bag) / cond.size < 1.0 and not cl.hedged]
    if not pairs:
        return {}
    rows = sorted({i for i, _ in pairs})
    cols = sorted({t for _, t in pairs})
    matrix = similarity([parts[i].text for i in rows], cols)
    return {(i, t): float(matrix[rows.index(i)][cols.index(t)]) for i, t in pairs}
