"""Cut a clause into benefit segments and find the condition part of each.

A clause may hold several benefit rules: 第七条（二） has three separated by ；, 第四条（一） two joined
by 、对, 第十一条（一） two separated by ，对. A new segment starts at a clause that opens with 对/对于
once the current segment has already granted something.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LIST_MARKER = r"(?:\d{1,2}[.．、](?!\d)|[（(][\d一二三四五六七八九十]{1,2}[)）]|[①-⑳])"
# a line that opens a listed element ('…奖励2000万元\n2.对外资企业：') ends the piece before it, like 。 or ；
PIECE_BREAK = re.compile(rf"[。；;！？!?]|\n(?=[ \t\u3000]*{LIST_MARKER})")
CLAUSE_BREAK = re.compile(r"[，,]|、(?=对)")
SUBJECT_OPEN = re.compile(r"^(?:对于|对|且|并且|同时)")
LEAD_COLON = re.compile(r"[：:](?![\d\r\n])")  # inline list; not the colon of a 1:1 match ratio
METHOD_OPEN = re.compile(r"^(?:按照|按|根据|依据|经(?!营|济)|在|从(?!事)|参照|视|结合)")  # 从事/经营 are verbs, not methods


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    clauses: tuple[tuple[int, int], ...]
    opener: int | None  # where the grant begins (給予 …); None if the segment grants nothing


def _spans(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in pattern.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in out) if b > a]


def _trim(text: str, a: int, b: int, ends: str = "") -> tuple[int, int]:
    """text[a:b] without surrounding white space (and, at the end, any of `ends`)."""
    while a < b and text[a] in " \u3000\t\r\n":
        a += 1
    while b > a and text[b - 1] in " \u3000\t\r\n" + ends:
        b -= 1
    return a, b


def segments(text: str, start: int, end: int, openers: re.Pattern, grants: list[tuple[int, int]]) -> list[Segment]:
    """Benefit segments of text[start:end]. `grants` are spans of amounts (money, ratios, caps)."""
    out = []
    for p0, p1 in _lead_split(text, _spans(text, start, end, PIECE_BREAK), openers, grants):
        current: list[tuple[int, int]] = []
        for a, b in _spans(text, p0, p1, CLAUSE_BREAK):
            if current and SUBJECT_OPEN.match(text[a:b]) and _grants(text, current, openers, grants):
                out.append(_segment(text, current, openers, grants))
                current = []
            current.append((a, b))
        if current:
            out.append(_segment(text, current, openers, grants))
    return out


def _lead_split(text, pieces, openers, grants) -> list[tuple[int, int]]:
    """'分阶段给予总额不超过600万元的奖励：完成股改的，给予100万元' → the lead-in grant ends at the colon."""
    out = []
    for p0, p1 in pieces:
        colon = LEAD_COLON.search(text, p0, p1)
        if colon and colon.end() < p1 and _grants(text, [(p0, colon.start())], openers, grants) \
                and openers.search(text, p0, colon.start()):
            out += [(p0, colon.start()), _trim(text, colon.end(), p1)]
        else:
            out.append((p0, p1))
    return out


def _grants(text, clauses, openers, grants) -> bool:
    return any(openers.search(text, a, b) for a, b in clauses) or any(
        a <= g0 < b for a, b in clauses for g0, _ in grants)


def _segment(text, clauses, openers, grants) -> Segment:
    opener = None
    for a, b in clauses:
        m = openers.search(text, a, b)
        if m:
            opener = m.start()
            break
    if opener is None:  # "…，奖励30万元": the first amount opens the grant
        inside = [g0 for g0, _ in grants if clauses[0][0] <= g0 < clauses[-1][1]]
        opener = min(inside) if inside else None
    return Segment(clauses[0][0], clauses[-1][1], tuple(clauses), opener)


def condition_clauses(text: str, seg: Segment) -> list[tuple[int, int, str]]:
    """Clauses before the grant, each tagged subject (对…/…的), method (按照…) or purpose (支持…)."""
    out = []
    for a, b in seg.clauses:
        if seg.opener is not None and a >= seg.opener:
            break
        b = min(b, seg.opener) if seg.opener is not None else b
        a, b = _trim(text, a, b)
        if b <= a:
            continue
        s = text[a:b]
        if SUBJECT_OPEN.match(s) or s.endswith("的"):
            out.append((a, b, "subject"))
        elif METHOD_OPEN.match(s):
            out.append((a, b, "method"))
        else:
            out.append((a, b, "other"))
    return out


def enumeration(text: str, a: int, b: int, n: int) -> list[tuple[int, int]] | None:
    """Split a subject phrase into exactly n listed elements ("独角兽、潜在独角兽企业" → 2).

    Tries the phrase's 的-separated parts from last to first, splitting on 、 and then also on 和/及/与/或.
    """
    parts = _spans(text, a, b, re.compile(r"的(?![^“”]*”)"))
    for p0, p1 in reversed(parts):
        for sep in (r"、", r"、|和|及|与|或"):
            elements = _spans(text, p0, p1, re.compile(sep))
            if len(elements) == n:
                return elements
    return None
