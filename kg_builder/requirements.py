"""How a requirement of the applicant is written, as spans of the text (words in lexicon.yaml `requirements`,
`applicability`, `mint`), so no condition the text states is lost.

- `Requirements.is_requirement(text, a, b)`: a clause before the grant states a requirement (对…的, …的企业,
  须 / 符合 / 获得 / 经…认定, a threshold word), unless it opens with a purpose verb or a method word.
- `Requirements.parts(text, a, b)`: the requirement parts of such a clause: cut at 的 and at 且/并且/同时, trimmed
  of leading 对/且 and trailing 的, without parts that state nothing (fillers, a bare beneficiary word, numbers).
- `Requirements.residue(text, a, b, covered)`: the runs of a clause not covered by what was read structurally,
  cut at 的 and the and-words, that still state something: they become text conditions.
- `Requirements.phrase(text, lo, hi)`: the noun phrase written before a threshold word (open vocabulary).
- `applicability(structure, requirements)`: the articles saying who may use the whole document and their parts.
"""
from __future__ import annotations

import re
from .lexicon import Lexicon, alternation, derived

CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"[\d０-９.．,，%％一二三四五六七八九十百千万亿两零〇]+\s*(?:万元|亿元|元|万|亿|年|个月|月|天|日|平方米|㎡|人次|人|家|项|件|台|个|美元|倍)?")
SEPARATORS = " \u3000\t\r\n、，,；;：:\"“”"
ENDS = SEPARATORS + "的等"
CLAUSE = re.compile(r"[，,；;。：:]")
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


