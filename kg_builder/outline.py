"""Assemble classified lines into the clause tree: `parse_structure(text, source=...)`."""
from __future__ import annotations

import re

import cn2an

from .errors import PolicyInputError
from .structure import ENUM_KINDS, Line, Node, Structure, split_lines, split_sentences

STRUCTURAL = {"chapter", "section", "article", "supplementary", "heading", "item"}
NOT_TITLE = re.compile(r"^(附件\s*\d*|[（(].*稿[）)]|[（(]?\s*\d{4}年.*[）)]?)$")
SUPPLEMENTARY_CAPTION = re.compile(r"^附\s*则$")


def _cn(n: int) -> str:
    return cn2an.an2cn(n)


def _unit_kind(lines: list[Line]) -> str | None:
    kinds = {line.kind for line in lines}
    for kind in ("article", "heading", "item"):
        if kind in kinds:
            return kind
    return None


def _caption_text(text: str, line: Line) -> str:
    return text[line.caption[0]:line.caption[1]] if line.caption else ""


class _Builder:
    def __init__(self, text: str, unit_kind: str):
        self.text, self.unit_kind = text, unit_kind
        self.root = Node("document", 0, len(text), 0)
        self.group: Node = self.root
        self.chapter: Node | None = None
        self.unit: Node | None = None
        self.item_style: str | None = None
        self.item: Node | None = None
        self.sub: Node | None = None
        self.bodies: dict[int, list[tuple[int, int]]] = {}

    def _open(self, parent: Node, node: Node, line: Line) -> Node:
        parent.children.append(node)
        self.bodies[id(node)] = [(line.body_start, line.end)] if line.end > line.body_start else []
        self._extend(node, line.end)
        return node

    def _extend(self, node: Node, end: int) -> None:
        node.end = max(node.end, end)

    def _close_unit(self) -> None:
        self.unit = self.item = self.sub = None
        self.item_style = None

    def add(self, line: Line) -> None:
        kind = line.kind
        if kind == "chapter" or kind == "section":
            self._close_unit()
            parent = self.root if kind == "chapter" or self.chapter is None else self.chapter
            node = self._open(parent, Node(kind, line.start, line.end, line.body_start, line.number,
                                           caption=line.caption), line)
            self.group = node
            if kind == "chapter":
                self.chapter = node
        elif kind == "supplementary" or (kind == self.unit_kind and self._is_supplementary(line)):
            self._open_unit(line, "supplementary")
        elif kind == self.unit_kind:
            self._open_unit(line, "article")
        elif kind == "heading":  # a grouping heading above articles
            self._close_unit()
            parent = self.chapter or self.root
            self.group = self._open(parent, Node("heading", line.start, line.end, line.body_start, line.number,
                                                 caption=line.caption), line)
        elif kind in ENUM_KINDS and self.unit is not None:
            self._add_enum(line)
        else:
            self._add_text(line)

    def _is_supplementary(self, line: Line) -> bool:
        return bool(SUPPLEMENTARY_CAPTION.match(_caption_text(self.text, line).strip()))

    def _open_unit(self, line: Line, kind: str) -> None:
        self._close_unit()
        node = Node(kind, line.start, line.end, line.body_start, line.number, caption=line.caption)
        self.unit = self._open(self.group, node, line)

    def _add_enum(self, line: Line) -> None:
        if self.item_style is None:
            self.item_style = line.kind
        node = Node("item" if line.kind == self.item_style else "subitem", line.start, line.end,
                    line.body_start, line.number)
        if node.kind == "item":
            self.item, self.sub = self._open(self.unit, node, line), None
        else:
            self.sub = self._open(self.item or self.unit, node, line)
        for open_node in (self.unit, self.item):
            if open_node is not None:
                self._extend(open_node, line.end)

    def _add_text(self, line: Line) -> None:
        target = self.sub or self.item or self.unit
        if target is None:
            return
        self.bodies[id(target)].append((line.start, line.end))
        for open_node in (self.unit, self.item, self.sub):
            if open_node is not None:
                self._extend(open_node, line.end)


def _label_and_clause(builder: _Builder) -> None:
    for unit in (n for n in builder.root.walk() if n.kind in ("article", "supplementary")):
        if unit.kind == "supplementary":
            unit.label, prefix = "附则", "附则"
        elif builder.unit_kind == "article":
            unit.label, prefix = f"第{_cn(unit.number)}条", str(unit.number)
        else:
            unit.label, prefix = f"{_cn(unit.number)}、", str(unit.number)
        items = [c for c in unit.children if c.kind == "item"]
        unit.clause = None if items else prefix
        for item in items:
            item.label, item.clause = f"{unit.label}（{_cn(item.number)}）", f"{prefix}.{item.number}"
        for node in unit.walk():
            if node.kind == "subitem":
                node.label = builder.text[node.start:node.body_start].strip()


def _header(text: str, lines: list[Line]) -> tuple[list[Line], list[Line]]:
    first = next(i for i, line in enumerate(lines) if line.kind in STRUCTURAL)
    header = lines[:first]
    title = []
    for line in header:
        s = text[line.start:line.end]
        if re.search(r"[。；，,]", s):
            break
        title.append(line)
    return title, [line for line in header if line not in title]


def parse_structure(text: str, *, source: str = "<text>") -> Structure:
    lines = split_lines(text)
    unit_kind = _unit_kind(lines)
    if unit_kind is None:
        raise PolicyInputError(source, "no recognisable structure",
                               expected="articles (第X条), numbered headings (一、) or items (（一）)")
    title_lines, preamble_lines = _header(text, lines)
    builder = _Builder(text, unit_kind)
    for line in lines[len(title_lines) + len(preamble_lines):]:
        builder.add(line)
    _label_and_clause(builder)
    for node in builder.root.walk():
        node.sentences = [s for a, b in builder.bodies.get(id(node), []) for s in split_sentences(text, a, b)]
    if preamble_lines:
        pre = Node("preamble", preamble_lines[0].start, preamble_lines[-1].end, preamble_lines[0].start)
        pre.sentences = [s for ln in preamble_lines for s in split_sentences(text, ln.start, ln.end)]
        builder.root.children.insert(0, pre)
    kept = [ln for ln in title_lines if not NOT_TITLE.match(text[ln.start:ln.end])]
    title = (kept[0].start, kept[-1].end) if kept else None
    return Structure(text, source, title, builder.root)
