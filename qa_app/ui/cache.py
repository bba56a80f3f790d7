"""The only Streamlit-aware loaders: build, lexicon, fields and SPARQL store, each loaded once per process."""
from __future__ import annotations

import streamlit as st

from . import profile, resources, sparql


@st.cache_resource(show_spinner="正在构建知识图谱…")
def loaded(corpus: str, review_dir: str):
    cfg = resources.app_config()
    return resources.load(resources.AppConfig(corpus=type(cfg.corpus)(corpus), review_dir=type(cfg.corpus)(review_dir),
                                              shapes=cfg.shapes))


@st.cache_resource
def lexicon():
    return profile.lexicon()


@st.cache_resource
def store(corpus: str, review_dir: str):
    """The console's query workers (processes killed at the time limit; sparql.Console), over every document."""
    lib = loaded(corpus, review_dir)
    graph = lib.library.graph if lib.library is not None else lib.build.graph
    return sparql.Console(graph.serialize(format="turtle"))


def current(*, one_document: bool = True):
    """(config, loaded library, lexicon) for the page being drawn. `one_document`: the page shows one
    document at a time; with several policies the sidebar picks which (the first by default)."""
    cfg = resources.app_config()
    lib = loaded(str(cfg.corpus), str(cfg.review_dir))
    policies = lib.policies()
    if one_document and len(policies) > 1:
        titles = {d.doc_id: d.short_title for d in policies}
        chosen = st.sidebar.selectbox("文件 / document", list(titles), format_func=titles.get, key="document")
        lib = lib.view(chosen)
    return cfg, lib, lexicon()


def language() -> str:
    choice = st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang_choice", horizontal=True)
    return "en" if choice == "English" else "zh"


def rebuild() -> None:
    """After a review save: the next page run rebuilds with the review layer."""
    loaded.clear()
    store.clear()
