"""Application guides (办事指南): their sections, the documents their 政策依据 cite, the measures they implement.

`parse_guide(text)` → Guide: sections by what they say (headings in resources/guide.yaml: 政策依据, 申请条件,
资助标准/奖励标准, 申请材料, 申请时间, 受理部门 and their variants; numbered 一、/（一）/1. or not), the items
of each section as exact spans, the application window (dates read from 申请时间) and the office.
`resolve_citations(guide, documents)` finds the cited documents (by title in 《》, else by 文号) and articles
(第二十五条); what the corpus lacks (e.g. 实施细则) stays unresolved with the reason.
`implemented_clauses(guide, candidates)` links the guide to the clauses whose amounts, ratios, thresholds
and words its 资助标准 repeats. `guide_conditions(guide)` reads its 申请条件 as conditions (structured where
the dictionary knows the words, the item verbatim otherwise). Nothing here names one guide.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from .config import RESOURCES, BuildConfig
from .numbers import DURATION_RE, MONEY_RE, PERCENT_RE, article_number, money_value, parse_number, percent_value

GUIDE_RESOURCES = RESOURCES / "guide.yaml"
CN = "一二三四五六七八九十"
MARK = re.compile(rf"[ \t\u3000]*(?:第[{CN}\d]+部分|[{CN}]+[、.．]|[（(][{CN}\d]+[）)]|\d{{1,2}}[.．、](?!\d{{1,3}}(?!\d))|[①-⑳])[ \t\u3000]*")
TITLE = re.compile(r"《([^《》\n]+)》")
NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号")
ARTICLE = re.compile(rf"第([{CN}百零〇\d]+)条")
ITEM = re.compile(rf"第?[（(]([{CN}\d]+)[）)]项?")
LEAD = re.compile(r"^(?:根据|依据|依照|按照|参照|按)")
PAREN = re.compile(r"\s*[（(]([^（）()]*?)[）)]")
DAY = re.compile(r"(?:(?P<y>\d{4})\s*年)?\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?")
RANGE = re.compile(rf"(?P<a>{DAY.pattern.replace('?P<', '?P<a')})\s*(?:-|－|—|–|~|～|至|到)+\s*"
                   rf"(?P<b>{DAY.pattern.replace('?P<', '?P<b')})")
YEAR = re.compile(r"(\d{4})\s*年")


@lru_cache(maxsize=2)
def guide_words(path: Path = GUIDE_RESOURCES) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class Section:
    kind: str
    heading: tuple[int, int]  # the heading's words
    start: int  # body: after the heading
    end: int
    items: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, level)


@dataclass
class Citation:
    start: int  # span in the guide: 《title》（文号）第X条
    end: int
    title: str | None
    number: str | None  # 文号
    article: int | None
    document: str | None = None
    item: int | None = None  # 第三条第（一）项
    clause: str | None = None  # the cited article's clause id, when found
    target: tuple[int, int] | None = None  # its span in the cited document
    note: str | None = None  # why it is unresolved


@dataclass
class Guide:
    text: str
    sections: dict[str, Section]
    citations: list[Citation] = field(default_factory=list)

    def items(self, kind: str) -> list[tuple[int, int, int]]:
        s = self.sections.get(kind)
        return s.items if s else []

    def span(self, kind: str) -> tuple[int, int] | None:
        s = self.sections.get(kind)
        return _trim(self.text, s.start, s.end) if s else None

    @property
    def window(self) -> dict | None:
        return application_window(self)

    @property
    def office(self) -> dict | None:
        s = self.sections.get("office")
        lines = _lines(self.text, s.start, s.end) if s else []
        return {"text": self.text[lines[0][0]:lines[0][1]], "start": lines[0][0], "end": lines[0][1]} if lines else None


def _heading_pattern(words: dict) -> re.Pattern:
    alts = sorted(((w, k) for k, ws in words["sections"].items() for w in ws), key=lambda x: -len(x[0]))
    names = "|".join(re.escape(w) for w, _ in alts)
    return re.compile(rf"(?P<mark>{MARK.pattern})?(?:[【\[](?P<bword>{names})[】\]][ \t\u3000：:]*(?P<brest>.*)"
                      rf"|(?P<word>{names})[ \t\u3000]*(?:[：:](?P<rest>.*)|$))")


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "；;，,"):
        b -= 1
    return a, b


def _lines(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, pos = [], a
    for line in text[a:b].split("\n"):
        s, e = _trim(text, pos, pos + len(line))
        if e > s:
            out.append((s, e))
        pos += len(line) + 1
    return out


def sections(text: str, words: dict | None = None) -> dict[str, Section]:
    """Top-level sections by kind. Headings keep the numbering style of the first one found (一、 …),
    so a numbered item inside a section (1.申请材料一式两份) is not taken for a heading."""
    words = words or guide_words()
    pattern, kinds = _heading_pattern(words), {w: k for k, ws in words["sections"].items() for w in ws}
    found, style = [], None
    for a, b in _lines(text, 0, len(text)):
        m = pattern.match(text, a, b)
        if not m or (m.group("rest") is None and m.group("bword") is None and m.end() < b):
            continue
        word, rest = ("bword", "brest") if m.group("bword") else ("word", "rest")
        mark = (m.group("mark") or "").strip()
        kind_of_mark = _mark_style(mark)
        if style is None:
            style = kind_of_mark
        elif kind_of_mark != style:
            continue
        body = m.start(rest) if m.group(rest) else b
        found.append((kinds[m.group(word)], (m.start(word), m.end(word)), body, a))
    out: dict[str, Section] = {}
    for i, (kind, heading, body, line_start) in enumerate(found):
        end = found[i + 1][3] if i + 1 < len(found) else _appendix_start(text, body)
        if kind not in out:
            out[kind] = Section(kind, heading, body, end, _items(text, body, end))
    return out


def _appendix_start(text: str, start: int) -> int:
    m = re.search(r"\n\s*附件\s*[:：1-9一]", text[start:])
    return start + m.start() if m else len(text)


def body_end(text: str) -> int:
    """Where a guide's appended forms (附件：1.申请表 …) begin; the end of the text if none."""
    return _appendix_start(text, 0)


