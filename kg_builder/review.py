"""The review layer: legal staff confirm, correct, add or delete facts; kept as YAML beside the corpus
(corpus/reviews/<doc>.yaml), merged at build time. Every entry says who, when and why.

Entry fields: id, action (confirm | correct | add_amount | add_condition | delete), measure ("4.1-1"),
path (for correct/delete: "beneficiary", "benefit", "amounts.2.kind", "amounts.2.value", "conditions.1"),
value, expect (the value the reviewer saw; a changed extraction makes the entry stale, not silently applied),
reviewer, date, reason; add_* entries give kind, value/text, start, end (a span of the source).
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

ACTIONS = ("confirm", "correct", "add_amount", "add_condition", "delete")
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


def _get(measure: Measure, path: str):
    obj = measure
    for part in path.split("."):
        obj = obj[int(part) - 1] if part.isdigit() else getattr(obj, part)
    return obj


def _set(measure: Measure, path: str, value) -> None:
    *head, last = path.split(".")
    obj = _get(measure, ".".join(head)) if head else measure
    current = getattr(obj, last)
    if isinstance(current, Decimal):
        value = Decimal(str(value))
    if last == "kind" and isinstance(obj, Amount) and value not in AMOUNT_KINDS:
        raise ValueError(f"unknown amount kind {value!r}")
    setattr(obj, last, value)
    if hasattr(obj, "origin"):
        obj.origin = "reviewed"


def _span(text: str, e: dict) -> tuple[int, int]:
    start, end = int(e["start"]), int(e["end"])
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"span {start}-{end} is outside the text")
    if "quote" in e and text[start:end] != e["quote"]:
        raise ValueError(f"text[{start}:{end}] is {text[start:end]!r}, not the quote {e['quote']!r}")
    return start, end


def _apply(e: dict, m: Measure, measures: list[Measure], text: str) -> str:
    action = e["action"]
    if "expect" in e and action in ("correct", "delete") and str(_get(m, e["path"])) != str(e["expect"]):
        raise ReviewConflict(f"stale: {e['path']} is now {_get(m, e['path'])!s}, the reviewer saw {e['expect']!s}")
    if action == "confirm":
        m.origin = "reviewed"
        for fact in (*m.conditions, *m.amounts):
            fact.origin = "reviewed"
    elif action == "correct":
        _set(m, e["path"], e["value"])
    elif action == "delete":
        if e.get("path"):
            kind, index = e["path"].split(".")
            getattr(m, kind).pop(int(index) - 1)
        else:
            measures.remove(m)
    elif action == "add_amount":
        a, b = _span(text, e)
        if e["kind"] not in AMOUNT_KINDS:
            raise ValueError(f"unknown amount kind {e['kind']!r}")
        value = None if e.get("value") is None else Decimal(str(e["value"]))  # negotiated / uncapped have none
        m.amounts.append(Amount(e["kind"], value, a, b, text[a:b], e.get("base"), None,
                                e.get("unit"), origin="reviewed"))
    elif action == "add_condition":
        a, b = _span(text, e)
        m.conditions.append(Condition(e.get("kind", "text"), a, b, text[a:b], tuple(e.get("concepts", ())),
                                      origin="reviewed"))
    return "applied"


def apply_reviews(measures: list[Measure], entries: list[dict], text: str) -> list[Outcome]:
    by_key = {f"{m.clause}-{m.index}": m for m in measures}
    out = []
    for e in entries:
        m = by_key.get(str(e["measure"]))
        if m is None:
            out.append(Outcome(str(e["id"]), False, f"no measure {e['measure']} in this build"))
            continue
        try:
            out.append(Outcome(str(e["id"]), True, _apply(e, m, measures, text)))
        except (ReviewConflict, ValueError, KeyError, IndexError, AttributeError, InvalidOperation) as err:
            out.append(Outcome(str(e["id"]), False, str(err)))
    return out


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
