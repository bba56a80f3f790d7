"""The Streamlit pages through streamlit.testing.v1.AppTest: each page's main path and its error paths.
Reviews go to a temporary directory (POLICYKG_REVIEW_DIR), never to corpus/reviews."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = Path(__file__).resolve().parent.parent / "qa_app"
P1, P2, P3, P4 = (str(APP / "pages" / n) for n in
                  ("1_政策问答与资格自测.py", "2_条文核对.py", "3_审计追溯.py", "4_批量检查.py"))


XICHENG = Path(__file__).resolve().parent.parent / "corpus" / "xicheng_measures_draft.txt"


@pytest.fixture(autouse=True)
def review_dir(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.getbasetemp() / "reviews"
    path.mkdir(exist_ok=True)
    monkeypatch.setenv("POLICYKG_REVIEW_DIR", str(path))
    monkeypatch.setenv("POLICYKG_CORPUS", str(XICHENG))  # these pages' cases are the Xicheng text's
    return path


def run(page: str, **state) -> AppTest:
    at = AppTest.from_file(page, default_timeout=60)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "text", "caption", "title", "subheader") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts) + "\n".join(f"{m.label}={m.value}" for m in at.metric)


def no_errors(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_app_opens_on_the_self_check_page_naming_the_document():
    at = run(str(APP / "app.py"))
    no_errors(at)
    out = texts(at)
    assert at.title[0].value == "政策问答与资格自测" and "北京市西城区促进科技创新" in out and "征求意见稿" in out
    assert at.text_input(key="question")  # the enterprise can type at once


def test_self_check_page_switches_to_english_labels():
    at = run(str(APP / "app.py"))
    at.sidebar.radio(key="lang_choice").set_value("English").run()
    no_errors(at)
    assert "Q&A and eligibility self-check" in texts(at)


def test_question_on_incubator_funding_cites_article_7_item_1():
    at = run(P1)
    at.text_input(key="question").input("孵化器支持资金上限")
    at.button[0].click().run()
    no_errors(at)
    out = texts(at)
    assert "第七条（一）" in out
    assert "年度支持金额不超过1000万元" in out


def test_description_then_next_questions_change_status_and_amount():
    """Two sentences → 第四条（一）符合, the rest needs facts; the next question (worth most) is answered yes,
    then the amount it asks for: 第八条（一） becomes eligible and the total grows by its estimate."""
    at = run(P1)
    at.text_input(key="question").input("我们是新认定的高企。研发费用1500万元。")
    at.button[0].click().run()
    no_errors(at)
    first = at.session_state["last_result"]
    assert first["total_estimate_yuan"] == Decimal(300000)
    assert next(r for r in first["results"] if r["clause"] == "8.1")["status"] == "needs_info"
    out = texts(at)
    assert "第八条（一）" in out and "回答这个问题可能影响 2500万元" in out
    next(b for b in at.button if b.label == "是").click().run()
    no_errors(at)
    second = at.session_state["last_result"]
    assert next(r for r in second["results"] if r["clause"] == "8.1")["status"] == "eligible"
    assert "贵单位获得的市级资金是多少（万元）？" in texts(at)
    at.text_input(key="answer_1").input("1200")
    next(b for b in at.button if b.label == "提交").click().run()
    no_errors(at)
    third = at.session_state["last_result"]
    assert third["total_estimate_yuan"] == Decimal(6300000)
    assert "6,000,000 元（600万元）" in texts(at)


def test_retrieval_scores_only_in_the_auditor_view():
    at = run(P1)
    at.text_input(key="question").input("孵化器支持资金上限")
    at.button[0].click().run()
    assert not [c for c in at.caption if "score " in str(c.value)]
    at.sidebar.toggle(key="auditor").set_value(True).run()
    assert [c for c in at.caption if "score " in str(c.value)]


def test_english_card_gives_the_structured_part_in_english():
    at = run(P1)
    at.sidebar.radio(key="lang_choice").set_value("English").run()
    at.text_input(key="question").input("我们是新认定的高企。")
    at.button[0].click().run()
    no_errors(at)
    out = texts(at)
    assert "RMB 300,000" in out and "national high-tech enterprise, newly certified this year" in out
    assert "Beneficiary: the enterprise" in out and "Your answer may affect" in out


def test_empty_question_warns_instead_of_answering():
    at = run(P1)
    at.text_input(key="question").input("  ")
    at.button[0].click().run()
    no_errors(at)
    assert at.warning and "请输入问题" in at.warning[0].value


def _fill_profile(at, held=(), new=(), confirmed=(), **amounts):
    if confirmed:  # text conditions the enterprise confirms (第十条（一）'s 获得北京市认定)
        at.multiselect(key="confirm_text").set_value(list(confirmed))
    if held:
        at.multiselect(key="q_held").set_value(list(held))
    if new:
        at.multiselect(key="q_new").set_value(list(new))
    for k, v in amounts.items():
        at.text_input(key=f"v_{k}").input(v)
    next(b for b in at.button if b.label == "测算").click()
    return at.run()


def test_foreign_rd_centre_with_12m_municipal_funds_is_capped_at_5m_by_article_10_item_1():
    at = _fill_profile(run(P1), held=["ForeignRDCenter"], municipalFunds="12000000")
    assert at.session_state["last_result"]["total_estimate_yuan"] is None  # 获得北京市认定 not yet confirmed
    at = _fill_profile(at, confirmed=["xicheng_measures_draft/10.1-1"])
    no_errors(at)
    out = texts(at)
    assert "第十条（一）" in out
    assert "5,000,000 元" in out
    assert at.session_state["last_result"]["total_estimate_yuan"] == Decimal("5000000")


def test_non_numeric_amount_is_one_line_error_naming_the_field():
    at = _fill_profile(run(P1), municipalFunds="很多")
    assert not at.exception
    assert at.error and "获得的市级资金" in at.error[0].value


def test_same_project_keeps_the_highest_award_and_lists_the_forgone_one():
    at = _fill_profile(run(P1), new=["HighTechEnterprise", "LittleGiant"])
    no_errors(at)
    ms = at.session_state["last_result"]["results"]
    marked = [r["measure"] for r in ms if r["clause"] in ("4.1", "4.3") and r["estimate_yuan"]]
    at.multiselect[-1].set_value(marked).run()
    no_errors(at)
    result = at.session_state["last_result"]
    assert [r["clause"] for r in result["results"] if r.get("forgone")] == ["4.1"]
    assert at.table, "forgone table shown"


def test_review_confirm_is_saved_with_reviewer_and_reason(review_dir):
    at = run(P2)
    no_errors(at)
    at.text_input(key="reviewer").input("张律师")
    at.text_input(key="reason").input("与原文一致")
    next(b for b in at.button if b.label == "保存").click()
    at.run()
    no_errors(at)
    assert at.success
    saved = (review_dir / "xicheng_measures_draft.yaml").read_text(encoding="utf-8")
    assert "张律师" in saved and "confirm" in saved


def test_review_without_reviewer_is_refused():
    at = run(P2)
    at.text_input(key="reason").input("无名")
    next(b for b in at.button if b.label == "保存").click()
    at.run()
    assert not at.exception
    assert at.error and "审核人" in at.error[0].value


def test_two_reviewers_on_the_same_file_conflict_instead_of_overwriting(review_dir):
    from kg_builder.review import file_version, save_entry
    at = run(P2)
    path = review_dir / "xicheng_measures_draft.yaml"
    save_entry(path, {"id": "other", "action": "confirm", "measure": "1.1-1", "reviewer": "李", "date": "2026-01-01",
                      "reason": "先保存"}, based_on=file_version(path))
    at.text_input(key="reviewer").input("王")
    at.text_input(key="reason").input("后保存")
    next(b for b in at.button if b.label == "保存").click()
    at.run()
    assert not at.exception
    assert at.error and "冲突" in at.error[0].value
    assert "后保存" not in path.read_text(encoding="utf-8")


def test_audit_trace_shows_quote_facts_arithmetic_and_hashes():
    at = _fill_profile(run(P1), held=["ForeignRDCenter"], confirmed=["xicheng_measures_draft/10.1-1"], municipalFunds="12000000")
    result = at.session_state["last_result"]
    at3 = run(P3, last_result=result)
    no_errors(at3)
    out = texts(at3)
    assert "第十条（一）" in out and "municipalFunds" in out and "graph_sha256" in out
    assert at3.get("download_button")


@pytest.mark.parametrize("query, shown", [
    ("PREFIX pk: <https://w3id.org/policykg/ont#>\nSELECT ?m WHERE { ?m a pk:Measure }", None),
    ("SELECT ?x WHERE {", "语法"),
    ("DELETE WHERE { ?s ?p ?o }", "只允许只读"),
    ("LOAD <http://example.org/x.ttl>", "只允许只读"),
])
def test_sparql_console_runs_reads_and_rejects_the_rest(query, shown):
    at = run(P3)
    at.text_area[0].input(query)
    next(b for b in at.button if b.label == "运行").click()
    at.run()
    assert not at.exception
    if shown is None:
        assert not at.error and at.dataframe and len(at.dataframe[0].value) == 44
    else:
        assert at.error and shown in at.error[0].value


DATED = ("第一条 为支持企业发展，制定本措施。\n第二条 对国家高新技术企业给予10万元奖励。\n"
         "第三条 本措施自2025年3月1日起施行，有效期5年。\n")


def test_self_check_shows_the_draft_note_and_the_day_checked():
    at = run(P1)
    at.date_input(key="as_of").set_value(date(2026, 11, 27))
    at = _fill_profile(at, held=["ForeignRDCenter"], municipalFunds="12000000")
    no_errors(at)
    policy = at.session_state["last_result"]["policy"]
    assert policy["as_of"] == "2026-11-27" and policy["status"] == "征求意见稿"
    assert [w.value for w in at.warning] == [policy["note"]]
    assert "本政策为征求意见稿，条款和金额可能变化，估算仅供参考" in policy["note"] and "生效日期未知" in policy["note"]


@pytest.mark.parametrize("day, warned", [(date(2026, 1, 1), None), (date(2030, 3, 1), "不在政策有效期内")])
def test_self_check_warns_when_the_day_is_outside_the_in_force_dates(tmp_path, monkeypatch, day, warned):
    corpus = tmp_path / "dated_measures.txt"
    corpus.write_text(DATED, encoding="utf-8")
    (tmp_path / "dated_measures.meta.yaml").write_text("status: 正式文本\ndate_in_force: 2025-03-01\nvalidity: 有效期5年\n",
                                                      encoding="utf-8")
    monkeypatch.setenv("POLICYKG_CORPUS", str(corpus))
    at = run(P1)
    at.date_input(key="as_of").set_value(day)
    at = _fill_profile(at, held=["HighTechEnterprise"])
    no_errors(at)
    result = at.session_state["last_result"]
    assert result["policy"]["in_force"] is (warned is None)  # 2025-03-01 + 5 years → until 2030-02-28
    assert result["total_estimate_yuan"] == Decimal(100_000)  # the estimate still shows what the text gives
    assert [w.value for w in at.warning] == ([] if warned is None else [result["policy"]["note"]])
    assert warned is None or warned in result["policy"]["note"]


def test_interest_subsidy_card_shows_the_three_year_period_of_article_6_item_3():
    at = run(P1)
    at.radio(key="f_mergerByBankLoan").set_value("是")
    at = _fill_profile(at, interestPaid="100万", investmentAmount="1亿")
    no_errors(at)
    r = next(r for r in at.session_state["last_result"]["results"] if r["clause"] == "6.3")
    assert r["status"] == "eligible" and r["period_years"] == Decimal(3) and r["estimate_yuan"] == Decimal(300_000)
    assert "支持期限=≤ 3 年" in texts(at)


def test_exhibition_fees_per_fair_are_capped_fair_by_fair():
    at = _fill_profile(run(P1), exhibitionFees="2000万;500万")
    no_errors(at)
    fees = at.session_state["profile_facts"]["quantities"]["exhibitionFees"]
    assert fees == [Decimal(20_000_000), Decimal(5_000_000)]
    r = next(r for r in at.session_state["last_result"]["results"] if r["clause"] == "10.3")
    assert "受单个展会/单次上限 300万元 限制 → 3000000；0.3 × 参展费用 5000000 = 1500000；合计 4500000" in r["arithmetic"]


def test_batch_page_offers_the_template_and_says_how_to_give_one_value_per_unit():
    at = run(P4)
    no_errors(at)
    out = texts(at)
    assert "id, EngineeringResearchCenter" in out and "municipalFunds" in out
    assert "20000000;5000000" in out and "参展费用" in out
    assert [w.value for w in at.warning] == ["本政策为征求意见稿，条款和金额可能变化，估算仅供参考；政策生效日期未知，无法判断在所选日期是否有效"]


BATCH = ("id,HighTechEnterprise,rdExpense,rdRatioAboveTarget,exhibitionFees\n"
         "甲公司,new,15000000,是,20000000;5000000\n"  # row 2: 第三条（一）超过1000万元 and 第四条（一）新认定
         "乙公司,held,-3,,\n"                        # row 3: negative amount
         "丙公司,new,abc,,\n"                        # row 4: not a number
         "丁公司,,,,\n")                             # row 5: nothing known: needs info, not "no"


@pytest.fixture
def downloads(monkeypatch):
    """What each download button would send the browser, by file name."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    files, original = {}, MemoryMediaFileStorage.load_and_get_id

    def record(self, data, mimetype, kind, filename=None):
        files[filename] = data
        return original(self, data, mimetype, kind, filename)
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


