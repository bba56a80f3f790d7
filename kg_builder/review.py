"""The review layer: legal staff confirm, correct, add or delete facts; kept as YAML beside the corpus
(corpus/reviews/<doc>.yaml), merged at build time. Every entry says who, when and why.

Entry fields: id, action (confirm | correct | add_amount | add_condition | delete | replace_amounts |
add_measure), measure ("4.1-1"), path (for correct/delete: "beneficiary", "benefit", "amounts.2.kind",
"amounts.2.value", "conditions.1"), value, expect (the value the reviewer saw; a changed extraction makes the entry
stale, not silently applied), reviewer, date, reason; add_* entries give kind, value/text and their span of the
source: start, end, or only the quote (found once within the measure's span, else once in the text).
- add_amount may name `base` / `per` (a dictionary id, or "mint:<label as written>" for the open vocabulary),
  `per_label`, `unit`, `currency`; add_condition a threshold's `op`, `value`, `unit` and `quantity`.
- add_amount / add_condition are refused (not applied) when the measure has that fact already (the same kind and
  value or threshold over the same words): the extractor reads it now, and the entry can go.
- replace_amounts: `amounts` (a list of add_amount specs) replaces the measure's amounts; `expect` lists the
  amounts the reviewer saw as "kind value" strings ("fixed 50", "negotiated None").
- add_measure: a measure the extractor does not give; `measure` is its new key (<clause>-<n>), `like` an existing
  measure of the same item (label, article), the measure's span (start/end or quote), beneficiary, benefit,
  `amounts` and `conditions` (specs as above). Refused when the key exists: the extractor gives it now.
- correct with `where: <words>` and a path without index ("conditions.quantity") changes the measure's own fact
  with those words, wherever it is.
- delete of a whole measure may give `expect`: the beginning of the measure's quote the reviewer saw; delete with
  `path: conditions` (or `amounts`) and `expect: <its words>` removes that fact of the measure, wherever it is;
  with `stated_in: <clause>` the condition the applicability article states (a measure the article exempts).
Saving is atomic and checks that nobody else changed the file in between (`save_entry`).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from .errors import PolicyInputError, ReviewConflict
from .measures import Amount, Condition, Measure
from .vocab import AMOUNT_KINDS

ACTIONS = ("confirm", "correct", "add_amount", "add_condition", "delete", "replace_amounts", "add_measure")
REQUIRED = ("id", "action", "measure", "reviewer", "date", "reason")


@dataclass(frozen=True)
class Outcome:
    entry_id: str
    applied: bool
    note: str


def review_path(review_dir: Path, doc_id: str) -> Path:
    return Path(review_dir) / f"{doc_id}.yaml"


def load_entries(path: Path) -> list[dict]:
    if not path.exists():
        return []
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise PolicyInputError(str(path), f"invalid YAML ({getattr(err, 'problem', err)})",
                               where=str(mark.line + 1) if mark else None) from err
    if not isinstance(entries, list):
        raise PolicyInputError(str(path), "the review file must be a list of entries")
    for i, e in enumerate(entries):
        missing = [k for k in REQUIRED if not isinstance(e, dict) or k not in e]
        if missing:
            raise PolicyInputError(str(path), f"entry {i + 1} lacks {', '.join(missing)}", expected=", ".join(REQUIRED))
        if e["action"] not in ACTIONS:
            raise PolicyInputError(str(path), f"entry {e['id']}: unknown action {e['action']!r}", expected=" | ".join(ACTIONS))
    return entries


def _get(measure: Measure, path: str, where: str | None = None):
    obj = measure
    for part in path.split("."):
        if isinstance(obj, list) and not part.isdigit():  # conditions.quantity + where: the fact with those words
            obj = next((f for f in obj if f.text == where and not getattr(f, "stated_in", None)), None)
            if obj is None:
                raise ReviewConflict(f"stale: no fact reads {where!r} now")
        obj = obj[int(part) - 1] if part.isdigit() else getattr(obj, part)
    return obj


def _set(measure: Measure, path: str, value, where: str | None = None) -> None:
    *head, last = path.split(".")
    obj = _get(measure, ".".join(head), where) if head else measure
    if isinstance(obj, list):  # conditions.quantity + where: the measure's own fact with those words
        obj = next((f for f in obj if f.text == where and not getattr(f, "stated_in", None)), None)
        if obj is None:
            raise ReviewConflict(f"stale: no fact reads {where!r} now")
    current = getattr(obj, last)
    if isinstance(current, Decimal) or last == "value" and isinstance(obj, Condition) and value is not None:
        value = Decimal(str(value))
    if last in ("quantity", "base", "per"):
        value = _concept(value)
    if last == "kind" and isinstance(obj, Amount) and value not in AMOUNT_KINDS:
        raise ValueError(f"unknown amount kind {value!r}")
    setattr(obj, last, value)
    if hasattr(obj, "origin"):
        obj.origin = "reviewed"


def _span(text: str, e: dict, within: tuple[int, int] | None = None) -> tuple[int, int]:
    if "start" not in e and "quote" in e:
        return _find(text, str(e["quote"]), within)
    start, end = int(e["start"]), int(e["end"])
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span {start}-{end} is outside the text")
    if "quote" in e and text[start:end] != e["quote"]:
        raise ValueError(f"text[{start}:{end}] is {text[start:end]!r}, not the quote {e['quote']!r}")
    return start, end


def _find(text: str, quote: str, within: tuple[int, int] | None) -> tuple[int, int]:
    """The one place of `quote`: within the measure's span if it occurs there once, else once in the text."""
    for a, b in ([within] if within else []) + [(0, len(text))]:
        hits = _occurrences(text, quote, a, b)
        if len(hits) == 1:
            return hits[0], hits[0] + len(quote)
        if len(hits) > 1:
            raise ValueError(f"the quote {quote!r} occurs {len(hits)} times; give start and end")
    raise ValueError(f"the quote {quote!r} is not in the text")


