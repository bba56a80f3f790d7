"""Enterprises: ask a question or describe the enterprise in a sentence or two, answer the next question worth
asking, or fill the profile; see eligibility, estimates and the clauses they rest on. The app opens here."""
from datetime import date

import pandas as pd
import streamlit as st

from qa_app.ui import cache, qa, selfcheck
from qa_app.ui.english import card_en
from qa_app.ui.guard import guarded
from qa_app.ui.i18n import t
from qa_app.ui.profile import PER_UNIT_EXAMPLE, profile_fields, profile_from_values
from qa_app.ui.text import highlight_md, split_span, yuan

st.set_page_config(page_title="政策问答与资格自测", layout="wide")


def document_filter(lang, loaded) -> list[str]:
    """Which documents questions and checks look at: none chosen = all of them."""
    options = qa.document_options(loaded)
    if len(options) < 2:
        return []
    kept = {} if "doc_filter" in st.session_state else \
        {"default": [d for d in st.session_state.get(cache.FILTERED) or [] if d in options]}
    chosen = st.multiselect(t("doc_filter", lang), list(options), format_func=options.get,
                            key="doc_filter", placeholder=t("all_documents", lang), **kept)
    st.session_state[cache.FILTERED] = chosen
    return chosen


def source_view(text, cite):
    before, quote, after = split_span(text, cite["start"], cite["end"], context=80)
    st.markdown(highlight_md(before + quote + after, [(cite["start"], cite["end"])], offset=cite["start"] - len(before)))


def ask_section(lang, loaded, documents):
    with st.form("ask"):
        question = st.text_input(t("question", lang), key="question", placeholder=t("question_hint", lang))
        asked = st.form_submit_button(t("ask", lang))
    if asked and not question.strip():
        st.warning(t("empty_question", lang))
        st.session_state.pop("answers", None)
        st.session_state.pop("selfcheck", None)
        return
    if asked:
        with st.spinner("正在加载检索模型…"):  # the first question builds the index
            st.session_state["answers"] = qa.answer(question, loaded, documents=documents)
        described = st.session_state["answers"].get("eligibility")
        st.session_state["selfcheck"] = selfcheck.start(question, loaded) if described else None
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
    if st.session_state.get("selfcheck"):
        selfcheck_section(lang, loaded)
    elif result.get("eligibility"):
        for r in qa.shown_results(result["eligibility"]):
            card(lang, r, loaded)
    for a in result["answers"]:
        with st.container(border=True):
            st.markdown(f"#### {a['label']}")
            score = f" · score {a['score']}" if st.session_state.get("auditor") else ""  # scores are for auditors
            st.caption(f"《{a.get('document_title') or a['citation']['document']}》{score}")
            st.text(a["quote"])
            st.write(a["answer"])
            with st.expander(t("source", lang)):
                source_view(loaded.text_of(a["citation"]["document"]), a["citation"])


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


def profile_form(lang, fields, lex, measures=()):
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
            # conditions the text states in words: the enterprise confirms them itself (a measure id confirms
            # every text condition of that measure)
            worded = {m["id"]: f"{m['label']}：" + "；".join(c["citation"]["quote"] for c in m["conditions"]
                                                        if c["kind"] == "text")
                      for m in measures if any(c["kind"] == "text" for c in m["conditions"])}
            confirmed = st.multiselect(t("confirm_text", lang), list(worded), format_func=worded.get,
                                       key="confirm_text")
        as_of = st.date_input(t("as_of", lang), value=date.today(), key="as_of")
        if st.form_submit_button(t("check", lang)):
            st.session_state["profile_facts"] = {**profile_from_values(values, fields), "confirmed": confirmed}
            st.session_state["profile_as_of"] = as_of


