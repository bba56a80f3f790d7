"""Structure of a policy text (preamble, chapters, headings, articles, items, sentences) with offsets.

Every node keeps `start`/`end` into the original text, so `text[start:end]` is its verbatim source.
Layouts handled: 第X条 articles (Chinese, Arabic or spaced numerals, captions plain or in 【】),
一、 headings above articles or standing in for them when a text has no 条, 第X章/第X节, items
（一）/(一) (or 一、 lists inside an article after ……：), deeper levels 1. /（1）/ ① nested as subitems,
a 附则 part (bare line, 五、附则, or a bare 附则 line above articles), and issuer/date lines after the
last clause. Samples of each layout: tests/data/layouts/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbers import article_number

_CN = "一二三四五六七八九十百千零〇两"
LINE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("chapter", re.compile(rf"第\s*(?P<num>[{_CN}\d ]+?)\s*章\s*(?P<rest>.*)")),
    ("section", re.compile(rf"第\s*(?P<num>[{_CN}\d ]+?)\s*节\s*(?P<rest>.*)")),
    ("article", re.compile(rf"第\s*(?P<num>[{_CN}\d][{_CN}\d ]*?)\s*条(?P<rest>.*)")),
    ("supplementary", re.compile(r"附\s*则\s*(?P<rest>)$")),
    ("heading", re.compile(rf"(?P<num>[{_CN}]+)\s*、(?P<rest>.*)")),
    ("item", re.compile(rf"[（(]\s*(?P<num>[{_CN}]+)\s*[）)](?P<rest>.*)")),
    ("dot", re.compile(r"(?P<num>\d{1,2})\s*[\.．、](?!\d)(?P<rest>.*)")),
    ("paren", re.compile(r"[（(]\s*(?P<num>\d{1,2})\s*[）)](?P<rest>.*)")),
    ("circled", re.compile(r"(?P<num>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])(?P<rest>.*)")),
]
ENUM_KINDS = ("item", "dot", "paren", "circled")
SENTENCE_END = re.compile(r"[^。！？!?]*[。！？!?]+[”」』）)]?|[^。！？!?]+$")
CAPTION_MAX = 40
MARKER_SEPARATORS = " \u3000\t\xa0:：.．、"


@dataclass
class Line:
    kind: str
    start: int  # first non-blank character
    end: int  # after last non-blank character
    body_start: int  # after the marker (and caption, for articles)
    number: int | None = None
    caption: tuple[int, int] | None = None
    marker_end: int = 0  # after the marker (第三条, 一、, （一）, 1.), before any caption


@dataclass
class Node:
    kind: str  # document | preamble | chapter | section | heading | article | item | subitem | supplementary | closing
    start: int
    end: int
    body_start: int
    number: int | None = None
    label: str = ""
    clause: str | None = None
    caption: tuple[int, int] | None = None
    children: list["Node"] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Structure:
    text: str
    source: str
    title: tuple[int, int] | None
    root: Node

    def clauses(self) -> list[Node]:
        """Units that answer questions: items, articles without items, 附则 items."""
        return [n for n in self.root.walk() if n.clause is not None]

    def parent(self, node: Node) -> Node | None:
        """The node whose children include `node` (by identity), from a map built once per structure."""
        return self._parents().get(id(node))

    def ancestors(self, node: Node) -> list[Node]:
        """From the root down to the parent of `node`."""
        out, parent = [], self.parent(node)
        while parent is not None:
            out.append(parent)
            parent = self.parent(parent)
        return out[::-1]

    def _parents(self) -> dict[int, Node]:
        cached = self.__dict__.get("_parent_map")
        if cached is None or cached[0] is not self.root:
            cached = (self.root, {id(c): n for n in self.root.walk() for c in n.children})
            self.__dict__["_parent_map"] = cached
        return cached[1]

    def quote(self, span: tuple[int, int]) -> str:
        return self.text[span[0]:span[1]]


def _circled_number(ch: str) -> int:
    return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(ch) + 1


def classify_line(text: str, start: int, end: int) -> Line:
    s = text[start:end]
    for kind, pattern in LINE_PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        num = m.group("num") if "num" in pattern.groupindex else None
        if kind == "heading" and len(m.group("num")) > 3:
            continue
        number = _circled_number(num) if kind == "circled" else (article_number(num) if num else None)
        line = Line(kind, start, end, start + m.start("rest"), number, marker_end=start + m.start("rest"))
        if kind in ("article", "chapter", "section", "heading"):
            _split_caption(text, line, end)
        return line
    return Line("text", start, end, start)


def _split_caption(text: str, line: Line, end: int) -> None:
    """Caption: 【…】 right after the marker, or a short rest of line without sentence punctuation.

    Separators after the marker (第一条：, 第二条. ) belong to neither caption nor body."""
    pos = line.body_start
    while pos < end and text[pos] in MARKER_SEPARATORS:
        pos += 1
    bracket = re.match(r"[【\[]([^】\]]+)[】\]]", text[pos:end])
    if bracket:
        line.caption = (pos + 1, pos + 1 + len(bracket.group(1)))
        line.body_start = pos + bracket.end()
    elif pos < end and end - pos <= CAPTION_MAX and not re.search(r"[。；;，,：:]", text[pos:end]):
        line.caption = (pos, end)
        line.body_start = end
    else:
        line.body_start = pos


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lstrip = len(body) - len(body.lstrip(" \u3000\t\ufeff\xa0"))
        rstrip = len(body.rstrip(" \u3000\t\xa0"))
        if rstrip > lstrip:
            lines.append(classify_line(text, pos + lstrip, pos + rstrip))
        pos += len(raw)
    return lines


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for m in SENTENCE_END.finditer(text, start, end):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