def _occurrences(text: str, quote: str, a: int, b: int) -> list[int]:
    hits, i = [], text.find(quote, a, b)
    while i >= 0:
        hits.append(i)
        i = text.find(quote, i + 1, b)
    return hits


def _concept(name, unit: str | None = None) -> str | None:
    """A dictionary id as is; "mint:<label>" → the concept minted from that label (open vocabulary)."""
    if not name or not str(name).startswith("mint:"):
        return name or None
    from .mint import mint
    return mint("quantity", str(name)[5:], unit).id


def _amount(text: str, spec: dict, within: tuple[int, int]) -> Amount:
    a, b = _span(text, spec, within)
    if spec["kind"] not in AMOUNT_KINDS:
        raise ValueError(f"unknown amount kind {spec['kind']!r}")
    value = None if spec.get("value") is None else Decimal(str(spec["value"]))  # negotiated / uncapped have none
    per = _concept(spec.get("per"))
    return Amount(spec["kind"], value, a, b, text[a:b], _concept(spec.get("base")), spec.get("base_label"),
                  spec.get("unit"), origin="reviewed", currency=spec.get("currency", "CNY"), per=per,
                  per_text=spec.get("per_label") or (str(spec["per"])[5:] if per and str(spec["per"]).startswith("mint:") else None))


def _condition(text: str, spec: dict, within: tuple[int, int]) -> Condition:
    a, b = _span(text, spec, within)
    value = None if spec.get("value") is None else Decimal(str(spec["value"]))
    return Condition(spec.get("kind", "text"), a, b, text[a:b], tuple(spec.get("concepts", ())),
                     op=spec.get("op"), value=value, unit=spec.get("unit"),
                     quantity=_concept(spec.get("quantity"), spec.get("unit")), origin="reviewed")


def _same_condition(c: Condition, new: Condition) -> bool:
    """The extractor's condition says what the reviewer adds: the same words, or the same threshold on them."""
    if c.kind != new.kind or not (c.start < new.end and new.start < c.end):
        return False
    if new.kind == "threshold":
        return (c.op, c.value) == (new.op, new.value)
    return (c.start, c.end) == (new.start, new.end)


def amount_key(a: Amount) -> str:
    """How a reviewer names an amount in `expect`: "kind value" ("fixed 50", "negotiated None")."""
    return f"{a.kind} {a.value if a.value is None else format(a.value.normalize(), 'f')}"


