"""jieba with its word-frequency dictionary read from SQLite on demand instead of unmarshalled whole.

jieba's `Tokenizer.initialize` loads ~580,000 words and prefixes into a dict (~0.7 s of CPU, the largest part
of a cold `policykg ask`); a query looks up a few hundred of them. `tokenizer()` returns a `jieba.Tokenizer`
whose `FREQ` is `SqliteFreq`: the same entries (built once from jieba's own prefix dictionary into
`$POLICYKG_CACHE/jieba/<key of jieba's dict file and version>.sqlite`), looked up per word and remembered,
with `add_word` writing to memory. Same dictionary, same `total`, so the same cuts (tests/test_retrieval_bm25.py
compares it with a plain jieba.Tokenizer).
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import threading
from pathlib import Path

_MISSING = object()


class SqliteFreq:
    """The part of a dict jieba uses (`in`, `[]`, `get`, `[]=`) over a read-only SQLite table."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._seen: dict[str, object] = {}

    def _get(self, word: str):
        value = self._seen.get(word, None)
        if value is None:
            with self._lock:
                row = self._db.execute("SELECT f FROM freq WHERE w = ?", (word,)).fetchone()
            value = self._seen[word] = row[0] if row else _MISSING
        return value

    def __contains__(self, word: str) -> bool:
        return self._get(word) is not _MISSING

    def __getitem__(self, word: str) -> int:
        value = self._get(word)
        if value is _MISSING:
            raise KeyError(word)
        return value

    def get(self, word: str, default=None):
        value = self._get(word)
        return default if value is _MISSING else value

    def __setitem__(self, word: str, freq: int) -> None:
        self._seen[word] = freq


def _store_path(jieba) -> Path:
    from kg_builder.cache import cache_root

    dict_file = Path(jieba.DEFAULT_DICT if jieba.DEFAULT_DICT else Path(jieba.__file__).parent / "dict.txt")
    st = dict_file.stat()
    digest = hashlib.sha256(f"{dict_file}|{st.st_size}|{st.st_mtime_ns}|{jieba.__version__}".encode()).hexdigest()[:32]
    return cache_root() / "jieba" / f"{digest}.sqlite"


def _build(path: Path, tok) -> int:
    """Write jieba's own prefix dictionary (gen_pfdict of its dict file) into `path`; return its total."""
    with tok.get_dict_file() as f:
        freq, total = tok.gen_pfdict(f)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".jieba.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, f INTEGER NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
        db.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
        db.execute("INSERT INTO meta VALUES (?)", (total,))
        db.commit()
        db.close()
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return total


def tokenizer():
    """A fresh jieba.Tokenizer over the SQLite dictionary (a plain one if the cache cannot be written)."""
    import jieba

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    path = _store_path(jieba)
    try:
        if not path.exists():
            _build(path, tok)
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        (total,) = db.execute("SELECT total FROM meta").fetchone()
        db.close()
        tok.FREQ, tok.total = SqliteFreq(path), total
    except (OSError, sqlite3.Error):
        return tok  # initialises itself from jieba's own cache on first use
    tok.initialized = True
    return tok
