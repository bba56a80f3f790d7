"""Read-only SPARQL console over the graph: SELECT/ASK only, a row limit and a time limit."""
from __future__ import annotations

import re
import time

FORBIDDEN = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH|SERVICE)\b", re.I)
FORM = re.compile(r"^\s*(?:(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*(SELECT|ASK)\b", re.I)

EXAMPLES = {
    "措施及其条款 / measures and clauses": """PREFIX pk: <https://w3id.org/policykg/ont#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label ?beneficiary ?benefit WHERE {
  ?m a pk:Measure ; pk:inClause ?c ; pk:beneficiary ?beneficiary ; pk:benefitType ?benefit .
  ?c rdfs:label ?label .
} LIMIT 50""",
    "金额与类型 / amounts by kind": """PREFIX pk: <https://w3id.org/policykg/ont#>
PREFIX schema: <https://schema.org/>
SELECT ?m ?kind ?value WHERE { ?m pk:hasAmount ?a . ?a pk:amountKind ?kind ; schema:value ?value . } LIMIT 100""",
    "是否有孵化器条款 / any incubator measure?": """PREFIX pk: <https://w3id.org/policykg/ont#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
ASK { ?m pk:hasCondition/pk:anyOfQualification/skos:notation "Incubator" }""",
}


class QueryRejected(ValueError):
    """A query the console does not run (not SELECT/ASK, or it would change or fetch data)."""


def check_query(query: str) -> str:
    body = re.sub(r"<[^>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*",
                  lambda m: "<>" if m.group().startswith("<") else " ", query or "")
    if not query or not query.strip():
        raise QueryRejected("查询为空 / empty query")
    if FORBIDDEN.search(body):
        raise QueryRejected("只允许只读查询（SELECT / ASK）；UPDATE、LOAD、SERVICE 等被拒绝")
    if not FORM.match(body):
        raise QueryRejected("只允许 SELECT 或 ASK 查询 / only SELECT or ASK")
    return query


def make_store(turtle: str):
    import pyoxigraph
    store = pyoxigraph.Store()
    store.load(turtle.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    return store


def run_query(store, query: str, *, max_rows: int = 500, seconds: float = 5.0) -> dict:
    """{"columns", "rows" (strings), "truncated", "boolean"}; raises TimeoutError past `seconds`."""
    import pyoxigraph
    check_query(query)
    deadline = time.monotonic() + seconds
    try:
        result = store.query(query)
    except SyntaxError as err:
        raise ValueError(f"SPARQL 语法错误：{str(err).splitlines()[0]}") from None
    if isinstance(result, pyoxigraph.QueryBoolean):
        return {"columns": ["ASK"], "rows": [[str(bool(result)).lower()]], "truncated": False, "boolean": bool(result)}
    columns = [v.value for v in result.variables]
    rows, truncated = [], False
    for solution in result:
        if time.monotonic() > deadline:
            raise TimeoutError(f"查询超过 {seconds:g} 秒 / query timed out")
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append([_term(solution[c]) for c in columns])
    return {"columns": columns, "rows": rows, "truncated": truncated, "boolean": None}


def _term(term) -> str:
    return "" if term is None else getattr(term, "value", str(term))
