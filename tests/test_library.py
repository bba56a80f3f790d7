"""The corpus folder as one library: kinds and titles, guides linked to the clauses they implement, citations
of 政策依据 resolved (or reported), checklists quoting the guide exactly, one profile across documents, versions."""
from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kg_builder.library import build_library, load_corpus, short_title
from kg_builder.views import measures_json

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
POLICIES = ROOT / "tests" / "data" / "policies"
SHANGMAO_GUIDE = "nansha_shangmao_jingying_gongxian_guide_2018"
JIGAI_GUIDE = "nansha_xianjin_zhizao_jigai_guide"


@pytest.fixture(scope="module")
def library():
    return build_library(CORPUS)


def test_every_document_of_the_folder_with_its_kind_and_title():
    kinds = {s.doc_id: (k, t) for s, k, t in load_corpus(CORPUS)}
    assert len(kinds) == 9
    assert {i for i, (k, _) in kinds.items() if k == "guide"} == {SHANGMAO_GUIDE, JIGAI_GUIDE}
    assert kinds["nansha_shangmao_2017"][1] == "广州南沙新区（自贸片区）促进商贸业发展扶持办法"


def test_without_metadata_the_kind_and_title_come_from_the_text(tmp_path):
    for name in (f"{SHANGMAO_GUIDE}.txt", "nansha_zhaoshang_yinjian_2017.txt"):  # the guide is GB18030
        shutil.copy(CORPUS / name, tmp_path / name)
    found = {s.doc_id: (k, t) for s, k, t in load_corpus(tmp_path)}
    assert found[SHANGMAO_GUIDE] == ("guide", "非总部内贸企业经营贡献奖办事指南")
    assert found["nansha_zhaoshang_yinjian_2017"] == ("policy", "广州南沙新区(自贸片区)招商项目引荐专项奖励办法")


@pytest.mark.parametrize("title, short", [
    ("广州南沙新区(自贸片区)促进商贸业发展扶持办法", "促进商贸业发展扶持办法"),
    ("广州南沙新区（自贸片区）先进制造业企业技改后奖补办事指南", "先进制造业企业技改后奖补办事指南"),
    ("非总部内贸企业经营贡献奖办事指南", "非总部内贸企业经营贡献奖办事指南"),
])
def test_short_titles_drop_the_jurisdiction(title, short):
    assert short_title(title) == short


def test_one_eli_work_per_document_in_one_graph(library):
    from rdflib.namespace import RDF

    from kg_builder.vocab import ELI
    works = {str(s).rsplit("/", 1)[-1] for s in library.graph.subjects(RDF.type, ELI.LegalResource)}
    assert works == set(library.documents)


def test_guide_citations_resolve_to_the_cited_documents(library):
    cites = {g: [(c["document"], c["resolved"]) for c in cs] for g, cs in library.citations.items()}
    # the notice that issued the whole "1+1+10" set names six documents at once; the 实施细则 are not in the corpus
    assert cites[SHANGMAO_GUIDE] == [(None, False), ("nansha_shangmao_2017", True), (None, False)]
    assert cites[JIGAI_GUIDE] == [("nansha_xianjin_zhizao_jianzhu_2017", True), (None, False)]
    guide = library.documents[JIGAI_GUIDE].text
    for cs in library.citations.values():
        for c in cs:
            assert guide is not None and c["citation"]["quote"] == library.documents[c["citation"]["document"]].text[
                c["citation"]["start"]:c["citation"]["end"]]
            assert c["resolved"] or c["note"]
    assert "实施细则" in library.citations[JIGAI_GUIDE][1]["title"]


