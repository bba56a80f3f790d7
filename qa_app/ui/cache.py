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
        options = list(titles)
        index = None if "document" in st.session_state else options.index(opening_document(options))
        chosen = st.sidebar.selectbox("文件 / document", options, format_func=titles.get, key="document",
                                      **({} if index is None else {"index": index}))
        st.session_state[CHOSEN] = chosen
        lib = lib.view(chosen)
    return cfg, lib, lexicon()


CHOSEN, FILTERED = "chosen_document", "filtered_documents"


def opening_document(options: list[str]) -> str:
    """The document a one-document page opens on: the one last chosen on any page, else the only one the
    self-check page's filter kept, else the first. Streamlit forgets a widget's value when the page that drew it
    is left, so the choice is remembered under keys no widget owns."""
    chosen = st.session_state.get(CHOSEN)
    if chosen in options:
        return chosen
    kept = [d for d in st.session_state.get(FILTERED) or [] if d in options]
    return kept[0] if len(kept) == 1 else options[0]


def language() -> str:
    choice = st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang_choice", horizontal=True)
    return "en" if choice == "English" else "zh"


def rebuild() -> None:
    """After a review save: the next page run rebuilds with the review layer."""
    loaded.clear()
    store.clear()
