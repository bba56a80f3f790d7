"""审计追溯: the trace of one decision (measure → clause → quote → input facts → arithmetic → hashes) and a bundle."""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal


def trace(result: dict, decision: dict, loaded, shapes_path=None) -> list[tuple[str, str]]:
    """Steps as (heading, content) for one result row of an assessment."""
    m = next((m for m in loaded.measures if m["id"] == decision["measure"]), None)
    if m is None:
        raise ValueError(f"measure {decision['measure']} is not in this graph")
    text = loaded.build.text
    cite = decision["citation"]
    facts = {k: v for k, v in result["profile"].items() if v not in (None, {}, [])}
    return [("措施 Measure", f"{m['id']}：{m['beneficiary']}{m['benefit']}（{decision['status']}）"),
            ("条款 Clause", f"{m['label']}（{m['clause']}）"),
            ("原文 Quote", f"[{cite['start']}:{cite['end']}] {text[cite['start']:cite['end']]}"),
            ("输入事实 Input facts", json.dumps(facts, ensure_ascii=False, default=str)),
            ("计算 Arithmetic", arithmetic(m, decision)),
            ("版本与哈希 Versions & hashes", json.dumps(hashes(loaded, shapes_path), ensure_ascii=False))]


def arithmetic(m: dict, decision: dict) -> str:
    if decision.get("arithmetic"):
        return decision["arithmetic"]
    parts = [f"{a['kind']}={a['value']}" for a in m["amounts"]]
    est, cap = decision.get("estimate_yuan"), decision.get("cap_yuan")
    bound = " (封顶生效 cap binds)" if est is not None and cap is not None and Decimal(est) == Decimal(cap) else ""
    return f"{'; '.join(parts) or '无金额'} → 测算 {est if est is not None else '未知'}，封顶 {cap if cap is not None else '无'}{bound}"


def hashes(loaded, shapes_path=None) -> dict:
    from rdflib.compare import to_canonical_graph
    nt = to_canonical_graph(loaded.build.graph).serialize(format="nt")
    out = {"corpus_sha256": loaded.build.meta.get("sha256") or hashlib.sha256(loaded.build.text.encode()).hexdigest(),
           "graph_sha256": hashlib.sha256("\n".join(sorted(nt.splitlines())).encode()).hexdigest()}
    if shapes_path is not None and shapes_path.exists():
        out["shapes_sha256"] = hashlib.sha256(shapes_path.read_bytes()).hexdigest()
    return out


def bundle(result: dict, loaded, shapes_path=None) -> bytes:
    """The audit bundle: reasoner.audit's export when present, else JSON of result + hashes."""
    try:
        from reasoner.audit import audit_turtle
    except ImportError:
        audit_turtle = None
    if audit_turtle is not None and "as_of" in result:  # a report from reasoner.assess
        return audit_turtle(result, loaded.build.graph, corpus_text=loaded.build.text).encode("utf-8")
    doc = {"result": result, "hashes": hashes(loaded, shapes_path), "document": loaded.build.doc_id}
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def parse_uploaded(data: bytes) -> dict:
    """An uploaded decision (check JSON) or a bare profile → {"kind": "decision"|"profile", "data": …}."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"不是有效的 JSON：{err}") from None
    if not isinstance(obj, dict):
        raise ValueError("JSON 顶层须为对象 / top level must be an object")
    return {"kind": "decision" if "results" in obj else "profile", "data": obj}