def test_a_cited_article_resolves_to_its_span(tmp_path):
    shutil.copy(CORPUS / "nansha_zhaoshang_yinjian_2017.txt", tmp_path)
    shutil.copy(CORPUS / "nansha_zhaoshang_yinjian_2017.meta.yaml", tmp_path)
    (tmp_path / "yinjian_guide.txt").write_text(
        "招商项目引荐奖办事指南\n\n一、政策依据\n《广州南沙新区(自贸片区)招商项目引荐专项奖励办法》第三条\n"
        "二、申请条件\n（一）国内外投资咨询机构。\n三、申请材料\n（一）营业执照复印件；\n（二）项目引荐协议。\n",
        encoding="utf-8")
    lib = build_library(tmp_path)
    [c] = lib.citations["yinjian_guide"]
    assert (c["document"], c["clause"], c["article"]) == ("nansha_zhaoshang_yinjian_2017", "3", 3)
    text = lib.documents["nansha_zhaoshang_yinjian_2017"].text
    assert c["target"]["quote"] == text[c["target"]["start"]:c["target"]["end"]]
    assert c["target"]["quote"].lstrip().startswith("第三条")
    assert c["citation"]["quote"] == "《广州南沙新区(自贸片区)招商项目引荐专项奖励办法》第三条"


def test_guides_implement_the_clauses_their_standards_repeat(library):
    by_guide = {}
    for measure, links in library.links.items():
        for x in links:
            by_guide.setdefault(x["guide"], set()).add(measure)
    assert by_guide == {SHANGMAO_GUIDE: {"nansha_shangmao_2017/4.1-1", "nansha_shangmao_2017/4.2-1",
                                         "nansha_shangmao_2017/4.3-1"},  # 第四条 经营贡献奖 (一)-(三)
                        JIGAI_GUIDE: {"nansha_xianjin_zhizao_jianzhu_2017/9-1"}}  # 第九条 技改后奖补


def test_checklist_window_and_office_quote_the_guide_exactly(library):
    [link] = library.links["nansha_xianjin_zhizao_jianzhu_2017/9-1"]
    text = library.documents[JIGAI_GUIDE].text
    items = [i["item"] for i in link["checklist"]]
    assert items[0].startswith("《广州南沙新区（自贸片区）先进制造业企业技改后奖补申请表》")
    assert "营业执照" in items and items[-1] == "项目完工评价意见书。" and len(items) == 11
    for i in link["checklist"]:
        c = i["citation"]
        assert c["document"] == JIGAI_GUIDE and text[c["start"]:c["end"]] == c["quote"] == i["item"]
    w = link["application_window"]
    assert (w["opens"], w["closes"]) == ("2018-06-13", "2018-07-02")
    assert text[w["citation"]["start"]:w["citation"]["end"]] == w["text"] == "2018年集中受理申请时间为6月13日-7月2日。"
    assert link["office"]["text"].startswith("广州南沙开发区政策兑现窗口")
    shangmao = library.links["nansha_shangmao_2017/4.2-1"][0]
    gtext = library.documents[SHANGMAO_GUIDE].text
    assert [i["item"] for i in shangmao["checklist"]][4].startswith("2017年12月统计月报表")
    assert all(gtext[i["citation"]["start"]:i["citation"]["end"]] == i["item"] for i in shangmao["checklist"])


def test_guide_conditions_join_the_measures_they_implement_cited_to_the_guide(library):
    doc = library.documents["nansha_xianjin_zhizao_jianzhu_2017"]
    m = next(x for x in measures_json(doc.build.graph, doc.doc_id) if x["id"].endswith("/9-1"))
    from_guide = [c for c in m["conditions"] if c["citation"]["document"] == JIGAI_GUIDE]
    gtext = library.documents[JIGAI_GUIDE].text
    assert from_guide and all(gtext[c["citation"]["start"]:c["citation"]["end"]] == c["citation"]["quote"]
                              for c in from_guide)
    assert ("industry", ["C"]) in [(c["kind"], c.get("concepts")) for c in from_guide]  # 制造业企业
    assert any(c["kind"] == "text" and "规模以上工业企业" in c["text"] for c in from_guide)
    other = next(x for x in measures_json(doc.build.graph, doc.doc_id) if x["id"].endswith("/10-1"))
    assert all(c["citation"]["document"] == doc.doc_id for c in other["conditions"])


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """Four policies, one profile that meets a measure in three of them."""
    folder = tmp_path_factory.mktemp("three")
    shutil.copy(CORPUS / "xicheng_measures_draft.txt", folder)
    shutil.copy(CORPUS / "xicheng_measures_draft.meta.yaml", folder)
    for name in ("digital_economy", "talent_incubator", "ip_finance"):
        shutil.copy(POLICIES / f"{name}.txt", folder)
    return build_library(folder)


