"""Assemble classified lines into the clause tree: `parse_structure(text, source=...)`."""
from __future__ import annotations

import re

from .errors import PolicyInputError
from .structure import ENUM_KINDS, Line, Node, Structure, split_lines, split_sentences

STRUCTURAL = {"chapter", "section", "article", "supplementary", "heading", "item"}
NOT_TITLE = re.compile(r"^(附件\s*\d*\s*[:：]?|[（(].*稿[）)]|[（(]?\s*\d{4}年.*[）)]?)$")
SUPPLEMENTARY_CAPTION = re.compile(r"^附\s*则$")
DATE_LINE = re.compile(r"^[（(]?\s*[\d〇零一二三四五六七八九]{4}\s*年[\d〇零一二三四五六七八九十\s]{1,4}月"
                       r"[\d〇零一二三四五六七八九十\s]{1,4}日\s*[）)]?$")
CLOSING_MAX_LINES = 4  # issuer lines plus the date line that may follow the last clause
LIST_INTRO_END = "：:"


def _cn(n: int) -> str:
    import cn2an
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
    """Feeds lines one by one into the open chapter/group, unit (article) and enumeration levels."""

    def __init__(self, text: str, unit_kind: str):
        self.text, self.unit_kind = text, unit_kind
        self.root = Node("document", 0, len(text), 0)
        self.group: Node = self.root
        self.chapter: Node | None = None
        self.unit: Node | None = None
        self.enums: list[tuple[str, Node]] = []  # open enumeration levels (style, node), outermost first
        self.last_end = 0
        self.bodies: dict[int, list[tuple[int, int]]] = {}

    def _open(self, parent: Node, node: Node, line: Line) -> Node:
        parent.children.append(node)
        self.bodies[id(node)] = [(node.body_start, line.end)] if line.end > node.body_start else []
        return node

    def add(self, line: Line) -> None:
        kind = line.kind
        if kind in ("chapter", "section"):
            self._open_group(line)
        elif kind == "supplementary" or (kind == self.unit_kind and self._is_supplementary(line)):
            self._open_unit(line, "supplementary")
        elif kind == self.unit_kind:
            self._open_unit(line, "article")
        elif kind == "heading" and self._in_heading_list():
            self._add_enum(line, line.marker_end)
        elif kind == "heading":  # a grouping heading above articles
            self._open_group(line)
        elif kind in ENUM_KINDS and self.unit is not None:
            self._add_enum(line, line.body_start)
        else:
            self._add_text(line)
        self.last_end = line.end

    def _open_group(self, line: Line) -> None:
        self.unit, self.enums = None, []
        parent = self.root if line.kind == "chapter" else (self.chapter or self.root)
        node = Node(line.kind, line.start, line.end, line.body_start, line.number, caption=line.caption)
        self.group = self._open(parent, node, line)
        if line.kind == "chapter":
            self.chapter = node

    def _is_supplementary(self, line: Line) -> bool:
        return bool(SUPPLEMENTARY_CAPTION.match(_caption_text(self.text, line).strip()))

    def _in_heading_list(self) -> bool:
        """一、 lines inside an article that announced a list (……条件：) enumerate, not group."""
        if self.unit is None or self.unit_kind != "article":
            return False
        return any(style == "heading" for style, _ in self.enums) or self.text[self.last_end - 1] in LIST_INTRO_END

    def _open_unit(self, line: Line, kind: str) -> None:
        if kind == "article" and self._is_bare_heading(self.unit):
            self.unit.kind, self.group = "heading", self.unit  # a bare 附则 line above articles
        self.unit, self.enums = None, []
        node = Node(kind, line.start, line.end, line.body_start, line.number, caption=line.caption)
        self.unit = self._open(self.group, node, line)

    def _is_bare_heading(self, node: Node | None) -> bool:
        return node is not None and node.kind == "supplementary" and not node.children and not self.bodies[id(node)]

    def _add_enum(self, line: Line, body_start: int) -> None:
        styles = [style for style, _ in self.enums]
        if line.kind in styles:
            del self.enums[styles.index(line.kind):]
        parent = self.enums[-1][1] if self.enums else self.unit
        top = not self.enums and self.unit_kind != "item"  # under （一） units every level is a detail
        node = Node("item" if top else "subitem", line.start, line.end, body_start, line.number)
        self.enums.append((line.kind, self._open(parent, node, line)))

    def _add_text(self, line: Line) -> None:
        target = self.enums[-1][1] if self.enums else (self.unit or self.group)
        if target is self.root:
            return
        self.bodies[id(target)].append((line.start, line.end))
        target.end = max(target.end, line.end)


