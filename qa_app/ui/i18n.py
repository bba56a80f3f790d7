"""Chinese-first labels with an English switch. One table; a missing key shows the key, never fails."""
from __future__ import annotations

LABELS = {
    "app_title": ("政策知识图谱：条文、资格与审计", "Policy knowledge graph: clauses, eligibility, audit"),
    "intro": ("本应用把企业扶持政策原文转为知识图谱，回答问题并给出原文出处，测算可获支持金额，供法务核对与审计追溯。",
              "This app turns an enterprise-support policy into a knowledge graph, answers questions with verbatim citations, "
              "estimates awards, and supports legal review and audit."),
    "doc": ("文件", "Document"), "status": ("状态", "Status"), "measures": ("措施数", "Measures"),
    "pages": ("页面", "Pages"),
    "p1": ("政策问答与资格自测", "Q&A and eligibility self-check"), "p2": ("条文核对", "Clause review"),
    "p3": ("审计追溯", "Audit trail"), "p4": ("批量检查", "Batch check"),
    "question": ("请输入问题，或用一两句话介绍贵企业", "Your question, or a sentence or two about your enterprise"),
    "question_hint": ("如：孵化器支持资金上限；或：我们是新认定的高企，研发费用1500万元",
                      "e.g. incubator funding cap; or: we are a newly certified high-tech enterprise"),
    "ask": ("提问", "Ask"),
    "next_question": ("下一个问题", "Next question"),
    "worth": ("回答这个问题可能影响 {amount}", "Your answer may affect {amount}"),
    "your_answer": ("您的回答", "Your answer"), "submit": ("提交", "Submit"),
    "yes": ("是", "Yes"), "no": ("否", "No"), "skip": ("不确定，跳过", "Not sure, skip"),
    "no_more_questions": ("已没有会改变金额的缺失信息。", "No missing fact can change an amount any more."),
    "auditor": ("审计视图（显示检索分数）", "Auditor view (retrieval scores)"),
    "about": ("关于本应用", "About"),
    "empty_question": ("请输入问题后再提问。", "Please enter a question."),
    "profile": ("企业情况", "Enterprise profile"), "check": ("测算", "Check"),
    "same_project": ("同一项目（不重复支持）", "Same project (no duplicate support)"),
    "eligible": ("符合", "eligible"), "ineligible": ("不符合", "ineligible"), "needs_info": ("需补充信息", "needs info"),
    "estimate": ("测算金额", "Estimate"), "cap": ("封顶", "Cap"), "unknown": ("未知", "unknown"),
    "total": ("合计", "Total"), "forgone": ("因不重复支持而放弃", "Forgone (no duplication)"),
    "missing": ("缺少信息", "Missing"), "reasons": ("依据", "Reasons"), "source": ("原文", "Source text"),
    "reviewer": ("审核人", "Reviewer"), "reason": ("理由", "Reason"), "save": ("保存", "Save"),
    "saved": ("已保存，下次构建将使用该审核。", "Saved; the next build uses it."),
    "coverage": ("未产生事实的句子", "Sentences without facts"), "shapes": ("结构校验报告", "Structure-shape report"),
    "query": ("SPARQL 查询（只读）", "SPARQL query (read-only)"), "run": ("运行", "Run"),
    "examples": ("示例查询", "Example queries"), "download": ("下载", "Download"),
    "upload": ("上传企业 CSV", "Upload enterprises CSV"), "no_results": ("没有结果。", "No results."),
    "language": ("语言 / Language", "语言 / Language"),
    "as_of": ("检查日期 / as of", "检查日期 / as of"),
    "confirm_text": ("已满足的文字条件（自行确认）", "conditions stated in words that you confirm"),
    "period": ("支持期限", "Support period"), "one_year": ("估算为一年的金额", "the estimate is for one year"),
    "years": ("年", "years"),
    "doc_filter": ("文件范围", "Documents"), "all_documents": ("全部文件", "All documents"),
    "window": ("申请时间", "Application window"), "office": ("受理部门", "Office"),
    "checklist": ("申请材料", "Documents to submit"), "library": ("文件库", "Library"),
    "kind": ("类型", "Kind"),
    "template": ("下载模板 CSV", "Template CSV"),
    "batch_columns": ("列名（首行）：", "Columns (first row): "),
    "batch_cells": ("空格表示未知（不是“否”）；资质填 new / renewed / held / none；是否类填 是/否；金额以元为单位。"
                    "按单位封顶的金额（{fields}）可每个单位填一个值，以分号分隔，如两个展会：20000000;5000000。"
                    "UTF-8 或 Excel 保存的 GB18030 编码均可；最多 {rows} 行。",
                    "An empty cell is unknown (not “no”); qualifications new / renewed / held / none; yes/no as 是/否; "
                    "amounts in yuan. Amounts capped per unit ({fields}) take one value per unit, separated by "
                    "semicolons, e.g. two exhibitions: 20000000;5000000. UTF-8 or GB18030 as Excel saves it; at most {rows} rows."),
    "bad_file": ("无法读取该文件", "Cannot read the file"),
    "bad_rows": ("{n} 行无法读取，见结果表的 error 列；其余各行已检查。",
                 "{n} rows could not be read (see the error column); the other rows were checked."),
    "checked": ("已检查 {n} 行", "{n} rows checked"),
    "abstained": ("本库政策未涉及", "本库政策未涉及 (the policies in this library do not cover this question)"),
    "value": ("答案", "Answer"),
    "graph_answer": ("知识图谱查询：共 {n} 条条款", "Answered from the knowledge graph: {n} clauses"),
}


def t(key: str, lang: str = "zh") -> str:
    zh, en = LABELS.get(key, (key, key))
    return en if lang == "en" else zh
