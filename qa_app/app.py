"""Home page of the policykg app: what it does, the document, links to the pages. Run: policykg app (or scripts/run_app.sh)"""
import pandas as pd
import streamlit as st

from qa_app.ui import cache
from qa_app.ui.guard import guarded
from qa_app.ui.i18n import t

st.set_page_config(page_title="policykg", page_icon="📜", layout="wide")

PAGES = [("pages/1_政策问答与资格自测.py", "p1"), ("pages/2_条文核对.py", "p2"),
         ("pages/3_审计追溯.py", "p3"), ("pages/4_批量检查.py", "p4")]


def body():
    lang = cache.language()
    st.title(t("app_title", lang))
    st.write(t("intro", lang))
    cfg, loaded, _ = cache.current()
    meta = loaded.build.meta
    c1, c2, c3 = st.columns(3)
    c1.metric(t("doc", lang), meta.get("title_en" if lang == "en" else "title") or loaded.build.doc_id)
    c2.metric(t("status", lang), meta.get("status") or "—")
    c3.metric(t("measures", lang), sum(m.get("document", loaded.build.doc_id) == loaded.build.doc_id
                                       for m in loaded.measures))
    if loaded.library is not None and len(loaded.library.documents) > 1:
        st.subheader(t("library", lang))
        st.dataframe(pd.DataFrame([{"id": d.doc_id, t("kind", lang): d.kind, t("doc", lang): d.title,
                                    t("status", lang): d.meta.get("status") or "—"}
                                   for d in loaded.library.documents.values()]), hide_index=True)
    st.subheader(t("pages", lang))
    for path, key in PAGES:
        st.page_link(path, label=t(key, lang))


guarded(body)