def _mark_style(mark: str) -> str:
    if not mark:
        return "none"
    if mark.startswith(("（", "(")):
        return "paren"
    if mark[0].isdigit():
        return "digit"
    if mark.startswith("第"):
        return "part"
    if mark[0] in "①②③④⑤⑥⑦⑧⑨⑩":
        return "circled"
    return "cn"


def _items(text: str, a: int, b: int) -> list[tuple[int, int, int]]:
    """Numbered lines of a section (level by numbering style, in order of first use); unnumbered lines
    when none is numbered. Spans exclude the marker: text[start:end] is the item as written."""
    lines = _lines(text, a, b)
    marked, styles = [], []
    for s, e in lines:
        m = MARK.match(text, s, e)
        if m and m.end() < e:
            style = _mark_style(text[m.start():m.end()].strip())
            if style not in styles:
                styles.append(style)
            marked.append((m.end(), e, styles.index(style) + 1))
    return marked or [(s, e, 1) for s, e in lines]


def is_guide(text: str) -> bool:
    words = guide_words()
    return len(set(sections(text, words)) & set(words["guide_sections"])) >= words["min_sections"]


def parse_guide(text: str) -> Guide:
    guide = Guide(text, sections(text))
    guide.citations = basis_citations(guide)
    return guide


# ---- 政策依据: citations ----

