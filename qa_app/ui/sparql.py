"""Read-only SPARQL console over the graph: SELECT/ASK only, a row limit and a time limit.

`Console(turtle)` runs each query in a worker process (`python -m qa_app.ui.sparql`, holding its own copy of
the graph, JSON lines on stdin/stdout) that is killed when the time limit passes: the engine cannot be
interrupted inside one result row (a cross product sorted before its first row runs for minutes), so only a
process boundary frees the core. At most `workers` queries run at once; a killed worker is replaced on demand.
`run_query(store, …)` is the in-process reading the worker does (row limit; the time limit between rows).
"""
from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

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
    """{"columns", "rows" (strings), "truncated", "boolean"}; raises TimeoutError past `seconds`.
    `store`: a pyoxigraph Store (in process) or a `Console` (worker processes killed at the limit)."""
    if isinstance(store, Console):
        return store.query(query, max_rows=max_rows, seconds=seconds)
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
            raise TimeoutError(f"查询超过 {seconds:g} 秒 / query timed out after {seconds:g} s")
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append([_term(solution[c]) for c in columns])
    return {"columns": columns, "rows": rows, "truncated": truncated, "boolean": None}


def _term(term) -> str:
    return "" if term is None else getattr(term, "value", str(term))


GRACE = 1.0  # seconds past the limit before the worker is killed (its own between-rows check comes first)


class _Worker:
    def __init__(self, turtle: str):
        root = str(Path(__file__).resolve().parents[2])  # this checkout's qa_app, whatever the cwd
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen([sys.executable, "-m", "qa_app.ui.sparql"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=root, env=env)
        self._send({"turtle": turtle})

    def _send(self, message: dict) -> None:
        self.proc.stdin.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def ask(self, query: str, max_rows: int, seconds: float) -> dict | None:
        """The worker's answer, or None when it did not answer within `seconds` + GRACE (then it is killed)."""
        self._send({"query": query, "max_rows": max_rows, "seconds": seconds})
        ready, _, _ = select.select([self.proc.stdout], [], [], seconds + GRACE)
        line = self.proc.stdout.readline() if ready else b""
        if not line:
            self.kill()
            return None
        return json.loads(line)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


class Console:
    """Queries over one graph, each in a worker process killed at its time limit (see the module docstring)."""

    def __init__(self, turtle: str, *, workers: int = 2):
        self.turtle, self.size = turtle, workers
        self._idle: list[_Worker] = []
        self._running = 0
        self._cond = threading.Condition()
        self._closed = False

    def _acquire(self, seconds: float) -> _Worker:
        deadline = time.monotonic() + seconds
        with self._cond:
            while not self._idle and self._running >= self.size:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise TimeoutError(f"查询繁忙，{seconds:g} 秒内没有空闲的查询进程 / console busy for {seconds:g} s")
                self._cond.wait(left)
            self._running += 1
            worker = self._idle.pop() if self._idle else None
        if worker is not None and not worker.alive():
            worker.kill()
            worker = None
        if worker is None:
            try:
                worker = _Worker(self.turtle)
            except BaseException:
                self._release(None)
                raise
        return worker

    def _release(self, worker: _Worker | None) -> None:
        with self._cond:
            self._running -= 1
            if worker is not None and worker.alive() and not self._closed:
                self._idle.append(worker)
            elif worker is not None:
                worker.kill()
            self._cond.notify()

    def query(self, query: str, *, max_rows: int = 500, seconds: float = 5.0) -> dict:
        """What `run_query` returns; TimeoutError "timed out after N s" once the worker has been killed."""
        check_query(query)
        worker = self._acquire(seconds)
        answer = None
        try:
            answer = worker.ask(query, max_rows, seconds)
        finally:
            self._release(worker if answer is not None else None)
        if answer is None:
            raise TimeoutError(f"查询超过 {seconds:g} 秒，已终止 / query timed out after {seconds:g} s")
        if "error" in answer:
            raise (TimeoutError if answer["error"] == "TimeoutError" else ValueError)(answer["message"])
        return answer["result"]

    def workers(self) -> list[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        with self._cond:
            return [w.proc.pid for w in self._idle if w.alive()]

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for w in idle:
            w.kill()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _serve() -> None:
    """The worker: the first line is {"turtle"}, each next one a query; one JSON line answers each."""
    store = None
    for line in sys.stdin.buffer:
        message = json.loads(line)
        if "turtle" in message:
            store = make_store(message["turtle"])
            continue
        try:
            out = {"result": run_query(store, message["query"], max_rows=message["max_rows"],
                                       seconds=message["seconds"])}
        except (ValueError, TimeoutError) as err:
            out = {"error": type(err).__name__, "message": str(err)}
        sys.stdout.buffer.write(json.dumps(out, ensure_ascii=False).encode("utf-8") + b"\n")
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve()
