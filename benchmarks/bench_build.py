"""Build time against text length: does `policykg build` grow linearly?

Texts: the Xicheng draft's twelve articles repeated 10×, 40× and 80× (120, 480, 960 articles; each copy
numbered on, 第十三条…, under one title and one 附则: repeated verbatim, article numbers would repeat and give
the same clause IRIs, a different graph), and `kg_builder.samples.make_large_policy(n)` at 1,000 articles. For each text it times, warm
(spaCy/jieba loaded once before), in one process:

  graph      parse + extract + review layer + RDF (`kg_builder.build.build_graph`)
  command    the whole `policykg build` command in process (graph, Turtle, JSON-LD, SPARQL read-back,
             SHACL shapes, compiled checks, summary)

and prints each time with its ratio to the 10× baseline measured in the same run and the time per 1,000
characters (flat per-character time = linear growth). CPU time of the process is printed beside wall time,
because the machine is shared (with the CPU of the children that write the cache files).

    .venv/bin/python benchmarks/bench_build.py [--sizes 10,40,80] [--articles 250,1000] [--no-command]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg_builder.build import build_graph  # noqa: E402
from kg_builder.samples import make_large_policy  # noqa: E402
from policykg.cli import main as cli  # noqa: E402

XICHENG = ROOT / "corpus/xicheng_measures_draft.txt"


def _cpu() -> float:
    """CPU time of this process and of its waited-for children (the build command writes its cache files in
    forked children: kg_builder.cache.write_behind)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), _cpu()
    out = fn()
    return time.perf_counter() - wall, _cpu() - cpu, out


def repeated(text: str, n: int) -> str:
    """The articles of `text` n times, numbered on (第一条…第十二条, 第十三条…), between its head and its 附则."""
    import re

    import cn2an
    head_end, tail_start = text.index("第一条"), text.index("附 则")
    body = text[head_end:tail_start]
    count = len(re.findall(r"^第[一二三四五六七八九十百]+条", body, flags=re.M))

    def renumber(copy: int) -> str:
        return re.sub(r"^第([一二三四五六七八九十百]+)条", lambda m: f"第{cn2an.an2cn(cn2an.cn2an(m[1], 'smart') + copy * count)}条",
                      body, flags=re.M)
    return text[:head_end] + "".join(renumber(k) for k in range(n)) + text[tail_start:]


def command(text: str, name: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = cli(["build", "--corpus", str(path), "--out", str(Path(tmp) / "out")])
    if code != 0:
        raise SystemExit(f"policykg build failed on {name} (exit {code})")
    return code


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,40,80", help="repetitions of the Xicheng text (first = baseline)")
    ap.add_argument("--articles", default="1000", help="sizes of kg_builder.samples.make_large_policy")
    ap.add_argument("--no-command", action="store_true", help="time the graph build only")
    args = ap.parse_args()
    base = XICHENG.read_text(encoding="utf-8")
    texts = [(f"xicheng ×{n}", repeated(base, n)) for n in map(int, args.sizes.split(","))]
    texts += [(f"samples {n} articles", make_large_policy(n)) for n in map(int, filter(None, args.articles.split(",")))]
    build_graph(base)  # load spaCy, jieba and the lexicon once
    print(f"{'text':<22}{'chars':>9}{'clauses':>8}{'measures':>9}{'triples':>9}  {'graph s (cpu)':>15}{'ratio':>7}"
          f"{'ms/kchar':>9}  {'command s (cpu)':>16}{'ratio':>7}{'ms/kchar':>9}")
    first = None
    for name, text in texts:
        wall, cpu, result = timed(lambda: build_graph(text, doc_id="bench"))
        row = [wall, None]
        if not args.no_command:
            row[1] = timed(lambda: command(text, "bench"))[:2]
        first = first or row
        kchars = len(text) / 1000
        line = (f"{name:<22}{len(text):>9,}{len(result.extraction.structure.clauses()):>8}{len(result.measures):>9}"
                f"{len(result.graph):>9,}  {wall:>7.2f} ({cpu:>5.2f}){wall / first[0]:>7.1f}{1000 * wall / kchars:>9.1f}")
        if row[1]:
            cw, cc = row[1]
            line += f"  {cw:>8.2f} ({cc:>5.2f}){cw / first[1][0]:>7.1f}{1000 * cw / kchars:>9.1f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
