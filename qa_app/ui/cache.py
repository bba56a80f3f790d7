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
    """The console's query workers (processes killed at the time limit; sparql.Console)."""
    return sparql.Console(loaded(corpus, review_dir).build.graph.serialize(format="turtle"))


def current():
    """(config, loaded build, lexicon) for the page being drawn."""
    cfg = resources.app_config()
    return cfg, loaded(str(cfg.corpus), str(cfg.review_dir)), lexicon()


def language() -> str:
    choice = st.sidebar.radio("语言 / Language", ["中文", "English"], key="lang_choice", horizontal=True)
    return "en" if choice == "English" else "zh"


def rebuild() -> None:
    """After a review save: the next page run rebuilds with the review layer."""
    loaded.clear()
    store.clear()
