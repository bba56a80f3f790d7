"""Policy text display: escape Markdown in policy text (never user text) and mark spans."""
from __future__ import annotations

import re

_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def escape_md(text: str) -> str:
    return _MD.sub(r"\\\1", text)


def split_span(text: str, start: int, end: int, *, context: int = 120) -> tuple[str, str, str]:
    """(before, quote, after) around text[start:end], with up to `context` characters each side."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}-{end} is outside the text ({len(text)} characters)")
    return text[max(0, start - context):start], text[start:end], text[end:end + context]


def highlight_md(text: str, spans: list[tuple[int, int]], *, offset: int = 0) -> str:
    """Markdown of `text` (a policy excerpt beginning at `offset`) with each span on a coloured background."""
    out, pos = [], 0
    for a, b in sorted(_merge([(a - offset, b - offset) for a, b in spans if b > offset and a < offset + len(text)])):
        a, b = max(a, pos), min(b, len(text))
        if a >= b:
            continue
        out += [escape_md(text[pos:a]), ":orange-background[" + escape_md(text[a:b]) + "]"]
        pos = b
    out.append(escape_md(text[pos:]))
    return "".join(out).replace("\n", "  \n")


def _merge(spans):
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [tuple(s) for s in merged]


def yuan(value) -> str:
    """12000000 → '12,000,000 元（1200万元）'; None → '—'."""
    if value is None:
        return "—"
    from decimal import Decimal
    v = Decimal(str(value))
    wan = (v / 10000).normalize()
    return f"{v:,.0f} 元（{wan:f}万元）"
