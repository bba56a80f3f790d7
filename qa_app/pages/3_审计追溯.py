"""Auditors: trace one decision back to clause, quote, facts, arithmetic and hashes; read-only SPARQL."""
import pandas as pd
import streamlit as st

from qa_app.ui import audit, cache, qa, sparql
from qa_app.ui.guard import guarded
from qa_app.ui.i18n import t

st.set_page_config(page_title="审计追溯", layout="wide")


def pick_result(cfg, loaded):
    up = st.file_uploader("上传决定或企业情况 JSON / upload a decision or profile", type=["json"])
    if up is not None:
        if up.size > cfg.max_upload_bytes:
            raise ValueError(f"文件过大（上限 {cfg.max_upload_bytes} 字节）")
        got = audit.parse_uploaded(up.getvalue())
        return got["data"] if got["kind"] == "decision" else qa.check(got["data"], loaded)
    return st.session_state.get("last_result")


def trace_section(cfg, loaded):
    result = pick_result(cfg, loaded)
    if result is None:
        st.info("先在“政策问答与资格自测”页测算，或上传 JSON。")
        return
    order = {"eligible": 0, "needs_info": 1, "ineligible": 2}
    rows = sorted(result["results"], key=lambda r: order.get(r["status"], 3))
    pick = st.selectbox("决定 / decision", range(len(rows)), format_func=lambda i: f"{rows[i]['label']} · {rows[i]['status']}")
    doc = rows[pick].get("document")
    view = loaded.view(doc)  # the decision's own document
    for head, content in audit.trace(result, rows[pick], view, cfg.shapes):
        st.markdown(f"**{head}**")
        st.text(content)
    own = {**result, "results": [r for r in result["results"] if r.get("document", doc) == doc]}
    st.download_button(t("download", lang="zh") + " audit bundle", audit.bundle(own, view, cfg.shapes),
                       file_name="audit_bundle.json", mime="application/json")


def sparql_section(cfg):
    name = st.selectbox(t("examples"), list(sparql.EXAMPLES))
    query = st.text_area(t("query"), value=sparql.EXAMPLES[name], height=180, key=f"q_{name}")
    if st.button(t("run")):
        try:
            out = sparql.run_query(cache.store(str(cfg.corpus), str(cfg.review_dir)), query,
                                   max_rows=cfg.sparql_rows, seconds=cfg.sparql_seconds)
        except (ValueError, TimeoutError) as err:
            st.error(str(err))
            return
        st.dataframe(pd.DataFrame(out["rows"], columns=out["columns"]), hide_index=True)
        if out["truncated"]:
            st.caption(f"只显示前 {cfg.sparql_rows} 行 / truncated")


def body():
    lang = cache.language()
    cfg, loaded, _ = cache.current()
    st.title(t("p3", lang))
    trace_section(cfg, loaded)
    st.divider()
    st.subheader(t("query", lang))
    sparql_section(cfg)


guarded(body)
