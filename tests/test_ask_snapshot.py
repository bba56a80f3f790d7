"""qa_app.snapshot: ask's index of a folder read back from its cache answers exactly like the index built from
the library (retrieval, graph questions, abstention, a self-description's eligibility check)."""
from kg_builder.config import DEFAULT_LIBRARY
from qa_app import snapshot
from qa_app.answer import ask, index_from_library
from qa_app.retrieval import RetrievalConfig

QUESTIONS = ["孵化器支持资金上限", "哪些条款按市级资金1:0.5给予配套", "西城的措施中定额奖励最高是多少",
             "商贸业办法有多少条款给钱", "深圳的企业所得税优惠", "How much for a high-tech enterprise?",
             "我们是新认定的高企，研发费用1500万元，能申请哪些"]


def test_the_cached_index_answers_like_the_built_one():
    from kg_builder.library import build_library

    config = RetrievalConfig()
    built = index_from_library(build_library(DEFAULT_LIBRARY), config=config)
    snapshot.cached_index(DEFAULT_LIBRARY, config)  # stored if it was not
    cached = snapshot.cached_index(DEFAULT_LIBRARY, config)
    assert isinstance(cached.extras["graph"], snapshot.GraphSnapshot) and "library" not in cached.extras
    assert [p for p in cached.passages] == built.passages and (cached.vectors == built.vectors).all()
    for q in QUESTIONS:
        assert ask(q, index=cached) == ask(q, index=built), q
    assert "library" in cached.extras  # built on demand for the self-description's eligibility check


def test_a_changed_document_changes_the_key(tmp_path):
    import shutil
    folder = tmp_path / "corpus"
    shutil.copytree(DEFAULT_LIBRARY, folder)
    before = snapshot.index_key(folder, RetrievalConfig())
    text = next(folder.glob("xicheng*.txt"))
    text.write_bytes(text.read_bytes() + "\n".encode("utf-8"))
    assert snapshot.index_key(folder, RetrievalConfig()) != before
    assert snapshot.index_key(folder, RetrievalConfig(fusion="bm25")) != snapshot.index_key(folder, RetrievalConfig())
