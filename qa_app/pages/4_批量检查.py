"""Batch: the CSV `policykg check FILE.csv` reads → progress → results table → results.csv / results.jsonl,
the same files the CLI writes with --out."""
from datetime import date

import pandas as pd
import streamlit as st

from kg_builder.errors import PolicyInputError
from qa_app.ui import batch, cache, qa
from qa_app.ui.guard import guarded
from qa_app.ui.i18n import t
from qa_app.ui.profile import profile_fields

st.set_page_config(page_title="批量检查", layout="wide")


def instructions(lang, cfg, fields):
    st.caption(t("batch_columns", lang) + ", ".join(batch.template_columns(fields)))
    per_unit = "、".join(f.zh if lang == "zh" else f.en for f in fields if f.per_unit) or "—"
    st.caption(t("batch_cells", lang).format(fields=per_unit, rows=cfg.max_batch_rows))
    st.download_button(t("template", lang), batch.template_csv(fields), file_name="template.csv", mime="text/csv",
                       on_click="ignore")


def results(lang, outcomes):
    table = batch.summary(outcomes)
    failed = sum(r["status"] == "error" for r in table)
    st.success(t("checked", lang).format(n=len(table)))
    if failed:
        st.warning(t("bad_rows", lang).format(n=failed))
    st.dataframe(pd.DataFrame(table, columns=batch.SUMMARY_FIELDS), hide_index=True)
    c1, c2 = st.columns(2)
    c1.download_button(f"{t('download', lang)} results.csv", batch.results_csv(table), file_name="results.csv",
                       mime="text/csv", on_click="ignore")
    c2.download_button(f"{t('download', lang)} results.jsonl", batch.results_jsonl(outcomes), file_name="results.jsonl",
                       mime="application/jsonl", on_click="ignore")


def body():
    lang = cache.language()
    cfg, loaded, lex = cache.current()
    st.title(t("p4", lang))
    fields = profile_fields(loaded.measures, lex)
    instructions(lang, cfg, fields)
    as_of = st.date_input(t("as_of", lang), value=date.today(), key="batch_as_of")
    note = qa.validity(loaded, as_of)["note"]
    if note:
        st.warning(note)
    up = st.file_uploader(t("upload", lang), type=["csv"])
    if up is None:
        return
    try:
        rows = batch.read_upload(up.getvalue(), up.name, max_bytes=cfg.max_upload_bytes, max_rows=cfg.max_batch_rows)
    except PolicyInputError as err:
        st.error(f"{t('bad_file', lang)}：{err}")
        return
    bar = st.progress(0.0)
    outcomes = batch.check(rows, loaded, as_of=as_of, chunk=cfg.batch_chunk,
                           progress=lambda done: bar.progress(done / len(rows), text=f"{done}/{len(rows)}"))
    results(lang, outcomes)


guarded(body)
