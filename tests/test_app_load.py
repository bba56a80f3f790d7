"""The running app under 20 concurrent sessions (tests/load_driver.py, Streamlit's websocket protocol on
127.0.0.1): each asks, checks a profile and queries the SPARQL console; a bounded loop (rounds and seconds)
that stops by itself. Meanwhile an `oxigraph serve-read-only` endpoint over the same graph answers queries
and refuses updates. Asserts no errors and an unchanged graph; prints p50/p95 (figures: benchmarks/)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, XICHENG

pytest.importorskip("websockets")
import load_driver  # noqa: E402

SESSIONS, ROUNDS, SECONDS, STEP = 20, 2, 60, 60  # on 2 shared cores the time bound usually ends it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the server exited with {proc.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} not healthy after {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """`policykg app` on a free loopback port, this checkout's code, a private review folder."""
    port = free_port()
    env = {**os.environ, "POLICYKG_REVIEW_DIR": str(tmp_path_factory.mktemp("reviews")),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log = open(tmp_path_factory.mktemp("log") / "app.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "policykg.cli", "app", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{url}/_stcore/health", proc)
        yield url
    finally:
        stop(proc)
        log.close()


def _oxigraph() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """`oxigraph serve-read-only` over the Xicheng graph (None when the binary is absent)."""
    binary = _oxigraph()
    if binary is None:
        yield None
        return
    from kg_builder.cache import cached_build
    tmp = tmp_path_factory.mktemp("oxigraph")
    (tmp / "graph.ttl").write_text(cached_build(XICHENG).graph.serialize(format="turtle"), encoding="utf-8")
    subprocess.run([binary, "load", "--location", str(tmp / "db"), "--file", str(tmp / "graph.ttl")], check=True,
                   capture_output=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(tmp / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{base}/query?query={urllib.parse.quote(load_driver.COUNT)}", proc)
        yield base
    finally:
        stop(proc)


def _post(url: str, form: dict) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _count(base: str) -> int:
    status, body = _post(f"{base}/query", {"query": load_driver.COUNT})
    assert status == 200, body[:200]
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _hammer_endpoint(base: str, until: float, out: dict) -> None:
    """Queries and update attempts against the read-only endpoint while the app is under load."""
    while time.monotonic() < until and out["queries"] < 200:
        out["counts"].add(_count(base))
        status, _ = _post(f"{base}/update", {"update": load_driver.INSERT})
        out["update_status"].add(status)
        out["queries"] += 1


def test_twenty_concurrent_sessions_ask_check_and_query_without_errors(app, endpoint):
    warm = load_driver.drive(app, sessions=1, rounds=1, seconds=120, update_every=0)  # builds index, store, workers
    assert not warm.errors, warm.errors
    before = _count(endpoint) if endpoint else None
    side = {"counts": set(), "update_status": set(), "queries": 0}
    started = time.monotonic()
    thread = None
    if endpoint:
        thread = threading.Thread(target=_hammer_endpoint, args=(endpoint, started + SECONDS, side), daemon=True)
        thread.start()
    report = load_driver.drive(app, sessions=SESSIONS, rounds=ROUNDS, seconds=SECONDS, step_timeout=STEP)
    took = time.monotonic() - started
    if thread:
        thread.join(timeout=SECONDS + 30)
    summary = report.summary()
    print(f"\n{SESSIONS} sessions, {took:.1f} s: " + json.dumps(summary, ensure_ascii=False))
    assert not report.errors, report.errors[:10]
    assert report.sessions == SESSIONS
    assert summary["ask"]["n"] >= SESSIONS and summary["check"]["n"] >= SESSIONS
    assert report.counts == warm.counts and len(report.counts) == 1  # the console's graph never changed
    # bounded: no round starts after SECONDS and a round is at most 5 page runs, each within STEP (else an error)
    assert took < SECONDS + 5 * STEP
    if endpoint:
        print(f"oxigraph serve-read-only: {side['queries']} query+update pairs, update status {side['update_status']}")
        assert side["queries"] > 0 and side["counts"] == {before} and _count(endpoint) == before
        assert side["update_status"] and all(s >= 400 for s in side["update_status"])