def basis_citations(guide: Guide) -> list[Citation]:
    s = guide.sections.get("basis")
    if not s:
        return []
    text, out = guide.text, []
    for a, b in _lines(text, s.start, s.end):
        titles = list(TITLE.finditer(text, a, b))
        taken = []
        for i, t in enumerate(titles):
            nxt = titles[i + 1].start() if i + 1 < len(titles) else b
            end, number = t.end(), None
            for n in PAREN.finditer(text, t.end(), nxt):  # （文号） or （试行）, right after the title
                if text[end:n.start()].strip():
                    break
                end = n.end()
                if NUMBER.search(n.group(1)):
                    number = _norm_number(NUMBER.search(n.group(1)).group())
            art = ARTICLE.search(text, end, nxt)
            article, item = None, None
            if art and not text[end:art.start()].strip("，,及和的 \u3000"):
                article, end = article_number(art.group(1)), art.end()
                it = ITEM.match(text, end, nxt)
                if it:
                    item, end = article_number(it.group(1)), it.end()
            out.append(Citation(t.start(), end, t.group(1), number, article, item=item))
            taken.append((t.start(), end))
        line = [c for c in out if a <= c.start < b]
        for n in NUMBER.finditer(text, a, b):  # 关于印发《…》的通知（文号）, or a 文号 on its own
            if any(x <= n.start() < y for x, y in taken) or TITLE.search(text, n.start(), n.end()):
                continue
            owner = next((c for c in reversed(line) if c.number is None and c.end <= n.start()), None)
            if owner is not None:
                owner.number, owner.end = _norm_number(n.group()), max(owner.end, n.end())
                continue
            start = n.start() + (len(lead.group()) if (lead := LEAD.match(n.group())) else 0)
            end, article, art = n.end(), None, ARTICLE.match(text, n.end() + (text[n.end():n.end() + 1] == "文"), b)
            if art:
                article, end = article_number(art.group(1)), art.end()
            out.append(Citation(start, end, None, _norm_number(text[start:n.end()]), article))
    return out


def _norm_number(s: str) -> str:
    s = re.sub(r"\s+", "", s)
    return re.sub(r"[\[［【(（](\d{4})[\]］】)）]", r"〔\1〕", s)


def norm_title(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"[\s\"'“”‘’《》]+", "", s)


def resolve_citations(guide: Guide, documents: dict[str, dict]) -> None:
    """documents: id → {"title", "meta", "clauses": {clause id: (start, end)}}. Fills each citation's
    document, clause and target span, or its note when the corpus does not hold what it cites."""
    by_title = {norm_title(d["title"]): i for i, d in documents.items() if d.get("title")}
    for c in guide.citations:
        doc = by_title.get(norm_title(c.title)) if c.title else None
        if doc is None and c.title:
            t = norm_title(c.title)
            close = [i for k, i in by_title.items() if _unbracketed(k) == _unbracketed(t)]  # （试行）, （修订）
            doc = close[0] if len(close) == 1 else None
        if doc is None and c.number and not (c.title and _is_set_notice(c, guide)):
            same = [i for i, d in documents.items() if c.number in (_norm_number(str(d["meta"].get(k) or ""))
                                                                    for k in ("doc_number", "number"))]
            series = [i for i, d in documents.items() if _norm_number(str(d["meta"].get("series") or "")) == c.number]
            doc = same[0] if len(same) == 1 else (series[0] if not same and len(series) == 1 else None)
            if doc is None and len(series) > 1:
                c.note = f"文号{c.number}印发一组{len(series)}份文件，未指明其中哪一份"
        if doc is None:
            c.note = c.note or "本库中没有所引文件" + (f"《{c.title}》" if c.title else f"（{c.number}）")
            continue
        c.document = doc
        if c.article is not None:
            key = f"{c.article}.{c.item}" if c.item else str(c.article)
            span = documents[doc]["clauses"].get(key) or documents[doc]["clauses"].get(str(c.article))
            if span:
                c.clause, c.target = key if documents[doc]["clauses"].get(key) else str(c.article), span
            else:
                c.note = f"{doc}中没有第{c.article}条"


def _unbracketed(t: str) -> str:
    return re.sub(r"\([^()]*\)", "", t)


def _is_set_notice(c: Citation, guide: Guide) -> bool:
    """《关于印发…的通知》（文号）——《办法》: the notice is followed on its line by the title it issued."""
    rest = guide.text[c.end:guide.text.find("\n", c.end) if "\n" in guide.text[c.end:] else len(guide.text)]
    return bool(TITLE.search(rest))


# ---- 资助标准 → the clauses a guide implements ----

