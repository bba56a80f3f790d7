"""The domain dictionary (resources/lexicon.yaml) loaded into compiled, longest-first matchers."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import PolicyInputError

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's loader: the same data, ~10x faster

ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Concept:
    scheme: str  # qualification | quantity | flag | industry
    id: str
    zh: str
    en: str
    unit: str | None = None
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    data: dict
    concepts: dict[str, Concept]
    matchers: Mapping[str, re.Pattern]  # scheme -> pattern whose group names are concept ids
    profile_matchers: Mapping[str, re.Pattern]

    def concept(self, cid: str) -> Concept:
        """A dictionary concept, or one minted from a text (kg_builder.mint)."""
        found = self.concepts.get(cid)
        if found is None:
            from .mint import minted
            found = minted(cid)
        if found is None:
            raise KeyError(cid)
        return found

    def data_terms(self, cid: str) -> list[str]:
        """All literal terms of a concept: its label, terms and profile terms."""
        for key in ("qualifications", "quantities", "flags", "industries", "counts"):
            for e in self.data.get(key, []):
                if e["id"] == cid:
                    return [e["zh"], *(e.get("terms") or []), *(e.get("profile_terms") or [])]
        raise KeyError(cid)

    def of(self, scheme: str) -> list[Concept]:
        return [c for c in self.concepts.values() if c.scheme == scheme]


def literal(word: str, *, numeric: bool = False) -> str:
    """A term as a regex. Chinese is matched as written; an English word matches only as a whole word, and
    its spaces and hyphens match any run of them ("high-tech" = "high tech"): `new` must not match in `renewal`.
    `numeric`: the word may touch a digit ("500k", "RMB15m"), only a letter beside it breaks the match."""
    pattern = re.escape(word)
    if not ASCII_WORD.search(word):
        return pattern
    pattern = re.sub(r"(?:\\ |\\-)+", r"[\\s\\-]+", pattern)
    edge = "A-Za-z" if numeric else "A-Za-z0-9"
    before = f"(?<![{edge}])" if ASCII_WORD.match(word[0]) else ""
    after = f"(?![{edge}])" if ASCII_WORD.match(word[-1]) else ""
    return before + pattern + after


def alternation(words, *, numeric: bool = False) -> str:
    return "|".join(literal(w, numeric=numeric) for w in sorted(set(words), key=len, reverse=True) if w)


def _matcher(entries: list[dict], profile: bool = False) -> re.Pattern:
    """One regex for a scheme; a match's `lastgroup` is the concept id. Patterns first, then terms longest first.
    `profile` adds the words enterprises use of themselves (profile_terms, profile_pattern)."""
    patterns, terms = [], []
    for e in entries:
        words = list(e.get("terms") or []) + ([e["zh"]] if "zh" in e else [])
        words += (e.get("profile_terms") or []) if profile else []
        for word in words:
            terms.append((word, f"(?P<{e['id']}_{len(patterns) + len(terms)}>{literal(word)})"))
        for key in ("pattern", "profile_pattern") if profile else ("pattern",):
            found = e.get(key) or []
            for pattern in [found] if isinstance(found, str) else found:
                patterns.append(f"(?P<{e['id']}_{len(patterns) + len(terms)}>{pattern})")
    return re.compile("|".join(patterns + _by_first_letter(terms)), re.IGNORECASE)


class Matchers(Mapping):
    """scheme -> compiled matcher, each compiled on first use: the build needs the plain ones, a profile text
    the profile ones, and compiling all of a dictionary's alternations costs a cold command ~0.3 s."""

    def __init__(self, sources: dict[str, tuple[list[dict], bool]]):
        self.sources, self.compiled = sources, {}

    def __getitem__(self, scheme: str) -> re.Pattern:
        if scheme not in self.compiled:
            entries, profile = self.sources[scheme]
            self.compiled[scheme] = _matcher(entries, profile=profile)
        return self.compiled[scheme]

    def __iter__(self):
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def _by_first_letter(terms: list[tuple[str, str]]) -> list[str]:
    """Terms grouped under a look-ahead on their first letter, longest first within a group: the same matches
    as one flat alternation, without trying hundreds of terms at every character."""
    groups: dict[str, list[str]] = {}
    for word, alt in sorted(terms, key=lambda t: -len(t[0])):
        groups.setdefault(word[0].lower(), []).append(alt)
    return [f"(?=[{re.escape(c)}{re.escape(c.upper())}])(?:{'|'.join(alts)})" for c, alts in groups.items()]


def concept_of(match: re.Match) -> str:
    return match.lastgroup.rsplit("_", 1)[0]


@lru_cache(maxsize=8)
def load_lexicon(path: Path) -> Lexicon:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as err:
        raise PolicyInputError(str(path), f"cannot read the lexicon ({err})") from err
    concepts, matchers, profile = {}, {}, {}
    for scheme, key in (("qualification", "qualifications"), ("quantity", "quantities"),
                        ("flag", "flags"), ("industry", "industries")):
        entries = data.get(key, [])
        for e in entries:
            concepts[e["id"]] = Concept(scheme, e["id"], e["zh"], e.get("en", e["zh"]), e.get("unit"),
                                        tuple(e.get("short", ())))
        matchers[scheme] = (entries, False)
        profile[scheme] = (entries, True)
    for e in data.get("counts", []):  # what per-item rates count: profile quantities, not matched as terms
        concepts[e["id"]] = Concept("quantity", e["id"], e["zh"], e.get("en", e["zh"]), e.get("unit"))
    return Lexicon(data, concepts, Matchers(matchers), Matchers(profile))


_DERIVED: dict[tuple[int, type], tuple["Lexicon", object]] = {}


def derived(lexicon: "Lexicon", make):
    """`make(lexicon)` (a class of compiled patterns), made once per lexicon object (Lexicon holds dicts, so it
    cannot key an lru_cache; the entry keeps the lexicon so its id is not reused)."""
    key = (id(lexicon), make)
    hit = _DERIVED.get(key)
    if hit is None or hit[0] is not lexicon:
        hit = _DERIVED[key] = (lexicon, make(lexicon))
    return hit[1]
