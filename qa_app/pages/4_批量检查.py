"""Batch: a CSV of enterprises → progress → results table → download."""
import pandas as pd
import streamlit as st

from qa_app.ui import batch, cache, qa
from qa_app.ui.guard import guarded
from qa_app.ui.i18n import t
from qa_app.ui.profile import profile_fields

st.set_page_config(page_title="批量检查", layout="wide")


def body():
    lang = cache.language()
    cfg, loaded, lex = cache.current()
    st.title(t("p4", lang))
    fields = profile_fields(loaded.measures, lex)
    st.caption("列名 / columns: name, industry, " + ", ".join(f.id for f in fields if f.scheme != "industry"))
    st.download_button("模板 / template CSV", batch.to_csv([{"name": "示例企业", "ForeignRDCenter": "held",
                                                            "municipalFunds": "12000000"}]), file_name="template.csv")
    up = st.file_uploader(t("upload", lang), type=["csv"])
    if up is None:
        return
    rows, errors = batch.parse_csv(up.getvalue(), fields, max_bytes=cfg.max_upload_bytes)
    for e in errors:
        st.warning(e)
    bar, out = st.progress(0.0), []
    for i, (name, profile) in enumerate(rows, 1):
        out.append(batch.summary_row(name, qa.check(profile, loaded)))
        bar.progress(i / len(rows), text=f"{i}/{len(rows)}")
    st.dataframe(pd.DataFrame(out), hide_index=True)
    st.download_button(t("download", lang), batch.to_csv(out), file_name="results.csv", mime="text/csv")


guarded(body)