def number_facts(text: str) -> set[tuple[str, Decimal]]:
    """Amounts (yuan), percentages (fractions) and durations a text states, for comparing two texts."""
    out = set()
    for m in MONEY_RE.finditer(text):
        try:
            out.add(("yuan", money_value(m["num"], m["mult"])))
        except ValueError:
            pass
    for m in PERCENT_RE.finditer(text):
        try:
            out.add(("ratio", percent_value(m)))
        except ValueError:
            pass
    for m in DURATION_RE.finditer(text):
        try:
            out.add((m["unit"], parse_number(m["num"])))
        except ValueError:
            pass
    return out


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fff]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def implemented_clauses(guide: Guide, title: str, candidates: list[dict]) -> list[dict]:
    """candidates: [{"document", "clause", "caption", "text"}] (clauses with measures). A clause is implemented
    when the guide's 资助标准 (or, without one, its 申请条件) repeats its numbers, and its caption words
    appear in the guide's title or standard; the best clauses win (ties kept: one guide, several items)."""
    kind = "standard" if "standard" in guide.sections else "conditions"
    span = guide.span(kind)
    if not span:
        return []
    own = guide.text[span[0]:span[1]]
    facts, words = number_facts(own), _bigrams(title + own)
    scored = []
    for c in candidates:
        shared = facts & number_facts(c["text"])
        cap = _bigrams(c.get("caption") or "")
        caption = len(cap & words) / len(cap) if cap else 0.0
        body = _bigrams(c["text"])
        overlap = len(body & words) / max(1, min(len(body), len(words)))
        score = len(shared) + 2 * caption + overlap
        if shared or (len(cap) >= 2 and caption == 1.0):  # or its caption is in the guide's title (技改后奖补)
            scored.append((score, len(shared), c))
    if not scored:
        return []
    best = max(s for s, _, _ in scored)
    return [c | {"score": round(s, 3), "shared": n, "guide_span": span} for s, n, c in scored if s >= 0.6 * best and (n >= 2 or s >= 2)]


# ---- 申请条件 → conditions; 申请时间 → window ----

def guide_conditions(guide: Guide, config: BuildConfig = BuildConfig()) -> list:
    """One or more kg_builder.measures.Condition per 申请条件 item (offsets in the guide's text). Structured
    where the dictionary reads the item completely enough; the item verbatim as a text condition whenever
    words the dictionary does not read remain, so nothing the guide requires is dropped."""
    from .conditions import structured
    from .extract import span_findings
    from .measures import ClauseFacts, Condition
    out = []
    for a, b, level in guide.items("conditions"):
        facts = ClauseFacts(guide.text, "guide", "申请条件", None, None, a, b,
                            span_findings(guide.text, a, b, config.lexicon_path))
        statuses = facts.of("status", a, b)
        one = {f.attrs["status"] for f in statuses}
        status = one.pop() if len(one) == 1 else None  # 首次认定或通过复审: two statuses stay words to confirm
        every = structured(facts, a, b, status)
        found = [c for c in every if c.kind != "threshold" or c.quantity]
        if len(found) < len(every):
            found = []
        read = found + ([f for f in statuses] if status and found else [])
        rest = guide.text[a:b]
        for c in sorted(read, key=lambda c: -c.start):
            rest = rest[:c.start - a] + rest[c.end - a:]
        if len(re.sub(r"[^\u4e00-\u9fff]|[的等及和与或在为是须以上下含]", "", rest)) >= 6 or not found:
            found.append(Condition("text", a, b, guide.text[a:b]))
        out.extend(sorted(found, key=lambda c: (c.start, c.kind)))
    return out


def application_window(guide: Guide) -> dict | None:
    """The first sentence of 申请时间 with the dates it gives (year from the sentence when a date lacks it)."""
    s = guide.sections.get("window")
    lines = _lines(guide.text, s.start, s.end) if s else []
    if not lines:
        return None
    a, b = lines[0]
    stop = re.search(r"[。；;]", guide.text[a:b])
    b = a + stop.start() + 1 if stop else b
    out = {"text": guide.text[a:b], "start": a, "end": b, "opens": None, "closes": None}
    m = RANGE.search(guide.text, a, b)
    year = YEAR.search(guide.text, a, b)
    if m:
        y0 = int(m["ay"] or (year.group(1) if year else 0)) or None
        y1 = int(m["by"] or 0) or y0
        try:
            out["opens"] = date(y0, int(m["am"]), int(m["ad"])) if y0 else None
            out["closes"] = date(y1, int(m["bm"]), int(m["bd"])) if y1 else None
        except ValueError:
            pass
    return out
