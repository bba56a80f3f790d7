"""Drive a running policykg app with many concurrent sessions over Streamlit's own websocket protocol
(`/_stcore/stream`, BackMsg / ForwardMsg protobufs), the way a browser tab does, without a browser.

Each session opens the question page, then runs at most `rounds` rounds (none starts after `seconds`; each step
is bounded by `step_timeout`): ask a
question (the form "ask"), check a profile (the form "profile"), and run a console query on the audit page
(a COUNT of the graph; every `update_every`-th session-round also tries an INSERT, which must be refused). A step is
an error when the page shows an exception, when the expected output is missing (an answer's quote, the
total estimate, the console's count) or when it takes longer than `step_timeout`. Used by
tests/test_app_load.py (correctness) and benchmarks/bench_app_load.py (p50/p95 figures).
"""
from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

QUESTIONS = ("孵化器支持资金上限", "研发费用补贴", "专精特新小巨人奖励多少", "展会补贴怎么申请", "How much for a high-tech enterprise?")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
INSERT = "INSERT DATA { <urn:load> <urn:test> 1 }"


@dataclass
class Report:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # step -> seconds
    errors: list[str] = field(default_factory=list)
    counts: set[str] = field(default_factory=set)  # the graph sizes the console reported
    sessions: int = 0

    def add(self, step: str, seconds: float) -> None:
        self.latencies.setdefault(step, []).append(seconds)

    def summary(self) -> dict:
        out = {"sessions": self.sessions, "errors": len(self.errors)}
        for step, xs in sorted(self.latencies.items()):
            xs = sorted(xs)
            out[step] = {"n": len(xs), "p50": round(statistics.median(xs), 3),
                         "p95": round(xs[min(len(xs) - 1, int(0.95 * len(xs)))], 3), "max": round(xs[-1], 3)}
        return out


def _elements(messages):
    for f in messages:
        if f.WhichOneof("type") == "delta" and f.delta.WhichOneof("type") == "new_element":
            el = f.delta.new_element
            kind = el.WhichOneof("type")
            yield kind, getattr(el, kind)


class Session:
    def __init__(self, ws, step_timeout: float):
        self.ws, self.step_timeout = ws, step_timeout

    async def run(self, page: str, widgets=()) -> list:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = page
        msg.rerun_script.widget_states.widgets.extend(widgets)
        await self.ws.send(msg.SerializeToString())
        out, deadline = [], time.monotonic() + self.step_timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.1, deadline - time.monotonic()))
            f = ForwardMsg()
            f.ParseFromString(raw)
            out.append(f)
            if f.WhichOneof("type") == "script_finished":
                return out


def _widget(id_: str, **value):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    w = WidgetState(id=id_)
    for k, v in value.items():
        setattr(w, k, v)
    return w


def _problems(messages) -> list[str]:
    return [f"exception: {e.message[:200]}" for k, e in _elements(messages) if k == "exception"]


async def _session(n: int, url: str, report: Report, *, rounds: int, stop_at: float, step_timeout: float,
                   update_every: int) -> None:
    import websockets

    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=step_timeout) as ws:
        s = Session(ws, step_timeout)
        home = await s.run("")
        nav = [f.navigation for f in home if f.WhichOneof("type") == "navigation"][0]
        pages = {p.page_name: p.page_script_hash for p in nav.app_pages}
        ask_page = next(h for name, h in pages.items() if "问答" in name)
        audit_page = next(h for name, h in pages.items() if "审计" in name)
        ids = {getattr(e, "id", ""): e for _, e in _elements(await s.run(ask_page))}
        question = next(i for i in ids if i.endswith("-question"))
        ask_submit = next(i for i in ids if "FormSubmitter:ask" in i)
        rd = next(i for i in ids if i.endswith("-v_rdExpense"))
        check_submit = next(i for i in ids if "FormSubmitter:profile" in i)
        report.sessions += 1
        for r in range(rounds):
            if r and time.monotonic() > stop_at:  # the first round always runs, no new round after the deadline
                return
            q = QUESTIONS[(n + r) % len(QUESTIONS)]
            t = time.monotonic()
            msgs = await s.run(ask_page, [_widget(question, string_value=q), _widget(ask_submit, trigger_value=True)])
            report.add("ask", time.monotonic() - t)
            texts = [e.body for k, e in _elements(msgs) if k == "text"]
            report.errors += [f"session {n} ask {q!r}: {p}" for p in _problems(msgs)]
            if not texts:
                report.errors.append(f"session {n} ask {q!r}: no quoted clause shown")
            t = time.monotonic()
            amount = str(5_000_000 + 1_000_000 * ((n + r) % 20))
            msgs = await s.run(ask_page, [_widget(rd, string_value=amount), _widget(check_submit, trigger_value=True)])
            report.add("check", time.monotonic() - t)
            report.errors += [f"session {n} check: {p}" for p in _problems(msgs)]
            if not [e for k, e in _elements(msgs) if k == "metric"]:
                report.errors.append(f"session {n} check: no estimate shown")
            await _console(s, n, r, audit_page, report, update_every)


async def _console(s: Session, n: int, r: int, page: str, report: Report, update_every: int) -> None:
    ids = {getattr(e, "id", ""): e for _, e in _elements(await s.run(page))}
    area = next(i for i in ids if "-q_" in i and ids[i].__class__.__name__ == "TextArea")
    button = next(i for i, e in ids.items() if e.__class__.__name__ == "Button" and "-q_" not in i
                  and getattr(e, "label", "") and "FormSubmitter" not in i)
    queries = [COUNT] + ([INSERT] if update_every and (n + r) % update_every == 0 else [])
    for query in queries:
        t = time.monotonic()
        msgs = await s.run(page, [_widget(area, string_value=query), _widget(button, trigger_value=True)])
        report.add("console", time.monotonic() - t)
        report.errors += [f"session {n} console: {p}" for p in _problems(msgs)]
        refused = [e for k, e in _elements(msgs) if k == "alert" and "只读" in e.body]
        if query == COUNT:
            frames = [e for k, e in _elements(msgs) if k in ("dataframe", "arrow_data_frame")]
            if not frames:
                report.errors.append(f"session {n} console: no result table")
            else:
                report.counts.add(_first_cell(frames[0]))
        elif not refused:
            report.errors.append(f"session {n} console: an update was not refused")


def _first_cell(frame) -> str:
    import io

    import pyarrow as pa
    data = frame.arrow_data.data if hasattr(frame, "arrow_data") else frame.data
    table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    return str(table.column(table.num_columns - 1)[0])


async def _all(url: str, sessions: int, **kw) -> Report:
    report = Report()

    async def one(n):
        try:
            await _session(n, url, report, **kw)
        except Exception as err:  # a dropped connection or a timeout is a failure of the app under load
            report.errors.append(f"session {n}: {type(err).__name__}: {err}")
    await asyncio.gather(*(one(n) for n in range(sessions)))
    return report


def drive(url: str, *, sessions: int = 20, rounds: int = 3, seconds: float = 90, step_timeout: float = 60,
          update_every: int = 2) -> Report:
    """Run `sessions` concurrent sessions against the app at `url`; stops after `rounds` or `seconds`."""
    return asyncio.run(_all(url, sessions, rounds=rounds, stop_at=time.monotonic() + seconds,
                            step_timeout=step_timeout, update_every=update_every))
