"""What stands around a term in a Chinese or English profile text: its clause and sentence, and the cues
before it. A negation right before a term, with only link words between (不是高企, 尚未获得…, not a …,
have not yet been certified as a …), states the opposite; a negation further away, or a hedge (希望成为,
we hope to become, if), only stops the term asserting: the fact stays unknown, never "no" by guess.
Cue words come from ReasonerConfig; English ones match as whole words (a hedge as a word start).
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
            "hedge": re.compile(alternation(config.hedges, prefix=True)),
            "negation_end": re.compile(f"(?:{alternation(config.negations)})[\\s-]*$"),
            "link_end": re.compile(f"(?:{alternation(config.negation_links)})\\s*$"),
            "exception": re.compile(alternation(config.negation_exceptions) or "(?!)")}


def _left(text: str, start: int) -> str:
    """The text of the clause before `start`, lower-cased, with ’ as '."""
    left = text[max(0, start - 200):start]
    return CLAUSE_END.split(left)[-1].lower().replace("’", "'")


def _window(text: str, start: int, config: ReasonerConfig) -> str:
    left = _left(text, start)
    tokens = list(TOKEN.finditer(left))
    return left[tokens[-config.cue_window].start():] if len(tokens) > config.cue_window else left


def hedged_or_negated(text: str, start: int, config: ReasonerConfig) -> bool:
    """A negation or a hedge within the cue window before `start` (same clause): the term does not assert."""
    cues = _cues(config)
    window = cues["exception"].sub(" ", _window(text, start, config))
    return bool(cues["negation"].search(window) or cues["hedge"].search(window))


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
