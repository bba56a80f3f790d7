"""The app over a folder of documents (AppTest): the self-check page filters by document, every card names its
document, eligible cards show the guide's window and checklist."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
P1 = str(ROOT / "qa_app" / "pages" / "1_政策问答与资格自测.py")
FILES = ["tests/data/policies/digital_economy.txt", "tests/data/policies/digital_economy.meta.yaml",
         "tests/data/policies/talent_incubator.txt", "tests/data/library/binhe/binhe_gaoqi_guide.txt",
         "tests/data/library/binhe/binhe_gaoqi_guide.meta.yaml"]


@pytest.fixture(autouse=True)
def folder(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.getbasetemp() / "app_library"
    if not path.exists():
        path.mkdir()
        for f in FILES:
            shutil.copy(ROOT / f, path)
    monkeypatch.setenv("POLICYKG_CORPUS", str(path))
    monkeypatch.setenv("POLICYKG_REVIEW_DIR", str(tmp_path_factory.getbasetemp() / "app_library_reviews"))
    return path


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "text", "caption", "title", "subheader")
                     for e in getattr(at, kind))


def run(page: str, **state) -> AppTest:
    at = AppTest.from_file(page, default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_eligible_card_names_its_document_and_shows_the_guides_window_and_checklist():
    facts = {"id": "form", "qualifications": {"HighTechEnterprise": "new"}, "confirmed": ["digital_economy/3.2-1"]}
    at = run(P1, profile_facts=facts, profile_as_of=None)
    ok(at)
    result = at.session_state["last_result"]
    [card] = [r for r in result["results"] if r["measure"] == "digital_economy/3.2-1"]
    assert card["status"] == "eligible" and card["document_title"] == "促进数字经济高质量发展若干措施"
    out = texts(at)
    assert "《促进数字经济高质量发展若干措施》 digital_economy/3.2-1" in out
    assert "2026年3月1日至3月31日集中受理，逾期不予受理。" in out  # the guide's words, as written
    assert "- 国家高新技术企业证书（复印件，核原件）" in out
    assert "滨河区政务服务中心经济和信息化局窗口" in out


def test_document_filter_restricts_questions_and_checks():
    at = run(P1)
    ok(at)
    at.multiselect(key="doc_filter").set_value(["talent_incubator"])
    at.text_input(key="question").input("国家级科技企业孵化器运营机构有什么奖励")
    at.button[0].click().run()
    ok(at)
    answers = at.session_state["answers"]["answers"]
    assert answers and {a["document"] for a in answers} == {"talent_incubator"}
    assert "《促进科技企业孵化器" in texts(at) or "《" in texts(at)
    at.session_state["profile_facts"] = {"id": "form", "qualifications": {"HighTechEnterprise": "new"}}
    at.run()
    ok(at)
    assert {r["document"] for r in at.session_state["last_result"]["results"]} == {"talent_incubator"}


P2 = str(ROOT / "qa_app" / "pages" / "2_条文核对.py")


@pytest.mark.parametrize("state, expected", [
    ({}, "digital_economy"),                                          # nothing chosen: the first
    ({"chosen_document": "talent_incubator"}, "talent_incubator"),    # chosen on another page
    ({"filtered_documents": ["talent_incubator"]}, "talent_incubator"),  # the self-check filter kept one
    ({"filtered_documents": ["digital_economy", "talent_incubator"]}, "digital_economy"),
])
def test_one_document_pages_open_on_the_document_chosen_elsewhere(state, expected):
    at = run(P2, **state)
    ok(at)
    assert at.sidebar.selectbox(key="document").value == expected


def test_self_check_filter_survives_leaving_the_page():
    at = run(P1, filtered_documents=["talent_incubator"])
    ok(at)
    assert at.multiselect(key="doc_filter").value == ["talent_incubator"]