def results_section(lang, loaded, documents):
    profile = st.session_state.get("profile_facts")
    if profile is None:
        return
    as_of = st.session_state.get("profile_as_of")
    policies = {d.doc_id for d in loaded.policies()}
    documents = [d for d in documents if d in policies]
    first = qa.check(profile, loaded, as_of=as_of, documents=documents)
    if first["policy"]["note"]:  # draft, or not in force on the day checked: before any amount
        st.warning(first["policy"]["note"])
    eligible = {r["measure"]: r["label"] for r in first["results"] if r["status"] == "eligible"}
    same = st.multiselect(t("same_project", lang), list(eligible), format_func=lambda m: f"{eligible[m]} {m.rsplit('/', 1)[-1]}")
    result = qa.check(profile, loaded, same_project=same, as_of=as_of, documents=documents) if same else first
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
    measure = next((m for m in loaded.measures if m["id"] == r["measure"]), None)
    en = card_en(r, measure, cache.lexicon()) if lang == "en" and measure else None
    with st.container(border=True):
        st.markdown(f"#### {r['label']} · {t(r['status'], lang)}")
        if r.get("document_title"):
            st.caption(f"《{r['document_title']}》 {r['measure']}")
        c1, c2, c3 = st.columns(3)
        # the full amount as text: a metric truncates "300,000 元（30…"
        estimate = en["estimate"] if en else (yuan(r["estimate_yuan"]) if r["estimate_yuan"] is not None
                                              else t("unknown", lang))
        c1.markdown(f"{t('estimate', lang)}  \n**{estimate}**")
        cap = f"{en['cap']} ({en['cap_kind']})" if en and en["cap_kind"] else en["cap"] if en else yuan(r["cap_yuan"])
        c2.markdown(f"{t('cap', lang)}  \n**{cap}**")
        if r.get("period_years") is not None:
            years = f"≤ {r['period_years'].normalize():f} {t('years', lang)}"
            c3.metric(t("period", lang), years, help=t("one_year", lang))
        if en:
            st.write(f"Beneficiary: {en['beneficiary']}")
            for line in en["conditions"]:
                st.write("· " + line)
            for line in en["missing"]:
                st.write("？ Missing: " + line)
        else:
            for line in r.get("reasons", []):
                st.write("✓ " + line if r["status"] == "eligible" else "· " + line)
            for line in r.get("missing", []):
                st.write("？" + line)
        for e in r.get("evidence", []):
            if e["state"] in ("met", "not_met", "weak") and e.get("span"):
                mark = {"met": "✓", "not_met": "✗", "weak": "？"}[e["state"]]
                st.caption(f"{mark} “{e['span']['quote']}” → {e['condition_text']}")
        st.text(r["citation"]["quote"])
        with st.expander(t("source", lang)):
            source_view(loaded.text_of(r["citation"]["document"]), r["citation"])
        guide_part(lang, r)


def guide_part(lang, r):
    """What the application guide adds: when to apply, where, and the documents to hand in (quoted)."""
    window, office, checklist = r.get("application_window"), r.get("office"), r.get("checklist")
    if not (window or office or checklist):
        return
    guide = "、".join(f"《{g['title']}》" for g in r.get("guides", []))
    if window:
        st.markdown(f"**{t('window', lang)}**：{window['text']}（{guide}）")
    if office:
        st.markdown(f"**{t('office', lang)}**：{office['text']}")
    if checklist:
        with st.expander(f"{t('checklist', lang)}（{len(checklist)}）", expanded=r["status"] == "eligible"):
            for item in checklist:
                st.markdown(("    " * (item["level"] - 1)) + f"- {item['item']}")


def selfcheck_section(lang, loaded):
    """Results of the description, then the next question worth asking, one at a time."""
    state = st.session_state["selfcheck"]
    result = selfcheck.report(state, loaded)
    st.session_state["last_result"] = result
    if result["policy"]["note"]:
        st.warning(result["policy"]["note"])
    counts = {s: sum(r["status"] == s for r in result["results"]) for s in ("eligible", "needs_info")}
    st.markdown(f"{t('total', lang)}：**{yuan(result.get('total_estimate_yuan'))}** · "
                f"{t('eligible', lang)} {counts['eligible']} · {t('needs_info', lang)} {counts['needs_info']}")
    for r in qa.shown_results(result):
        card(lang, r, loaded)
    questions = selfcheck.pending(result, state, loaded)
    if not questions:
        st.success(t("no_more_questions", lang))
        return
    q, n = questions[0], len(state["asked"])
    with st.container(border=True):
        st.markdown(f"#### {t('next_question', lang)}")
        st.markdown(q["question_en"] if lang == "en" else q["question"])
        st.caption(t("worth", lang).format(amount=selfcheck.worth(q, lang)))
        if q["answer"] == "number":
            value = st.text_input(f"{t('your_answer', lang)}（{q['unit']}）", key=f"answer_{n}")
            chosen = value if st.button(t("submit", lang), key=f"submit_{n}") else None
        elif q["answer"] == "choice":
            value = st.selectbox(t("your_answer", lang), q.get("options") or [], key=f"answer_{n}")
            chosen = value if st.button(t("submit", lang), key=f"submit_{n}") else None
        else:
            c1, c2, c3 = st.columns(3)
            chosen = ("yes" if c1.button(t("yes", lang), key=f"yes_{n}") else
                      "no" if c2.button(t("no", lang), key=f"no_{n}") else
                      "skip" if c3.button(t("skip", lang), key=f"skip_{n}") else None)
    if chosen is not None:
        try:
            st.session_state["selfcheck"] = selfcheck.answer(state, q, chosen)
        except ValueError as err:
            st.error(str(err))
            return
        st.rerun()


def body():
    lang = cache.language()
    st.sidebar.toggle(t("auditor", lang), key="auditor")
    _, loaded, lex = cache.current(one_document=False)
    st.title(t("p1", lang))
    meta = loaded.build.meta
    st.caption(f"{meta.get('title_en' if lang == 'en' else 'title') or loaded.build.doc_id} · {meta.get('status') or '—'}")
    documents = document_filter(lang, loaded)
    ask_section(lang, loaded, documents)
    st.divider()
    profile_form(lang, profile_fields(loaded.measures, lex), lex, loaded.measures)
    results_section(lang, loaded, documents)


guarded(body)
