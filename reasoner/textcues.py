"""What stands around a term in a Chinese or English profile text: its clause and sentence, and the cues
before it. A negation right before a term, with only link words between (不是高企, 尚未获得…, not a …,
have not yet been certified as a …), states the opposite; a negation further away, a hedge before the
term (希望成为, we hope to become, used to) or a lapse after it (已过期, expired) only stops the term
asserting: the fact stays unknown, never "no" by guess.
Cue words come from ReasonerConfig; English ones match as whole words.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg_builder.lexicon import alternation

from .config import ReasonerConfig

# "," between digits (15,000,000) and "." before a digit (1.5) do not end a clause
CLAUSE_END = re.compile(r"[，。；;！!？?\n]|(?<!\d),|,(?!\d)|\.(?!\d)")
SENTENCE_END = re.compile(r"[。；;！!？?\n]|\.(?!\d)")
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*|\S")  # an English word, or any other single character


def same_clause(text: str, a: int, b: int) -> bool:
    return not CLAUSE_END.search(text, min(a, b), max(a, b))


def same_sentence(text: str, a: int, b: int) -> bool:
    return not SENTENCE_END.search(text, min(a, b), max(a, b))


@lru_cache(maxsize=4)
def _cues(config: ReasonerConfig) -> dict[str, re.Pattern]:
    return {"negation": re.compile(alternation(config.negations)),
            "hedge": re.compile(alternation(config.hedges)),
            "negation_end": re.compile(f"(?:{alternation(config.negations)})[\\s-]*$"),
            "link_end": re.compile(f"(?:{alternation(config.negation_links)})\\s*$"),
            "exception": re.compile(alternation(config.cue_exceptions) or "(?!)"),
            "lapse": re.compile(alternation(config.lapses) or "(?!)")}


def _plain(text: str) -> str:
    return text.lower().replace("’", "'")


def _left(text: str, start: int) -> str:
    """The text of the clause before `start`, lower-cased, with ’ as '."""
    return _plain(CLAUSE_END.split(text[max(0, start - 200):start])[-1])


def _windows(text: str, start: int, end: int, config: ReasonerConfig) -> tuple[str, str]:
    """The last `cue_window` words of the clause before the term and the first ones after it."""
    left, right = _left(text, start), _plain(CLAUSE_END.split(text[end:end + 200])[0])
    before, after = list(TOKEN.finditer(left))[-config.cue_window:], list(TOKEN.finditer(right))[:config.cue_window]
    return left[before[0].start():] if before else "", right[:after[-1].end()] if after else ""


def hedged_or_negated(text: str, start: int, end: int, config: ReasonerConfig) -> bool:
    """A negation or a hedge in the cue window before the term text[start:end], or a lapse in the one after it
    (same clause): the term does not assert."""
    cues = _cues(config)
    before, after = (cues["exception"].sub(" ", w) for w in _windows(text, start, end, config))
    return bool(cues["negation"].search(before) or cues["hedge"].search(before) or cues["lapse"].search(after))


def denied_from(text: str, start: int, config: ReasonerConfig) -> int | None:
    """Start of a negation right before the term, only link words between ("not a"), else None."""
    cues, left = _cues(config), _left(text, start)
    rest = left  # drop link words from the end until a negation ends the text, or no link is left
    while not (m := cues["negation_end"].search(rest)):
        shorter = cues["link_end"].sub("", rest, count=1)
        if shorter == rest:
            return None
        rest = shorter
    return start - len(left) + m.start()
