"""The app's SPARQL console runs queries in worker processes that are killed at the time limit: a query that
spends minutes before its first row (a sorted cross product) is stopped, its process and core are freed,
and the console still answers. Reads only: updates are refused and the graph does not change."""
from __future__ import annotations

import os
import time

import pytest

from conftest import XICHENG
from qa_app.ui import sparql

CROSS = "SELECT ?a WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i} ORDER BY ?a ?d ?g LIMIT 1"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def turtle():
    from kg_builder.cache import cached_build
    return cached_build(XICHENG).graph.serialize(format="turtle")


@pytest.fixture
def console(turtle):
    c = sparql.Console(turtle, workers=2)
    yield c
    c.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_console_answers_like_the_in_process_store(console, turtle):
    store = sparql.make_store(turtle)
    for query in sparql.EXAMPLES.values():
        assert sparql.run_query(console, query, max_rows=20) == sparql.run_query(store, query, max_rows=20)


def test_cross_product_is_stopped_at_the_limit_and_its_process_freed(console):
    sparql.run_query(console, COUNT)  # a warm worker
    before = set(console.workers())
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="timed out after 2 s"):
        sparql.run_query(console, CROSS, seconds=2)
    took = time.monotonic() - start
    assert 2 <= took < 2 + 4, took
    time.sleep(0.2)
    assert before and not any(_alive(pid) for pid in before - set(console.workers()))
    assert int(sparql.run_query(console, COUNT)["rows"][0][0]) > 3000  # a new worker answers


def test_two_slow_queries_do_not_hold_the_console(console):
    import threading
    errors = []

    def slow():
        try:
            sparql.run_query(console, CROSS, seconds=2)
        except TimeoutError as err:
            errors.append(str(err))

    threads = [threading.Thread(target=slow) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert len(errors) == 2
    start = time.monotonic()
    assert sparql.run_query(console, "ASK { ?s ?p ?o }")["boolean"] is True
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("update", ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "DELETE WHERE { ?s ?p ?o }",
                                    "CLEAR ALL", "LOAD <http://example.org/x.ttl>"])
def test_updates_are_refused_and_the_graph_is_unchanged(console, update):
    n = sparql.run_query(console, COUNT)["rows"]
    with pytest.raises(sparql.QueryRejected):
        sparql.run_query(console, update)
    assert sparql.run_query(console, COUNT)["rows"] == n


def test_syntax_error_is_one_clear_message(console):
    with pytest.raises(ValueError, match="SPARQL"):
        sparql.run_query(console, "SELECT ?a WHERE { ?a ?b }")
