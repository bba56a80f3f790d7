"""Legal staff: the text beside what the graph says, coverage, shape report, and review edits."""
import pandas as pd
import streamlit as st

from qa_app.ui import cache, review, versions
from qa_app.ui.guard import guarded
from qa_app.ui.i18n import t
from qa_app.ui.text import highlight_md

st.set_page_config(page_title="条文核对", layout="wide")


def facts_table(m):
    rows = [{"kind": c["kind"], "text": c["text"], "span": f"{c['citation']['start']}-{c['citation']['end']}",
             "origin": c["origin"]} for c in m["conditions"]]
    rows += [{"kind": a["kind"], "text": a["citation"]["quote"] if a["value"] is None else f"{a['value']:f}", "span": f"{a['citation']['start']}-{a['citation']['end']}",
              "origin": a["origin"]} for a in m["amounts"]]
    return pd.DataFrame(rows)


def edit_form(lang, cfg, loaded, view):
    doc = loaded.build.doc_id
    st.session_state.setdefault("review_version", review.version(cfg.review_dir, doc))
    measures = {m["id"]: m for m in view["measures"]}
    if not measures:
        return
    with st.form("review"):
        mid = st.selectbox("措施 / measure", list(measures), format_func=lambda k: k.rsplit("/", 1)[-1])
        action = st.selectbox("操作 / action", review.ACTIONS)
        paths = dict(review.fact_paths(measures[mid]))
        path = st.selectbox("字段 / field (correct, delete)", ["", *paths])
        value = st.text_input("新值 / value")
        kind = st.text_input("类型 / kind (add_*)", value="text")
        c1, c2 = st.columns(2)
        start = c1.number_input("start", min_value=0, value=view["start"], step=1)
        end = c2.number_input("end", min_value=0, value=view["start"] + 1, step=1)
        reviewer = st.text_input(t("reviewer", lang), key="reviewer")
        reason = st.text_input(t("reason", lang), key="reason")
        if st.form_submit_button(t("save", lang)):
            entry = review.make_entry(action=action, measure=measures[mid], reviewer=reviewer, reason=reason,
                                      path=path or None, value=value, expect=paths.get(path), kind=kind,
                                      start=start, end=end)
            save(lang, cfg, doc, entry)


def save(lang, cfg, doc, entry):
    from kg_builder.errors import ReviewConflict
    try:
        st.session_state["review_version"] = review.save(cfg.review_dir, doc, entry, st.session_state["review_version"])
    except ReviewConflict as err:
        st.error(f"保存冲突：他人已修改审核文件，请重新载入后再试。/ Conflict: {err}")
        return
    cache.rebuild()
    st.success(t("saved", lang))


def body():
    lang = cache.language()
    cfg, loaded, _ = cache.current()
    st.title(t("p2", lang))
    if st.sidebar.button("重新载入 / reload"):
        st.session_state.pop("review_version", None)
        cache.rebuild()
        st.rerun()
    art = st.selectbox("条 / article", review.articles(loaded),
                       format_func=lambda a: next(l for c, l in loaded.labels.items() if c.split(".")[0] == a).split("（")[0])
    view = review.article_view(loaded, art)
    left, right = st.columns(2)
    left.markdown(highlight_md(view["text"], view["spans"], offset=view["start"]))
    right.metric(t("coverage", lang), len(view["uncovered"]))
    for c, a, b, s in view["uncovered"]:
        right.caption(f"{c} [{a}:{b}] {s}")
    for m in view["measures"]:
        right.markdown(f"**{m['label']}** {m['beneficiary']} · {m['benefit']} · {m['origin']}")
        right.dataframe(facts_table(m), hide_index=True)
    with st.expander(t("shapes", lang)):
        if st.button("运行结构校验 / validate"):
            rep = review.shape_report(loaded.build.graph, cfg.shapes)
            if rep["missing"]:
                st.info("ontology/structure_shapes.ttl 不存在")
            else:
                st.write("conforms" if rep["conforms"] else f"{len(rep['rows'])} 项问题")
                st.dataframe(pd.DataFrame(rep["rows"]), hide_index=True)
    st.subheader("审核 / review")
    edit_form(lang, cfg, loaded, view)
    compare_versions(cfg)


def compare_versions(cfg):
    """Two documents (e.g. the 征求意见稿 and the final text) → measures added, removed, changed, with quotes."""
    st.subheader("版本比较 / compare versions")
    docs = versions.documents(cfg.corpus)
    if len(docs) < 2:
        st.caption("语料目录中只有一个文件 / only one document in the corpus folder")
        return
    names = list(docs)
    c1, c2 = st.columns(2)
    old = c1.selectbox("旧版本 / old", names, key="diff_old")
    new = c2.selectbox("新版本 / new", names, index=1, key="diff_new")
    if st.button("比较 / compare", key="diff_run"):
        st.session_state["diff_report"] = versions.diff(docs[old], docs[new])
    report = st.session_state.get("diff_report")
    if not report:
        return
    st.write(f"{report['old']['document']} → {report['new']['document']}：新增 {len(report['added'])}，"
             f"删除 {len(report['removed'])}，修改 {len(report['changed'])}，未变 {report['unchanged']}")
    if report["added"] or report["removed"] or report["changed"]:
        st.dataframe(pd.DataFrame(versions.rows(report)), hide_index=True)
    else:
        st.info("两个版本的措施相同 / no measure differs")


guarded(body)