def upload(data: bytes, name: str = "enterprises.csv", day: date = date(2026, 11, 27)) -> AppTest:
    at = run(P4)
    at.date_input(key="batch_as_of").set_value(day)
    at.file_uploader[0].set_value((name, data, "text/csv"))
    return at.run()


def test_batch_gives_one_result_row_per_input_row_and_keeps_the_bad_ones():
    at = upload(BATCH.encode())
    no_errors(at)
    table = at.dataframe[0].value
    assert list(table["row"]) == [2, 3, 4, 5] and list(table["id"]) == ["甲公司", "", "", "丁公司"]
    assert list(table["status"]) == ["ok", "error", "error", "ok"]
    assert {"3.1(3.1-1)", "4.1(4.1-1)"} <= set(table["eligible"][0].split(";"))
    assert "row 3 (id 乙公司)" in table["error"][1] and "negative amount -3" in table["error"][1]
    assert "row 4 (id 丙公司)" in table["error"][2] and "not a number" in table["error"][2]
    assert table["total_estimate_yuan"][3] == "" and "3.1" in table["needs_info"][3]
    assert any("2 行无法读取" in w.value for w in at.warning)


def test_batch_downloads_equal_what_policykg_check_writes(downloads, tmp_path, monkeypatch):
    from policykg.cli import main
    at = upload(BATCH.encode())
    no_errors(at)
    monkeypatch.chdir(tmp_path)  # the CLI names the file as given: enterprises.csv, as the upload does
    Path("enterprises.csv").write_text(BATCH, encoding="utf-8")
    for out in ("results.csv", "results.jsonl"):
        assert main(["check", "enterprises.csv", "--out", out, "--as-of", "2026-11-27",
                     "--corpus", str(XICHENG)]) == 2  # 2 rows unreadable
        assert downloads[out] == Path(out).read_bytes(), out
    rows = list(csv.DictReader(io.StringIO(downloads["results.csv"].decode("utf-8-sig"))))
    assert [r["row"] for r in rows] == ["2", "3", "4", "5"] and downloads["results.csv"].startswith(b"\xef\xbb\xbf")
    lines = downloads["results.jsonl"].decode("utf-8").splitlines()
    assert len(lines) == 4 and '"as_of": "2026-11-27"' in lines[0] and lines[1].startswith('{"input": 3, "error"')


