"""Entry of the policykg app: navigation that opens on the question-and-self-check page (what enterprises
come for), then clause review, audit, batch check, and a page about the documents of the corpus. Run: policykg app
(or scripts/run_app.sh)."""
from pathlib import Path

import pandas as pd
import streamlit as st

from qa_app.ui import cache
from qa_app.ui.guard import guarded
from qa_app.ui.i18n import t

st.set_page_config(page_title="policykg", page_icon="📜", layout="wide")

HERE = Path(__file__).resolve().parent
PAGES = [("pages/1_政策问答与资格自测.py", "p1", "政策问答与资格自测"), ("pages/2_条文核对.py", "p2", "条文核对"),
         ("pages/3_审计追溯.py", "p3", "审计追溯"), ("pages/4_批量检查.py", "p4", "批量检查")]


def about():
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
    guarded(body)


def main():
    lang = "en" if st.session_state.get("lang_choice") == "English" else "zh"  # the widget is drawn by the page
    pages = [st.Page(str(HERE / path), title=t(key, lang), url_path=url, default=i == 0)
             for i, (path, key, url) in enumerate(PAGES)]
    pages.append(st.Page(about, title=t("about", lang), url_path="about"))
    st.navigation(pages).run()


main()
