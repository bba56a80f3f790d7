"""`policykg ask "QUESTION" [--json]` and `policykg ask --batch FILE [--json]`: ranked clauses with quotes; questions
about facts (lists, highest/lowest, counts) answered from the graph with the SPARQL shown ("kind", "query", "value");
questions the corpus does not cover abstain ("abstained": true, no answers).

Batch: one question per line; one JSON object (or text block) per line, in order. A bad line
(blank, too long, control characters) yields {"line": n, "error": "..."} and the batch goes on.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kg_builder.errors import PolicyInputError
from policykg import corpusargs
from policykg.jsonout import dumps
from qa_app.retrieval import FUSIONS, RetrievalConfig


def add_parser(sub):
    p = sub.add_parser("ask", help="ask a question in Chinese or English; get the governing clauses")
    p.add_argument("question", nargs="?", help="the question (omit with --batch)")
    p.add_argument("--batch", type=Path, help="file with one question per line ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="print JSON (one object per question)")
    p.add_argument("-k", type=int, default=5, help="number of clauses to return (default 5)")
    corpusargs.add(p)
    p.add_argument("--model", help="embedding model path or name (default: POLICYKG_EMBED_MODEL or e5-small)")
    p.add_argument("--fusion", choices=FUSIONS, help="ranking: fused (default weighted) or one retriever")
    return p


def _questions(args) -> list[str | None]:
    if (args.question is None) == (args.batch is None):
        raise PolicyInputError("ask", "give either a QUESTION or --batch FILE", expected="exactly one of them")
    if args.batch is None:
        return [args.question]
    import sys
    try:
        raw = sys.stdin.buffer.read() if str(args.batch) == "-" else args.batch.read_bytes()
    except OSError as err:
        raise PolicyInputError(str(args.batch), f"cannot be read ({err.strerror})") from err
    try:
        return raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as err:
        raise PolicyInputError(str(args.batch), f"is not UTF-8 text (byte {err.start})",
                               expected="one question per line, UTF-8") from err


def _plain(result: dict) -> str:
    lines = [f"问：{result['question']}"]
    if result.get("abstained"):
        return "\n".join(lines + [f"   {result['note']}"])
    if result.get("value") is not None:
        lines.append(f"答：{result['value']}（{len(result['answers'])} 条条款）")
    elif result.get("kind") in ("list", "aggregate"):
        lines.append(f"共 {len(result['answers'])} 条条款（图谱查询）")
    for n, a in enumerate(result["answers"], 1):
        title = f"《{a['document_title']}》" if a.get("document_title") else (f"{a['document']} " if a.get("document") else "")
        lines.append(f"{n}. {title}{a['label']}（{a['clause']}，得分 {a['score']}）\n   {a['answer']}")
    if result.get("eligibility"):
        for r in result["eligibility"].get("results", []):
            if r.get("status") == "eligible":
                lines.append(f"   可申请：{r['label']}  估算 {r.get('estimate_yuan')} 元")
    if result.get("note"):
        lines.append(f"   注：{result['note']}")
    return "\n".join(lines)


def run(args) -> int:
    from qa_app.answer import ask, load_index

    questions = _questions(args)
    config = RetrievalConfig(model=args.model)
    if args.fusion:
        config = replace(config, fusion=args.fusion)
    index = load_index(args.corpus, config)
    only = tuple(args.doc)
    if only:
        known = set(index.texts or [index.document])
        unknown = [d for d in only if d not in known]
        if unknown:
            raise PolicyInputError("--doc", f"no document {unknown[0]!r} in {args.corpus}",
                                   expected="one of " + ", ".join(sorted(known)))
    for n, q in enumerate(questions, 1):
        try:
            out = ask(q, index=index, k=args.k, documents=only)
        except PolicyInputError as err:
            if args.batch is None:
                raise
            out = {"line": n, "question": q, "error": str(err)}
        if args.json:
            print(dumps(out), flush=True)
        else:
            print(out.get("error") and f"第{n}行：{out['error']}" or _plain(out), flush=True)
    return 0  # bad lines are reported in-band, one error object each