def _apply(e: dict, m: Measure, measures: list[Measure], text: str) -> str:
    action, within = e["action"], (m.start, m.end)
    if "expect" in e and action == "correct" or (action == "delete" and "." in str(e.get("path")) and "expect" in e):
        seen = _get(m, e["path"], e.get("where"))
        seen = seen.text if isinstance(seen, (Amount, Condition)) else seen  # a whole fact: its words
        if str(seen) != str(e["expect"]):
            raise ReviewConflict(f"stale: {e['path']} is now {seen!s}, the reviewer saw {e['expect']!s}")
    if action == "delete" and not e.get("path") and "expect" in e and not m.quote.startswith(str(e["expect"])):
        raise ReviewConflict(f"stale: the measure now reads {m.quote[:30]!r}…, the reviewer saw {e['expect']!r}")
    if action == "replace_amounts" and "expect" in e and [amount_key(a) for a in m.amounts] != [str(x) for x in e["expect"]]:
        raise ReviewConflict(f"stale: the amounts are now {[amount_key(a) for a in m.amounts]}, "
                             f"the reviewer saw {list(e['expect'])}")
    if action == "confirm":
        m.origin = "reviewed"
        for fact in (*m.conditions, *m.amounts):
            fact.origin = "reviewed"
    elif action == "correct":
        _set(m, e["path"], e["value"], e.get("where"))
    elif action == "delete":
        if e.get("path") in ("conditions", "amounts"):  # the fact whose words are `expect`, wherever it is
            facts = getattr(m, e["path"])
            stated = e.get("stated_in")  # a condition the applicability article states (its clause id), else the measure's own
            hit = next((f for f in facts if f.text == str(e.get("expect"))
                        and getattr(f, "stated_in", None) == (None if stated is None else str(stated))), None)
            if hit is None:
                raise ReviewConflict(f"stale: no {e['path'][:-1]} reads {e.get('expect')!r} now")
            facts.remove(hit)
        elif e.get("path"):
            kind, index = e["path"].split(".")
            getattr(m, kind).pop(int(index) - 1)
        else:
            measures.remove(m)
    elif action == "add_amount":
        new = _amount(text, e, within)
        if any(a.kind == new.kind and a.value == new.value and a.start < new.end and new.start < a.end for a in m.amounts):
            raise ReviewConflict(f"the measure has this amount already: the extractor reads {new.text!r} now")
        m.amounts.append(new)
    elif action == "add_condition":
        new = _condition(text, e, within)
        if any(_same_condition(c, new) for c in m.conditions):
            raise ReviewConflict(f"the measure has this condition already: the extractor reads {new.text!r} now")
        m.conditions.append(new)
    elif action == "replace_amounts":
        m.amounts[:] = [_amount(text, spec, within) for spec in e["amounts"]]
    return "applied"


def _add_measure(e: dict, like: Measure, measures: list[Measure], text: str) -> Measure:
    clause, _, index = str(e["measure"]).rpartition("-")
    a, b = _span(text, e, (like.start, like.end))
    new = Measure(clause, like.label, like.article, like.item, int(index), a, b, text[a:b],
                  e.get("beneficiary", like.beneficiary), e.get("benefit", like.benefit), origin="reviewed")
    new.amounts = [_amount(text, spec, (a, b)) for spec in e.get("amounts", [])]
    new.conditions = [_condition(text, spec, (a, b)) for spec in e.get("conditions", [])]
    if e.get("inherit_conditions", True):  # the document's applicability conditions bind it too
        new.conditions += [c for c in like.conditions if c.stated_in]
    measures.insert(measures.index(like) + 1, new)
    return new


def apply_reviews(measures: list[Measure], entries: list[dict], text: str) -> list[Outcome]:
    by_key = {f"{m.clause}-{m.index}": m for m in measures}
    out = []
    for e in entries:
        key = str(e["measure"])
        if e["action"] == "add_measure":
            out.append(_apply_add(e, key, by_key, measures, text))
            continue
        m = by_key.get(key)
        if m is None:
            out.append(Outcome(str(e["id"]), False, f"no measure {e['measure']} in this build"))
            continue
        try:
            out.append(Outcome(str(e["id"]), True, _apply(e, m, measures, text)))
        except (ReviewConflict, ValueError, KeyError, IndexError, AttributeError, InvalidOperation, TypeError) as err:
            out.append(Outcome(str(e["id"]), False, str(err)))
    return out


def _apply_add(e: dict, key: str, by_key: dict, measures: list[Measure], text: str) -> Outcome:
    if key in by_key:
        return Outcome(str(e["id"]), False, f"measure {key} exists in this build: the extractor gives it now")
    like = by_key.get(str(e.get("like")))
    if like is None:
        return Outcome(str(e["id"]), False, f"add_measure needs `like`: an existing measure (got {e.get('like')!r})")
    try:
        by_key[key] = _add_measure(e, like, measures, text)
    except (ValueError, KeyError, InvalidOperation, TypeError) as err:
        return Outcome(str(e["id"]), False, str(err))
    return Outcome(str(e["id"]), True, "applied")


def file_version(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def save_entry(path: Path, entry: dict, *, based_on: str) -> str:
    """Append an entry atomically. `based_on` is the file_version the editor loaded; if the file changed
    since, raise ReviewConflict instead of overwriting someone else's edit. Returns the new version."""
    missing = [k for k in REQUIRED if k not in entry]
    if missing:
        raise ValueError(f"review entry lacks {', '.join(missing)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # check-and-write is one step across processes
        if file_version(path) != based_on:
            raise ReviewConflict(f"{path} was changed by someone else since you loaded it; reload and retry")
        _write_atomic(path, load_entries(path) + [entry])
    return file_version(path)


def _write_atomic(path: Path, entries: list[dict]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".review-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(entries, f, allow_unicode=True, sort_keys=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