def test_batch_reads_an_excel_csv_in_gb18030():
    at = upload("id,HighTechEnterprise,rdExpense,rdRatioAboveTarget\n甲公司,new,15000000,是\n乙公司,renewed,10000000,是\n"
                .encode("gb18030"))
    no_errors(at)
    table = at.dataframe[0].value
    assert list(table["id"]) == ["甲公司", "乙公司"] and list(table["status"]) == ["ok", "ok"]
    assert "3.1" in table["eligible"][0] and "3.1" not in table["eligible"][1]  # 1000万 is not 超过1000万元


@pytest.mark.parametrize("data, shown", [
    (b"id,HighTechEnterprize\nx,new\n", "enterprises.csv:line 1: unknown column 'HighTechEnterprize'"),
    (b"id,rdExpense,rdExpense\nx,1,2\n", "repeated column 'rdExpense'"),
    (b"id\n" + b"x\n" * 5001, "too many rows (more than 5000)"),
    (b"id\x00\x00", "binary"),
])
def test_batch_file_that_cannot_be_read_is_one_error_and_no_table(data, shown):
    at = upload(data)
    assert not at.exception and not at.dataframe
    assert len(at.error) == 1 and shown in at.error[0].value and at.error[0].value.startswith("无法读取该文件")


def test_legal_page_compares_the_draft_with_the_final_version(monkeypatch):
    monkeypatch.setenv("POLICYKG_VERSIONS_DIR", str(Path(__file__).resolve().parent / "data" / "versions"))
    at = run(P2)
    no_errors(at)
    at.selectbox(key="diff_old").set_value("xicheng_measures_draft")
    at.selectbox(key="diff_new").set_value("xicheng_final_test")
    at.button(key="diff_run").click().run()
    no_errors(at)
    report = at.session_state["diff_report"]
    assert [m["label"] for m in report["added"]] == ["第三条（五）"]
    table = at.dataframe[-1].value
    row = table[table["新条款"] == "第四条（一）"].iloc[0]
    assert row["变化"] == "修改" and "300000 → fixed 500000" in row["说明"]
    assert "给予30万元奖励" in row["旧文原文"] and "给予50万元奖励" in row["新文原文"]
    assert set(table["变化"]) == {"新增", "删除", "修改"}


def test_legal_page_same_document_twice_shows_no_difference(monkeypatch):
    monkeypatch.setenv("POLICYKG_VERSIONS_DIR", str(Path(__file__).resolve().parent / "data" / "versions"))
    at = run(P2)
    at.selectbox(key="diff_old").set_value("xicheng_final_test")
    at.selectbox(key="diff_new").set_value("xicheng_final_test")
    at.button(key="diff_run").click().run()
    no_errors(at)
    assert at.info and "两个版本的措施相同" in at.info[0].value