class Requirements:
    def __init__(self, lexicon: Lexicon):
        data, req = lexicon.data, lexicon.data.get("requirements") or {}
        before = alternation(data["thresholds"]["before"])
        after = alternation(data["thresholds"]["after"])
        self.opens = re.compile(f"^(?:{alternation(req.get('opens', []))})")
        self.markers = re.compile("|".join([*req.get("markers", []), before, after]))
        self.heads = re.compile(f"的[^的]*(?:{alternation(req.get('heads', []))})$")
        self.purpose = re.compile(f"^(?:{alternation(data.get('purpose_verbs', []))})")
        self.bases = re.compile(req.get("bases") or "(?!)")  # '对其新增部分…': what an amount is on
        not_method = alternation([*req.get("method_exceptions", []), *req.get("method_not", [])])
        self.method = re.compile(f"^{f'(?!{not_method})' if not_method else ''}(?:{alternation(req.get('method_opens', []))})")
        self.method_inside = re.compile(req.get("method_inside") or "(?!)")
        self.and_words = re.compile("|".join(req.get("and", [])) or "(?!)")
        self.empty = set(req.get("fillers", [])) | set(req.get("heads", [])) | set(data.get("beneficiaries", [])) \
            | set(data.get("roles", []))
        long_fillers = [w for w in req.get("fillers", []) if len(w) > 1]
        self.fillers = re.compile(alternation(long_fillers) or "(?!)")
        mint = data.get("mint") or {}
        self.phrase_breaks = re.compile(alternation(mint.get("phrase_breaks", ["的"])))
        self.phrase_max = int(mint.get("phrase_max", 16))
        self.phrase_strip = re.compile(f"^(?:{'|'.join(mint.get('phrase_strip', [])) or '(?!)'})+")
        app = data.get("applicability") or {}
        self.applies = re.compile("|".join(app.get("markers", [])) or "(?!)")
        self.lead = re.compile(app.get("lead", "(?!)"))
        self.continues = re.compile(f"^(?:{alternation(app.get('continues', []))})")
        self.skip = re.compile("|".join(app.get("skip", [])) or "(?!)")
        self.skip_sentence = re.compile("|".join(app.get("skip_sentence", [])) or "(?!)")
        self.predicate = re.compile(f"(?:{'|'.join(app.get('predicates', [])) or '(?!)'})")
        self.joins = re.compile(alternation(app.get("joins", [])) or "(?!)")
        self.subject_head = re.compile(f"(?:{alternation(app.get('subject_heads', [])) or '(?!)'})$")
        self.subject_heads_any = re.compile(f"(?:{alternation(app.get('subject_heads', [])) or '(?!)'}|或)")
        self.exclusion = re.compile(app.get("exclusion") or "(?!)")

    # -- clauses before the grant ------------------------------------------------------------------------
    def is_requirement(self, text: str, a: int, b: int) -> bool:
        s = text[a:b].strip()
        if not s or self.purpose.match(s) or self.bases.match(s):
            return False
        if self.opens.match(s) or s.endswith("的"):
            return True
        return not self.method.match(s) and bool(self.heads.search(s) or self.markers.search(s))

    def clause_end(self, text: str, a: int, b: int) -> int:
        """Where the requirements of a clause end: at a method word inside it (…的企业按营业收入的…), else b."""
        found = self.method_inside.search(text, a + 1, b)
        return found.start() if found else b

    def states_something(self, text: str, a: int, b: int) -> bool:
        """Not just fillers, a beneficiary word, numbers and separators."""
        s = NUMBER.sub("", text[a:b]).strip(ENDS)
        if s in self.empty:
            return False
        s = self.opens.sub("", s)  # '对年' (the rest of '对年营业收入…' once 营业收入 is read) states nothing
        s = self.fillers.sub("", s)  # '年度实现' states nothing; one-character fillers count only alone
        return len(CJK.findall(s)) >= 2

    def trim(self, text: str, a: int, b: int) -> tuple[int, int]:
        while a < b and text[a] in ENDS:
            a += 1
        while b > a and text[b - 1] in ENDS:
            b -= 1
        lead = self.opens.match(text[a:b])
        if lead and b - a - lead.end() >= 2:
            a += lead.end()
        return a, b

    def _cut(self, text: str, a: int, b: int, pattern: re.Pattern) -> list[tuple[int, int]]:
        quoted = [(m.start(), m.end()) for m in QUOTED.finditer(text, a, b)]
        cuts = [m for m in pattern.finditer(text, a, b) if not any(q0 <= m.start() < q1 for q0, q1 in quoted)]
        bounds = [a, *(x for m in cuts for x in (m.start(), m.end())), b]
        out = []
        for p0, p1 in zip(bounds[::2], bounds[1::2]):
            p0, p1 = self.trim(text, p0, p1)
            if p1 > p0 and self.states_something(text, p0, p1):
                out.append((p0, p1))
        return out

    def parts(self, text: str, a: int, b: int) -> list[tuple[int, int]]:
        """Requirement parts of a requirement clause, cut at 的 and the and-words."""
        return self._cut(text, a, b, re.compile(f"的|{self.and_words.pattern}"))

    def residue(self, text: str, a: int, b: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Runs of text[a:b] outside `covered`, cut at the and-words, that state something."""
        runs, pos = [], a
        for c0, c1 in sorted(covered):
            if c0 > pos:
                runs.append((pos, min(c0, b)))
            pos = max(pos, c1)
        if pos < b:
            runs.append((pos, b))
        cut = re.compile(f"的|{self.and_words.pattern}")
        return [p for r0, r1 in runs if r1 > r0 for p in self._cut(text, r0, r1, cut)]

    def phrase(self, text: str, lo: int, hi: int) -> tuple[int, int] | None:
        """The noun phrase of text[lo:hi] that ends where a threshold word starts: after the last break word."""
        start = lo
        for m in self.phrase_breaks.finditer(text, lo, hi):
            start = m.end()
        start = max(start, hi - self.phrase_max)
        while start < hi and text[start] in SEPARATORS:
            start += 1
        lead = self.phrase_strip.match(text[start:hi])
        start += lead.end() if lead else 0
        s = text[start:hi].strip()
        if len(CJK.findall(s)) < 2 or s in self.empty or NUMBER.fullmatch(s):
            return None
        return start, start + len(text[start:hi].rstrip())


def requirements_of(lexicon: Lexicon) -> Requirements:
    return derived(lexicon, Requirements)


def applicability(structure, req: Requirements) -> list[tuple[str, str, int, int, str]]:
    """(clause id, label, start, end, mode) of each requirement an applicability article states; mode is "part",
    "exclusion" (negated) or "whole" (the whole article, to confirm as written).

    An article (with its items) is one when a sentence of it holds an applicability marker. Each sentence from
    that marker on is cut into clauses (a clause opening with 以及/或 continues the one before); the words that
    only announce the requirements (享受本办法的企业须是…) are dropped; each requirement with its own predicate is
    a part, the subject (…的航运物流企业) another, an exclusion ((房地产企业除外)) a negated one. When the article
    says the applicant meets one of several conditions (之一), the whole article is one condition."""
    text, out = structure.text, []
    for art in (n for n in structure.root.walk() if n.kind == "article"):
        body = [s for n in art.walk() for s in n.sentences]
        hits = [s for s in body if req.applies.search(text, s[0], s[1])]
        caption = art.caption and req.applies.search(text, art.caption[0], art.caption[1])
        if not hits and not caption:
            continue
        clause = art.clause or next((n.clause for n in art.walk() if n.clause), None)
        if clause is None:
            continue
        label = art.label
        if "之一" in text[art.body_start:art.end]:
            a, b = req.trim(text, art.body_start, art.end)
            out.append((clause, label, a, b, "whole"))
            continue
        first = body.index(hits[0]) if hits and not caption else 0
        scope = body[first:]
        if hits and not caption:
            kept = {x for hit in hits for x in _item_scope(text, art, hit, body[body.index(hit):])}
            scope = [x for x in scope if x in kept]
        for s0, s1 in scope:
            if not req.skip_sentence.search(text, s0, s1):
                out += [(clause, label, a, b, mode) for a, b, mode in _sentence_parts(text, s0, s1, req)]
    return out


def _item_scope(text: str, art, hit: tuple[int, int], scope: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A marker inside one item of an article ('五、其他 …（二）享受本措施扶持的企业，须承诺…') speaks for that item:
    the items after it are other rules (validity, interpretation), unless the marker's sentence announces a list
    ('…须符合以下条件：')."""
    node = next((n for n in art.walk() if n is not art and n.kind == "item" and hit in n.sentences), None)
    if node is None or text[hit[0]:hit[1]].rstrip().endswith(("：", ":")):
        return scope
    own = {s for n in node.walk() for s in n.sentences}
    return [s for s in scope if s in own]


def _sentence_parts(text: str, s0: int, s1: int, req: Requirements) -> list[tuple[int, int, bool]]:
    lead = req.lead.match(text[s0:s1])
    a = s0 + lead.end() if lead else s0
    groups: list[list[tuple[int, int]]] = []
    for p0, p1 in _clauses(text, a, s1):
        if groups and req.continues.match(text[p0:p1].strip()):
            groups[-1].append((p0, p1))
        else:
            groups.append([(p0, p1)])
    out = []
    for group in groups:
        g0, g1 = req.trim(text, group[0][0], group[-1][1])
        if req.skip.search(text[g0:g1]):  # examples ('重点包括…的企业'), not requirements
            continue
        for p0, p1, negated in _group_parts(text, group, req):
            p0, p1 = req.trim(text, p0, p1)
            if p1 > p0 and req.states_something(text, p0, p1) and not req.skip.search(text[p0:p1]):
                out.append((p0, p1, "exclusion" if negated else "part"))
    return out


def _group_parts(text: str, group: list[tuple[int, int]], req: Requirements) -> list[tuple[int, int, bool]]:
    """Requirements of one clause (with the clauses continuing it): exclusions, the requirements before the
    subject, each opening with its own predicate, and the subject."""
    p0, p1 = group[0][0], group[-1][1]
    holes = [(m.start(), m.end(), m.start(g), m.end(g)) for m in req.exclusion.finditer(text, p0, p1)
             for g in ("x", "y") if m.group(g)]
    out = [(x0, x1, True) for _, _, x0, x1 in holes]
    if re.search("除外$", text[p0:p1].strip(ENDS)) and not holes:  # '…，房地产企业除外' as its own clause
        return [(p0, p1, True)]
    first_end = group[0][1]
    subject = _subject(text, p0, first_end, req, holes)
    if subject is None and len(group) > 1:  # alternatives ('…，或者…') without a subject: one requirement
        return out + _without(p0, p1, holes)
    end = first_end if subject is None else subject - 1
    cuts = [m for m in req.joins.finditer(text, p0, end)
            if req.predicate.match(text, _skip_space(text, m.end())) and not _inside(text, p0, m.start())]
    bounds = [p0, *(x for m in cuts for x in (m.start(), m.end())), end]
    for q0, q1 in zip(bounds[::2], bounds[1::2]):
        out += _without(q0, q1, holes)
    if subject is not None and _names_a_kind(text, subject, p1, req):
        out += _without(subject, p1, holes)
    return out


def _names_a_kind(text: str, a: int, b: int, req: Requirements) -> bool:
    """A subject that names a kind of applicant ('航运物流企业'), not only bodies in general ('企业和机构')."""
    s = req.subject_heads_any.sub("", req.joins.sub("", text[a:b]))
    return len(CJK.findall(req.fillers.sub("", s).replace("等", "").replace("相关", ""))) >= 2


def _subject(text: str, a: int, b: int, req: Requirements, holes) -> int | None:
    """Where the subject starts: after the first 的 of text[a:b] whose remainder names a kind of applicant (ends
    with a subject head) and holds no requirement of its own (no element opening with a predicate)."""
    for d in (m.start() for m in re.finditer("的", text[a:b])):
        d += a
        rest = "".join(text[i] for i in range(d + 1, b) if not any(h0 <= i < h1 for h0, h1, _, _ in holes))
        rest = rest.strip(SEPARATORS)
        if not rest or not req.subject_head.search(rest) or req.predicate.match(rest):
            continue
        if any(req.predicate.match(rest, m.end()) for m in req.joins.finditer(rest)):
            continue
        return d + 1
    return None


def _without(a: int, b: int, holes) -> list[tuple[int, int, bool]]:
    out, pos = [], a
    for h0, h1, _, _ in sorted(holes):
        if h1 <= pos or h0 >= b:
            continue
        if h0 > pos:
            out.append((pos, h0, False))
        pos = max(pos, h1)
    if pos < b:
        out.append((pos, b, False))
    return out


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \u3000\t":
        i += 1
    return i


def _inside(text: str, a: int, i: int) -> bool:
    """Is position i inside brackets or quotes opened after a?"""
    s = text[a:i]
    return s.count("(") + s.count("（") > s.count(")") + s.count("）") or s.count("“") > s.count("”")


def _clauses(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, pos = [], a
    for m in CLAUSE.finditer(text, a, b):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, b))
    return [(p0, p1) for p0, p1 in out if p1 > p0]
