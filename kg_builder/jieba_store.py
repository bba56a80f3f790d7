"""jieba with its word-frequency dictionary read from SQLite on demand instead of unmarshalled whole.

jieba's `Tokenizer.initialize` loads ~580,000 words and prefixes into a dict (~0.7 s of CPU, the largest part
of a cold `policykg ask`); a query looks up a few hundred of them. `tokenizer()` returns a `jieba.Tokenizer`
whose `FREQ` is `SqliteFreq`: the same entries (built once from jieba's own prefix dictionary into
`$POLICYKG_CACHE/jieba/<key of jieba's dict file and version>.sqlite`), looked up per word and remembered,
with `add_word` writing to memory. Same dictionary, same `total`, so the same cuts (tests/test_retrieval_bm25.py
compares it with a plain jieba.Tokenizer).

Part-of-speech tagging the same way: `jieba.posseg` reads the whole dictionary again for its tags (~0.5 s, at
import and for every `POSTokenizer`); `tagger(tok)` is a POSTokenizer over `tok` whose tags are looked up in the
same SQLite file, and `posseg()` imports jieba.posseg without that read (its global tagger then looks its tags
up there too). `default_tokenizer()` / `default_tagger()` stand for jieba's global ones: the global ones
themselves once something initialised them (the extractor adds the dictionary's words to them), else these.
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


class SqliteTags(SqliteFreq):
    """jieba.posseg's `word_tag_tab` (`get`, `update`, `[]=`) over the store's tag table."""

    def _get(self, word: str):
        value = self._seen.get(word, None)
        if value is None:
            with self._lock:
                row = self._db.execute("SELECT t FROM tags WHERE w = ?", (word,)).fetchone()
            value = self._seen[word] = row[0] if row else _MISSING
        return value

    def update(self, other: dict) -> None:
        self._seen.update(other)


SCHEMA = 2  # 2: the tags table


def _store_path(jieba) -> Path:
    from kg_builder.cache import cache_root

    dict_file = Path(jieba.DEFAULT_DICT if jieba.DEFAULT_DICT else Path(jieba.__file__).parent / "dict.txt")
    st = dict_file.stat()
    digest = hashlib.sha256(f"{dict_file}|{st.st_size}|{st.st_mtime_ns}|{jieba.__version__}|{SCHEMA}"
                            .encode()).hexdigest()[:32]
    return cache_root() / "jieba" / f"{digest}.sqlite"


def _build(path: Path, tok) -> int:
    """Write jieba's own prefix dictionary (gen_pfdict of its dict file) into `path`; return its total."""
    with tok.get_dict_file() as f:
        freq, total = tok.gen_pfdict(f)
    tags = {}
    with tok.get_dict_file() as f:  # as POSTokenizer.load_word_tag reads them: the last line of a word wins
        for line in f:
            line = line.strip().decode("utf-8")
            if line:
                word, _, tag = line.split(" ")
                tags[word] = tag
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".jieba.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        db.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, f INTEGER NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO freq VALUES (?, ?)", freq.items())
        db.execute("CREATE TABLE tags (w TEXT PRIMARY KEY, t TEXT NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO tags VALUES (?, ?)", tags.items())
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
    try:
        path = _ensure(jieba, tok)
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        (total,) = db.execute("SELECT total FROM meta").fetchone()
        db.close()
        tok.FREQ, tok.total = SqliteFreq(path), total
    except (OSError, sqlite3.Error):
        return tok  # initialises itself from jieba's own cache on first use
    tok.initialized = True
    return tok


def _is_default(tok) -> bool:
    import jieba
    return tok.dictionary == jieba.DEFAULT_DICT


def posseg():
    """jieba.posseg, imported without reading the dictionary's tags into memory: its global tagger looks them
    up in the SQLite store (read as before if the store cannot be written)."""
    import sys

    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    import io

    import jieba
    jieba.setLogLevel(60)
    dt = jieba.dt
    path = None
    # the import reads jieba.dt's dictionary file, swapped for an empty one here: only on the main thread (the
    # CLI), never while another thread (an app session) could be initialising jieba.dt from that file
    if _is_default(dt) and threading.current_thread() is threading.main_thread():
        try:
            path = _ensure(jieba, dt)
        except (OSError, sqlite3.Error):
            path = None
    if path is not None:
        dt.get_dict_file = lambda: io.BytesIO()  # what the import reads: nothing
    try:
        import jieba.posseg as pseg
    finally:
        if path is not None:
            del dt.get_dict_file
    if path is not None:
        pseg.dt.word_tag_tab = SqliteTags(path)
    return pseg


def _ensure(jieba, tok) -> Path:
    path = _store_path(jieba)
    if not path.exists():
        _build(path, tok)
    return path


def tagger(tok):
    """A jieba.posseg.POSTokenizer over `tok` (a `tokenizer()`, words added or not) with the store's tags."""
    pseg = posseg()
    if not isinstance(tok.FREQ, SqliteFreq):  # the store could not be written: jieba's own reading
        return pseg.POSTokenizer(tok)
    import jieba
    out = pseg.POSTokenizer.__new__(pseg.POSTokenizer)
    out.tokenizer, out.word_tag_tab = tok, SqliteTags(_store_path(jieba))
    return out


_DEFAULT: dict = {}


def default_tokenizer():
    """What jieba.lcut cuts with: the global tokenizer once it was initialised (words may have been added to it),
    else a store tokenizer with jieba's dictionary alone (the same cuts as the global one would make)."""
    import jieba
    if jieba.dt.initialized or not _is_default(jieba.dt):
        return jieba.dt
    if "tok" not in _DEFAULT:
        _DEFAULT["tok"] = tokenizer()
    return _DEFAULT["tok"]


def default_tagger():
    """What jieba.posseg.lcut tags with (see default_tokenizer)."""
    tok = default_tokenizer()
    pseg = posseg()
    if tok is pseg.dt.tokenizer:
        return pseg.dt
    if "tagger" not in _DEFAULT:
        _DEFAULT["tagger"] = tagger(tok)
    return _DEFAULT["tagger"]