def test_one_profile_across_the_corpus_gets_results_from_every_document_it_qualifies_in(three):
    from reasoner.library import assess_library
    from reasoner.profile import profile_from_dict
    profile = profile_from_dict({"id": "p", "qualifications": {"HighTechEnterprise": "new", "NationalIncubator": "new"},
                                 "roles": ["运营机构"],  # the applicability words of each text, confirmed
                                 "confirmed": ["xicheng_measures_draft/4.1-1", "digital_economy/3.2-1",
                                               "talent_incubator/2-1"]})
    report = assess_library(profile, three)
    eligible = {(r["document"], r["clause"]) for r in report["results"] if r["status"] == "eligible"}
    assert {("xicheng_measures_draft", "4.1"), ("digital_economy", "3.2"), ("talent_incubator", "2")} <= eligible
    assert not any(d == "ip_finance" for d, _ in eligible)
    groups = {g["document"]: g for g in report["documents"]}
    assert set(groups) == {"xicheng_measures_draft", "digital_economy", "talent_incubator", "ip_finance"}
    assert report["total_estimate_yuan"] == sum(g["total_estimate_yuan"] for g in groups.values()
                                                if g["total_estimate_yuan"] is not None)
    assert report["total_estimate_yuan"] >= Decimal(300000 + 200000 + 1000000)
    assert set(report) >= {"profile", "as_of", "same_project", "policy", "results", "forgone", "joint_caps",
                           "total_estimate_yuan"}
    only = assess_library(profile, three, only=["digital_economy"])
    assert {r["document"] for r in only["results"]} == {"digital_economy"}


def test_check_cli_json_groups_by_document_and_doc_restricts(three, capsys, tmp_path):
    from policykg.cli import main
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"id": "p", "qualifications": {"HighTechEnterprise": "new"}}), encoding="utf-8")
    folder = three.path
    assert main(["check", str(profile), "--json", "--corpus", str(folder), "--doc", "digital_economy",
                 "--doc", "xicheng_measures_draft"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [g["document"] for g in report["documents"]] == ["digital_economy", "xicheng_measures_draft"]
    assert all(r["document"] in ("digital_economy", "xicheng_measures_draft") for r in report["results"])
    assert main(["check", str(profile), "--corpus", str(folder), "--doc", "nope"]) == 2
    assert "no document 'nope'" in capsys.readouterr().err


def test_measures_json_names_the_document(capsys):
    from policykg.cli import main
    assert main(["measures", "--json", "--corpus", str(POLICIES / "digital_economy.txt")]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items and all(m["document"] == "digital_economy" == m["citation"]["document"] for m in items)


def _version(folder: Path, doc_id: str, text: str, **meta) -> None:
    import yaml
    (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / f"{doc_id}.meta.yaml").write_text(yaml.safe_dump({"id": doc_id, **meta}, allow_unicode=True),
                                                encoding="utf-8")


def test_as_of_checks_the_version_in_force_that_day(tmp_path):
    from reasoner.library import assess_library
    from reasoner.profile import profile_from_dict
    text = (POLICIES / "digital_economy.txt").read_text(encoding="utf-8")
    _version(tmp_path, "de_draft", text, title="数字经济措施（征求意见稿）", status="征求意见稿")
    _version(tmp_path, "de_final", text.replace("20万元", "30万元", 1), title="数字经济措施", status="正式文本",
             date_in_force="2027-01-01", replaces="de_draft", note="made-up test version")
    lib = build_library(tmp_path)
    profile = profile_from_dict({"id": "p", "qualifications": {"HighTechEnterprise": "new"},
                                 "confirmed": ["de_draft/3.2-1", "de_final/3.2-1"]})
    before = assess_library(profile, lib, as_of=date(2026, 12, 1))
    after = assess_library(profile, lib, as_of=date(2027, 2, 1))
    latest = assess_library(profile, lib)
    assert {r["document"] for r in before["results"]} == {"de_draft"}
    assert {r["document"] for r in after["results"]} == {"de_final"} == {r["document"] for r in latest["results"]}
    assert before["versions"][0]["document"] == "de_final" and after["versions"][0]["document"] == "de_draft"
    amount = {r["document"]: r["estimate_yuan"] for rep in (before, after) for r in rep["results"]
              if r["clause"] == "3.2" and r["status"] == "eligible"}
    assert amount == {"de_draft": Decimal(200000), "de_final": Decimal(300000)}


@pytest.fixture(scope="module")
def binhe(tmp_path_factory):
    """A policy and a made-up guide implementing its 第三条（二） (tests/data/library/binhe)."""
    folder = tmp_path_factory.mktemp("binhe")
    for f in ("digital_economy.txt", "digital_economy.meta.yaml"):
        shutil.copy(POLICIES / f, folder)
    for f in (ROOT / "tests" / "data" / "library" / "binhe").iterdir():
        shutil.copy(f, folder)
    return folder


def test_check_json_gives_the_guides_checklist_window_and_office_cited(binhe, tmp_path, capsys):
    from policykg.cli import main
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"id": "p", "qualifications": {"HighTechEnterprise": "new"},
                                   "confirmed": ["digital_economy/3.2-1"]}), encoding="utf-8")
    assert main(["check", str(profile), "--json", "--corpus", str(binhe)]) == 0
    report = json.loads(capsys.readouterr().out)
    guide = (binhe / "binhe_gaoqi_guide.txt").read_text(encoding="utf-8")
    r = next(r for r in report["results"] if r["measure"] == "digital_economy/3.2-1")
    assert r["status"] == "eligible" and r["guides"] == [{"document": "binhe_gaoqi_guide",
                                                          "title": "国家高新技术企业认定奖励办事指南"}]
    assert [i["item"] for i in r["checklist"]] == ["滨河区高新技术企业奖励申请表（原件，加盖公章）",
                                                   "国家高新技术企业证书（复印件，核原件）", "营业执照（复印件）。"]
    for cited in [i["citation"] for i in r["checklist"]] + [r["application_window"]["citation"], r["office"]["citation"]]:
        assert cited["document"] == "binhe_gaoqi_guide" and guide[cited["start"]:cited["end"]] == cited["quote"]
    assert (r["application_window"]["opens"], r["application_window"]["closes"]) == ("2026-03-01", "2026-03-31")
    # the guide's condition names two statuses (首次认定或通过复审): kept verbatim, to confirm
    renewed = next(r for r in report["results"] if r["measure"] == "digital_economy/3.2-2")
    assert renewed["status"] == "ineligible" and "checklist" not in renewed
    other = next(r for r in report["results"] if r["measure"] == "digital_economy/3.3-1")
    assert "checklist" not in other


