"""Enterprises: ask a question, fill the profile, see eligibility, estimates and the clauses they rest on."""
from datetime import date

import pandas as pd
import streamlit as st

from qa_app.ui import cache, qa
from qa_app.ui.guard import guarded
from qa_app.ui.i18n import t
from qa_app.ui.profile import PER_UNIT_EXAMPLE, profile_fields, profile_from_values
from qa_app.ui.text import highlight_md, split_span, yuan

st.set_page_config(page_title="政策问答与资格自测", layout="wide")


def source_view(text, cite):
    before, quote, after = split_span(text, cite["start"], cite["end"], context=80)
    st.markdown(highlight_md(before + quote + after, [(cite["start"], cite["end"])], offset=cite["start"] - len(before)))


def ask_section(lang, loaded):
    with st.form("ask"):
        question = st.text_input(t("question", lang), key="question", placeholder="孵化器支持资金上限")
        asked = st.form_submit_button(t("ask", lang))
    if asked and not question.strip():
        st.warning(t("empty_question", lang))
        st.session_state.pop("answers", None)
        return
    if asked:
        with st.spinner("正在加载检索模型…"):  # the first question builds the index
            st.session_state["answers"] = qa.answer(question, loaded)
    result = st.session_state.get("answers")
    if result is None:
        return
    if result.get("abstained"):
        st.info(t("abstained", lang))
        st.caption(result.get("abstain_reason", ""))
        return
    if qa.is_table_answer(result):
        table_answer(lang, result)
        return
    if not result["answers"]:
        st.info(t("no_results", lang))
    if result.get("note"):  # off-topic question, or what the eligibility check could not read
        st.warning(result["note"])
    if result.get("eligibility"):
        for r in qa.shown_results(result["eligibility"]):
            card(lang, r, loaded)
    for a in result["answers"]:
        with st.container(border=True):
            st.markdown(f"#### {a['label']}")
            st.caption(f"score {a['score']}")
            st.text(a["quote"])
            st.write(a["answer"])
            with st.expander(t("source", lang)):
                source_view(loaded.build.text, a["citation"])


def table_answer(lang, result):
    """Lists and aggregates: every matching clause as a table, the value, and the SPARQL that produced them."""
    if result.get("value") is not None:
        st.metric(t("value", lang), yuan_or_plain(result))
    st.caption(t("graph_answer", lang).format(n=len(result["answers"])))
    if result["answers"]:
        st.dataframe(pd.DataFrame(qa.answer_rows(result)), hide_index=True, use_container_width=True)
    else:
        st.info(t("no_results", lang))
    with st.expander(t("query", lang)):
        st.code(result["query"], language="sparql")


def yuan_or_plain(result):
    """A count as is; a sum or highest/lowest award in 万元/元; a ratio as a fraction."""
    from decimal import Decimal

    value = Decimal(result["value"])
    if result.get("aggregate") == "count" or (value < 1 and value != 0):
        return result["value"]
    return yuan(value)


def profile_form(lang, fields, lex):
    quals = [f for f in fields if f.scheme == "qualification"]
    names = {f.id: f.label(lang) for f in quals}
    values = {}
    with st.form("profile"):
        st.subheader(t("profile", lang))
        cols = st.columns(3)
        for col, status, title in zip(cols, ("held", "new", "renewed"), ("已持有资质", "今年新认定", "今年复审通过")):
            for q in col.multiselect(title, list(names), format_func=names.get, key=f"q_{status}"):
                values[q] = status
        cols = st.columns(3)
        for i, f in enumerate(x for x in fields if x.scheme == "quantity"):
            values[f.id] = cols[i % 3].text_input(f.label(lang), key=f"v_{f.id}", help=f.hint(),
                                                  placeholder=PER_UNIT_EXAMPLE if f.per_unit else None)
        with st.expander("其他情况 / other facts"):
            for f in (x for x in fields if x.scheme == "flag"):
                values[f.id] = {"是": True, "否": False}.get(
                    st.radio(f.label(lang), ["未知", "是", "否"], horizontal=True, key=f"f_{f.id}", help=f.hint()))
            industries = {c.id: c.zh if lang == "zh" else c.en for c in lex.of("industry")}
            values["industry"] = st.selectbox("所属行业 (GB/T 4754)", ["", *industries], key="industry",
                                              format_func=lambda k: industries.get(k, "—"))
        as_of = st.date_input(t("as_of", lang), value=date.today(), key="as_of")
        if st.form_submit_button(t("check", lang)):
            st.session_state["profile_facts"] = profile_from_values(values, fields)
            st.session_state["profile_as_of"] = as_of


def results_section(lang, loaded):
    profile = st.session_state.get("profile_facts")
    if profile is None:
        return
    as_of = st.session_state.get("profile_as_of")
    first = qa.check(profile, loaded, as_of=as_of)
    if first["policy"]["note"]:  # draft, or not in force on the day checked: before any amount
        st.warning(first["policy"]["note"])
    eligible = {r["measure"]: r["label"] for r in first["results"] if r["status"] == "eligible"}
    same = st.multiselect(t("same_project", lang), list(eligible), format_func=lambda m: f"{eligible[m]} {m.rsplit('/', 1)[-1]}")
    result = qa.check(profile, loaded, same_project=same, as_of=as_of) if same else first
    st.session_state["last_result"] = result
    st.metric(t("total", lang), yuan(result.get("total_estimate_yuan")))
    chart = qa.chart_rows(result)
    if chart:
        st.bar_chart(pd.Series(chart, name=t("estimate", lang)))
    for r in qa.shown_results(result):
        card(lang, r, loaded)
    forgone = qa.forgone_rows(result)
    if forgone:
        st.subheader(t("forgone", lang))
        st.table(pd.DataFrame([{"label": r["label"], "estimate": yuan(r["estimate_yuan"]), "reason": r["reasons"][-1]}
                               for r in forgone]))
    pending = qa.needs_info(result, loaded.measures)
    if pending:
        with st.expander(f"{t('needs_info', lang)}（{len(pending)}）"):
            for r in pending:
                st.write(f"{r['label']}：" + "；".join(r["missing"]))


def card(lang, r, loaded):
    with st.container(border=True):
        st.markdown(f"#### {r['label']} · {t(r['status'], lang)}")
        c1, c2, c3 = st.columns(3)
        c1.metric(t("estimate", lang), yuan(r["estimate_yuan"]) if r["estimate_yuan"] is not None else t("unknown", lang))
        c2.metric(t("cap", lang), yuan(r["cap_yuan"]))
        if r.get("period_years") is not None:
            years = f"≤ {r['period_years'].normalize():f} {t('years', lang)}"
            c3.metric(t("period", lang), years, help=t("one_year", lang))
        for line in r.get("reasons", []):
            st.write("✓ " + line if r["status"] == "eligible" else "· " + line)
        for line in r.get("missing", []):
            st.write("？" + line)
        st.text(r["citation"]["quote"])
        with st.expander(t("source", lang)):
            source_view(loaded.build.text, r["citation"])


def body():
    lang = cache.language()
    _, loaded, lex = cache.current()
    st.title(t("p1", lang))
    ask_section(lang, loaded)
    st.divider()
    profile_form(lang, profile_fields(loaded.measures, lex), lex)
    results_section(lang, loaded)


guarded(body)
