"""multilingual-e5's tokenizer (XLM-R SentencePiece unigram) in plain Python, so a query is encoded without
loading the `tokenizers` model of 250,002 pieces (~1 s of a cold start).

It gives the same ids as the HF tokenizer that `qa_app.e5_convert.build_tokenizer` writes (checked by
tests/test_encoder_onnx.py on every test sentence and every clause of the corpus): special tokens split out
first; then per segment the normalizer (protect / map / NFKC / restore / collapse spaces, the tables of
`e5_convert.normalizer_tables`), Metaspace (space → ▁, ▁ prepended, split before each ▁), and per word the
unigram Viterbi of tokenizers' `Unigram::encode_optimized` (first best path wins ties, unknown characters
score min − 10 and consecutive ones fuse into one <unk>); then <s> … </s>, truncated to `max_length`.
`E5Tokenizer.from_e5(read_e5_tokenizer(bin))` builds it; `save`/`load` keep it as one pickle.
"""
from __future__ import annotations

import pickle
import re
import unicodedata
from pathlib import Path

META = "\u2581"
UNK_PENALTY = 10.0
WORDS = re.compile(f"{META}[^{META}]*|[^{META}]+")


class E5Tokenizer:
    def __init__(self, vocab: dict[str, int], scores: list[float], special: dict[str, int], pre: dict[int, str],
                 post: dict[int, str], max_length: int = 512):
        self.vocab, self.scores, self.special, self.pre, self.post = vocab, scores, special, pre, post
        self.max_length = max_length
        self.unk_score = min(scores) - UNK_PENALTY
        self.longest = max(len(p) for p in vocab)
        names = {v: k for k, v in vocab.items() if v in special.values()}
        added = [names[special[k]] for k in ("bos", "pad", "eos", "unk")] + (["<mask>"] if "<mask>" in vocab else [])
        self.added = {t: vocab[t] for t in added}
        self.split = re.compile("(" + "|".join(re.escape(t) for t in sorted(added, key=len, reverse=True)) + ")")

    @classmethod
    def from_e5(cls, e5: dict) -> "E5Tokenizer":
        from qa_app.e5_convert import normalizer_tables

        keep, groups = normalizer_tables(e5["norm"])
        pre = {cp: chr(0xF0000 + i) for i, cp in enumerate(keep)}
        pre.update({cp: out for out, cps in groups.items() for cp in cps})
        post = {0xF0000 + i: chr(cp) for i, cp in enumerate(keep)}
        vocab: dict[str, int] = {}
        for i, piece in enumerate(e5["pieces"]):
            vocab[piece] = i  # a repeated piece: the last id, as tokenizers' Unigram
        return cls(vocab, list(e5["scores"]), dict(e5["special"]), pre, post,
                   e5["hp"]["max_position_embeddings"])

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(pickle.dumps(self.__dict__ | {"split": None}, protocol=pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(cls, path: str | Path) -> "E5Tokenizer":
        state = pickle.loads(Path(path).read_bytes())
        tok = cls.__new__(cls)
        tok.__dict__.update(state)
        tok.split = re.compile("(" + "|".join(re.escape(t) for t in sorted(tok.added, key=len, reverse=True)) + ")")
        return tok

    def normalize(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text.translate(self.pre)).translate(self.post)
        return re.sub(" {2,}", " ", text)

    def _word(self, word: str) -> list[int]:
        """Viterbi over one ▁-word: best[i] = (score, start, id) of the best path ending at char i."""
        n, vocab, scores = len(word), self.vocab, self.scores
        best: list[tuple[float, int, int] | None] = [None] * (n + 1)
        best[0] = (0.0, -1, -1)
        for start in range(n):
            here = best[start][0]
            single = False
            for end in range(start + 1, min(n, start + self.longest) + 1):
                pid = vocab.get(word[start:end])
                if pid is None:
                    continue
                cand = here + scores[pid]
                if best[end] is None or cand > best[end][0]:
                    best[end] = (cand, start, pid)
                single = single or end == start + 1
            if not single:
                cand = here + self.unk_score
                if best[start + 1] is None or cand > best[start + 1][0]:
                    best[start + 1] = (cand, start, self.special["unk"])
        pieces: list[str] = []
        end, unk = n, []
        while end > 0:  # back from the end, fusing runs of unknown characters
            _, start, pid = best[end]
            if pid == self.special["unk"]:
                unk.append(word[start:end])
            else:
                if unk:
                    pieces.append("".join(reversed(unk)))
                    unk = []
                pieces.append(word[start:end])
            end = start
        if unk:
            pieces.append("".join(reversed(unk)))
        return [vocab.get(p, self.special["unk"]) for p in reversed(pieces)]

    def _segment(self, text: str) -> list[int]:
        text = self.normalize(text).replace(" ", META)
        if not text:
            return []
        if not text.startswith(META):
            text = META + text
        return [i for word in WORDS.findall(text) for i in self._word(word)]

    def ids(self, text: str) -> list[int]:
        """<s> + the text's piece ids + </s>, at most `max_length` in all."""
        out: list[int] = []
        parts = self.split.split(text)
        for n, part in enumerate(parts):
            if n % 2:
                out.append(self.added[part])
            else:
                if n + 1 < len(parts) and parts[n + 1] == "<mask>":
                    part = part.rstrip()  # <mask> takes the spaces before it (lstrip)
                out.extend(self._segment(part))
        return [self.special["bos"], *out[:self.max_length - 2], self.special["eos"]]