def test_build_lists_guide_citations_and_writes_the_union_graph(binhe, tmp_path, capsys):
    from policykg.cli import main
    assert main(["build", "--corpus", str(binhe), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "cites 《滨河区促进数字经济高质量发展若干措施》第三条 → digital_economy 第3条" in out
    assert "implements: digital_economy/3.2-1, digital_economy/3.2-2" in out
    assert (tmp_path / "library.ttl").stat().st_size > 0 and (tmp_path / "binhe_gaoqi_guide.ttl").stat().st_size > 0


def test_guides_of_other_layouts_bracketed_and_inline_headings(tmp_path):
    """【申报条件】-style headings with the content on the same line, 一、申请条件：… inline, 1、 items, a cited
    title followed by （试行）and 第三条第（一）项, no metadata at all."""
    for f in ("digital_economy.txt", "digital_economy.meta.yaml"):
        shutil.copy(POLICIES / f, tmp_path)
    for f in (ROOT / "tests" / "data" / "library" / "layouts").iterdir():
        shutil.copy(f, tmp_path)
    lib = build_library(tmp_path)
    bracket, inline = lib.documents["bracket_headings_guide"], lib.documents["inline_headings_guide"]
    assert bracket.kind == inline.kind == "guide"
    [c] = lib.citations["bracket_headings_guide"]
    assert (c["document"], c["article"], c["item"], c["clause"]) == ("digital_economy", 3, 1, "3.1")
    assert c["citation"]["quote"] == "《滨河区促进数字经济高质量发展若干措施》（试行）第三条第（一）项"
    assert {m for m, links in lib.links.items() if any(x["guide"] == "bracket_headings_guide" for x in links)} == \
        {"digital_economy/3.1-1", "digital_economy/3.1-2", "digital_economy/3.1-3"}
    w = bracket.guide.window
    assert (w["opens"], w["closes"]) == (date(2025, 4, 1), date(2025, 4, 30))
    assert bracket.guide.office["text"] == "滨河区经济和信息化局（滨河大道8号）"
    assert [inline.text[a:b] for a, b, _ in inline.guide.items("materials")] == ["申请表", "研发费用专项审计报告。"]
    assert inline.guide.office["text"] == "区政务服务中心3号窗口" and inline.guide.window is None  # 受理时间 = hours
    assert lib.citations["inline_headings_guide"][0]["document"] == "digital_economy"


def test_a_citation_by_document_number_alone_resolves_through_the_metadata(tmp_path):
    import yaml
    shutil.copy(POLICIES / "digital_economy.txt", tmp_path)
    meta = yaml.safe_load((POLICIES / "digital_economy.meta.yaml").read_text(encoding="utf-8"))
    (tmp_path / "digital_economy.meta.yaml").write_text(
        yaml.safe_dump({**meta, "doc_number": "滨经信〔2025〕3号"}, allow_unicode=True), encoding="utf-8")
    (tmp_path / "by_number_guide.txt").write_text(
        "数字经济奖励办事指南\n一、政策依据\n根据滨经信［2025］3号文第四条\n二、申请条件\n（一）数字经济企业。\n"
        "三、申请材料\n（一）申请表。\n", encoding="utf-8")
    [c] = build_library(tmp_path).citations["by_number_guide"]
    assert (c["number"], c["document"], c["clause"]) == ("滨经信〔2025〕3号", "digital_economy", "4")
    assert c["citation"]["quote"] == "滨经信［2025］3号文第四条"


def test_one_profile_across_the_shipped_corpus(library):
    """A profile built to meet one measure in each of three real texts (their applicability words confirmed):
    results from exactly those documents, and the 商贸 guide's checklist on the measure it implements."""
    from reasoner.library import assess_library
    from reasoner.profile import profile_from_dict
    facts = {"id": "p", "qualifications": {"HighTechEnterprise": "new"}, "quantities": {"salesAmount": 40000000},
             "industry": "E",  # 先进制造 第三条（三）pays 新落户的非总部型建筑业企业 at both levels; 第一条 …的制造业和建筑业企业
             "confirmed": ["xicheng_measures_draft/4.1-1", "nansha_xianjin_zhizao_jianzhu_2017/3.3-2",
                           "nansha_shangmao_2017/4.2-1"]}
    first = assess_library(profile_from_dict(facts), library)
    [pending] = [r for r in first["results"] if r["measure"] == "nansha_shangmao_2017/4.2-1"]
    assert pending["status"] == "needs_info" and pending["checklist"]  # 零售额同比增长 not given yet
    facts["quantities"].update({f: 0.2 for f in pending["missing_fields"] if f != "confirmed"})  # +20%
    report = assess_library(profile_from_dict(facts), library)
    eligible = {r["measure"] for r in report["results"] if r["status"] == "eligible"}
    assert {"xicheng_measures_draft/4.1-1", "nansha_xianjin_zhizao_jianzhu_2017/3.3-2",
            "nansha_shangmao_2017/4.2-1"} <= eligible
    assert {m.split("/")[0] for m in eligible} == {"xicheng_measures_draft", "nansha_xianjin_zhizao_jianzhu_2017",
                                                   "nansha_shangmao_2017"}
    [r] = [r for r in report["results"] if r["measure"] == "nansha_shangmao_2017/4.2-1"]
    guide = library.documents[SHANGMAO_GUIDE].text
    assert r["guides"][0]["document"] == SHANGMAO_GUIDE and len(r["checklist"]) == 8
    assert all(guide[i["citation"]["start"]:i["citation"]["end"]] == i["item"] for i in r["checklist"])
    assert r["application_window"]["opens"] == "2018-06-13" and r["office"]["text"].startswith("广州南沙开发区政策兑现窗口")
    totals = {g["document"]: g["total_estimate_yuan"] for g in report["documents"]}
    assert totals["xicheng_measures_draft"] == Decimal(300000) and totals["nansha_xianjin_zhizao_jianzhu_2017"] == Decimal(5000000)
