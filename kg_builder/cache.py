"""A cache of built graphs, one file per policy text, so a command does not re-run the extractor
(spaCy, jieba, cn2an) on a text it has already read.

`cached_build(path, config=...)` returns what `build.build_source` returns. The file
`$POLICYKG_CACHE/graphs/<doc id>-<key>.pickle` is keyed on the sha256 of everything the build reads:
the text file's bytes, its `<id>.meta.yaml`, its review file, the lexicon (and any extra lexicon), the
BuildConfig, and the code version (`code_version`: the sha256 of every source and resource file of the
packages, plus the Python and rdflib versions). Change any of them and the key changes, so a stale graph is
never served; a file that cannot be read back is rebuilt. The concepts the build minted (kg_builder.mint)
are stored with the graph and registered again when it is read back. Writes go to a temp file renamed into place, so
concurrent processes see a whole file or none. POLICYKG_NO_CACHE=1 turns the cache off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .config import BuildConfig

PACKAGE = Path(__file__).resolve().parent
SOURCE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".ttl", ".txt", ".tsv", ".csv", ".rq")
KEEP_PER_DOC = 4  # older graphs of the same document are removed when a new one is written


def cache_root() -> Path:
    return Path(os.environ.get("POLICYKG_CACHE") or Path.home() / ".cache" / "policykg")


def enabled() -> bool:
    return os.environ.get("POLICYKG_NO_CACHE", "").strip().lower() not in ("1", "true", "yes")


@lru_cache(maxsize=8)
def code_version(*packages: Path) -> str:
    """sha256 over the sources and resource files of `packages` (default: kg_builder), with their paths,
    and the Python and rdflib versions (pickles are read back by the same code that wrote them)."""
    import rdflib

    h = hashlib.sha256(f"{sys.version}\0{rdflib.__version__}\0".encode())
    for root in packages or (PACKAGE,):
        for path in sorted(Path(root).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _file_digest(path: Path | None) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else "-"
    except FileNotFoundError:
        return "absent"


def build_key(path: Path | str, config: BuildConfig = BuildConfig()) -> tuple[str, str]:
    """(doc id, key) of a policy text as `build_source` would build it. Raises what load_source raises
    for a missing or unreadable file, so errors stay the same with and without the cache."""
    from .corpus import META_SUFFIX, doc_id_of, load_meta
    from .review import review_path

    path = Path(path)
    meta = load_meta(path)
    doc_id = str(meta.get("id") or doc_id_of(path))
    parts = [f"text:{_file_digest(path)}",
             f"meta:{_file_digest(path.with_name(path.name.split('.')[0] + META_SUFFIX))}",
             f"reviews:{_file_digest(review_path(config.review_dir, doc_id)) if config.apply_reviews else '-'}",
             f"lexicon:{_file_digest(config.lexicon_path)}",
             *(f"extra:{_file_digest(p)}" for p in config.extra_lexicon),
             f"config:{config!r}", f"source:{path.resolve()}", f"code:{code_version()}"]
    return doc_id, hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def cache_file(path: Path | str, config: BuildConfig = BuildConfig()) -> Path:
    doc_id, key = build_key(path, config)
    return cache_root() / "graphs" / f"{doc_id}-{key[:40]}.pickle"


def cached_build(path: Path | str, *, config: BuildConfig = BuildConfig()):
    """`build_source(path, config=config)`, read from the cache when every input is unchanged."""
    from .corpus import load_source

    if not enabled():
        from .build import build_source
        return build_source(path, config=config)
    load_source(path)  # same one-line errors as build_source for a missing, empty or binary file
    from . import mint

    target = cache_file(path, config)
    stored = _load(target)
    if isinstance(stored, tuple) and len(stored) == 2:
        result, minted = stored
        for c in minted:  # concepts the text minted, registered as the build would have
            mint.register(c.scheme, c.id, c.zh, c.unit)
    else:
        from .build import build_source

        result = build_source(path, config=config)
        _store(target, (result, mint.registered()), group=target.stem.rsplit("-", 1)[0] + "-")
    _KEYS[id(result.graph)] = (result.graph, len(result.graph), target.stem)
    return result


_KEYS: dict[int, tuple] = {}  # id(graph) -> (graph, its size, its cache key) for graphs from cached_build


def graph_key(graph) -> str | None:
    """The cache key of a graph returned by `cached_build`, while it has not been changed; else None."""
    hit = _KEYS.get(id(graph))
    return hit[2] if hit and hit[0] is graph and hit[1] == len(graph) else None


def rekey(graph, *inputs: str) -> None:
    """After a cached graph was changed deterministically (kg_builder.library adds its document links), key it
    on its former key plus `inputs`, everything else that change read; values derived from it stay cached."""
    hit = _KEYS.get(id(graph))
    if not hit or hit[0] is not graph:
        return
    doc = hit[2].rsplit("-", 1)[0]
    digest = hashlib.sha256("\n".join([hit[2], *inputs, code_version()]).encode("utf-8")).hexdigest()[:40]
    _KEYS[id(graph)] = (graph, len(graph), f"{doc}-{digest}")


def memo(graph, name: str, compute, *, packages: tuple[Path, ...] = ()):
    """`compute()`, a value derived from `graph` alone by the code in `packages` (e.g. the reasoner's reading
    of the measures), cached beside the graph; keyed on the graph's key and those packages' code version.
    A graph that did not come from `cached_build` (or was changed since) is not cached."""
    return memo_key(graph_key(graph), name, compute, packages=packages)


def memo_key(key: str | None, name: str, compute, *, packages: tuple[Path, ...] = ()):
    """`memo` for a value derived from the graph whose cache key is `key` (None: not cached), e.g. the
    compiled checks of the policy read from it. `name` must say everything else the value depends on."""
    if key is None or not enabled():
        return compute()
    version = code_version(*packages)[:16] if packages else "-"
    target = cache_root() / "derived" / f"{name}-{key}-{version}.pickle"
    value = _load(target)
    if value is None:
        value = compute()
        _store(target, value, group=f"{name}-{key.rsplit('-', 1)[0]}-", tail=r"[0-9a-f]+-[0-9a-f-]+")
    return value


def _load(target: Path):
    try:
        with target.open("rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # truncated, or written by other code: rebuilt by the caller
        return None


_BEHIND: list[tuple[int, str | None]] | None = None  # forked children inside `write_behind()`, what they write


@contextmanager
def write_behind():
    """Inside this block cache files (and output files given to `in_child`) are written by forked child
    processes while this one goes on (pickling a 1,000-article graph takes ~2 s, its shapes' Turtle ~2 s); the
    children are waited for when the block ends, so every file is in place afterwards, and an output file a
    child could not write is reported then. Where there is no fork, files are written in place as usual.
    For one-shot commands (`policykg build`): a child inherits the process as it is."""
    global _BEHIND
    if _BEHIND is not None or not hasattr(os, "fork"):
        yield
        return
    _BEHIND = []
    failed = None
    try:
        yield
    finally:
        children, _BEHIND = _BEHIND, None
        for pid, what in children:
            try:
                _, status = os.waitpid(pid, 0)
            except ChildProcessError:
                continue
            if status and what and failed is None:
                failed = what
    if failed:
        from .errors import PolicyInputError
        raise PolicyInputError(failed, "cannot write the file", expected="a writable output folder")


def in_child(write, what: str | None = None) -> None:
    """`write()` in a forked child inside `write_behind()` (else here); `what` names the output file, whose
    failure is then reported when the block ends (None: a cache file, whose failure only costs speed)."""
    if _BEHIND is None:
        write()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        write()  # no process to spare: written here
        return
    if pid == 0:  # the child: write, and leave without running the parent's exit handlers
        code = 1
        try:
            write()
            code = 0
        finally:
            os._exit(code)
    _BEHIND.append((pid, what))


def _store(target: Path, result, group: str, tail: str = r"[0-9a-f]+") -> None:
    in_child(lambda: _write(target, result, group, tail))


def _write(target: Path, result, group: str, tail: str) -> None:
    """Write atomically; keep only the newest KEEP_PER_DOC files named `group` + `tail` (older keys)."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        # a read-only or full cache folder, or an unpicklable result, costs speed, never the answer
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        return
    same = re.compile(re.escape(group) + tail)
    old = sorted((p for p in target.parent.glob("*.pickle") if p != target and same.fullmatch(p.stem)),
                 key=_mtime, reverse=True)
    for p in old[KEEP_PER_DOC - 1:]:
        p.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