def _fit_spans(node: Node) -> None:
    """Make every node's span cover its children."""
    for child in node.children:
        _fit_spans(child)
        node.end = max(node.end, child.end)


def _label_groups(root: Node) -> None:
    formats = {"chapter": "第{}章", "section": "第{}节", "heading": "{}、"}
    for node in root.walk():
        if node.kind in formats:
            node.label = formats[node.kind].format(_cn(node.number)) if node.number else "附则"


def _label_and_clause(builder: _Builder) -> None:
    formats = {"article": "第{}条", "heading": "{}、", "item": "（{}）"}
    for unit in (n for n in builder.root.walk() if n.kind in ("article", "supplementary")):
        if unit.kind == "supplementary":
            unit.label, prefix = "附则", "附则"
        else:
            unit.label, prefix = formats[builder.unit_kind].format(_cn(unit.number)), str(unit.number)
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


def _closing(text: str, lines: list[Line]) -> list[Line]:
    """Issuer and date lines after the last clause (北京市西城区人民政府 / 2024年1月15日)."""
    if not lines or not DATE_LINE.match(text[lines[-1].start:lines[-1].end]):
        return []
    first = len(lines) - 1
    while first > 0 and len(lines) - first < CLOSING_MAX_LINES and _is_issuer(text, lines[first - 1]):
        first -= 1
    return lines[first:]


def _is_issuer(text: str, line: Line) -> bool:
    s = text[line.start:line.end]
    return line.kind == "text" and len(s) <= 30 and not re.search(r"[。；;，,：:！？]", s)


def _plain_node(text: str, kind: str, lines: list[Line]) -> Node:
    node = Node(kind, lines[0].start, lines[-1].end, lines[0].start)
    node.sentences = [s for ln in lines for s in split_sentences(text, ln.start, ln.end)]
    return node


def _build_tree(text: str, unit_kind: str, lines: list[Line]) -> Node:
    builder = _Builder(text, unit_kind)
    for line in lines:
        builder.add(line)
    _fit_spans(builder.root)
    _label_groups(builder.root)
    _label_and_clause(builder)
    for node in builder.root.walk():
        node.sentences = [s for a, b in builder.bodies.get(id(node), []) for s in split_sentences(text, a, b)]
    return builder.root


def _title_span(text: str, title_lines: list[Line]) -> tuple[int, int] | None:
    kept = [ln for ln in title_lines if not NOT_TITLE.match(text[ln.start:ln.end])]
    return (kept[0].start, kept[-1].end) if kept else None


def parse_structure(text: str, *, source: str = "<text>") -> Structure:
    lines = split_lines(text)
    unit_kind = _unit_kind(lines)
    if unit_kind is None:
        raise PolicyInputError(source, "no recognisable structure",
                               expected="articles (第X条), numbered headings (一、) or items (（一）)")
    title_lines, preamble_lines = _header(text, lines)
    closing_lines = _closing(text, lines)
    root = _build_tree(text, unit_kind, lines[len(title_lines) + len(preamble_lines):len(lines) - len(closing_lines)])
    if preamble_lines:
        root.children.insert(0, _plain_node(text, "preamble", preamble_lines))
    if closing_lines:
        root.children.append(_plain_node(text, "closing", closing_lines))
    return Structure(text, source, _title_span(text, title_lines), root)
