"""The question index of a corpus folder, cached whole: `policykg ask` starts without rdflib graphs.

`cached_index(folder, config)` returns the ClauseIndex `qa_app.answer.index_from_library` builds — passages,
BM25 (its tokens counted), titles, the measures by clause — read back from one pickle,
`$POLICYKG_CACHE/ask/<folder name>-<key>.pickle`. The key is the cache key of every document of the folder
(kg_builder.cache.build_key: its text, metadata, review file, the lexicon, the build configuration, the
kg_builder code), the retrieval configuration and the qa_app code: change any of them and the index is
built again. Instead of the library graph it holds a `GraphSnapshot` (the graph's N-Triples, loaded into
pyoxigraph only when a question is answered from the graph, its documents and their source texts), which
qa_app.graphqa and qa_app.abstain read like the graph. The library itself (each policy's graph, for a
self-description's eligibility check) is built only when asked for (`library_of`). Passage vectors are not
stored here: they come from the encoder's own cache (qa_app.retrieval.embed_passages), keyed on the model.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 1


@dataclass
class GraphSnapshot:
    """What graphqa and abstain read of a graph, without rdflib: its N-Triples (a pyoxigraph store on first
    use), its documents (graphqa.Document) and each document's pk:sourceText by IRI."""
    ntriples: bytes
    documents: list
    texts: dict  # document IRI → source text
    _store: object = field(default=None, repr=False, compare=False)

    def store(self):
        if self._store is None:
            import pyoxigraph as ox
            store = ox.Store()
            store.load(self.ntriples, ox.RdfFormat.N_TRIPLES)
            self._store = store
        return self._store

    def __getstate__(self):
        return {**self.__dict__, "_store": None}


def snapshot_of(graph) -> GraphSnapshot:
    from kg_builder.vocab import PK
    from qa_app.graphqa import documents

    texts = {str(s): str(o) for s, o in graph.subject_objects(PK.sourceText)}
    return GraphSnapshot(graph.serialize(format="nt", encoding="utf-8"), documents(graph), texts)


def index_key(folder: Path, config) -> str:
    from kg_builder.cache import build_key, code_version
    from kg_builder.corpus import corpus_files

    qa_app = Path(__file__).resolve().parent
    parts = [f"v{VERSION}", repr(config), code_version(qa_app)]
    parts += [":".join(build_key(p)) for p in corpus_files(folder)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:40]


def _target(folder: Path, key: str) -> Path:
    from kg_builder.cache import cache_root
    return cache_root() / "ask" / f"{folder.resolve().name}-{key}.pickle"


def cached_index(folder: Path, config):
    """The index of every document of `folder` (see the module docstring); built and stored on a miss."""
    from kg_builder import cache
    from qa_app.answer import index_from_library

    folder = Path(folder)
    if not cache.enabled() or not folder.is_dir():
        return index_from_library(_build(folder), config=config)
    key = index_key(folder, config)
    target = _target(folder, key)
    stored = cache._load(target)
    if isinstance(stored, dict) and stored.get("version") == VERSION:
        return _restore(stored, folder, config)
    library = _build(folder)
    index = index_from_library(library, config=config)
    stored = {"version": VERSION, "passages": index.passages, "lexicon": index.lexicon, "bm25": index.bm25,
              "texts": index.texts, "titles": index.titles, "doc_bm25": index.doc_bm25, "doc_ids": index.doc_ids,
              "document": index.document, "passage_texts": index.extras.get("passage_texts"),
              "measures": index.extras["measures"], "graph": snapshot_of(library.graph)}
    cache._store(target, stored, group=f"{folder.resolve().name}-", tail=r"[0-9a-f]{40}")
    index.extras["corpus"] = folder
    return index


def _build(folder: Path):
    from kg_builder.library import build_library
    return build_library(folder)


def _restore(stored: dict, folder: Path, config):
    from qa_app.retrieval import ClauseIndex, encoder_vectors

    encoder, vectors = encoder_vectors(stored["passage_texts"], config)
    index = ClauseIndex(stored["document"], "", stored["passages"], stored["lexicon"], config, stored["bm25"],
                        encoder, vectors, texts=stored["texts"], titles=stored["titles"], doc_bm25=stored["doc_bm25"],
                        doc_ids=stored["doc_ids"])
    index.extras.update(measures=stored["measures"], graph=stored["graph"], corpus=folder,
                        passage_texts=stored["passage_texts"])
    return index


def library_of(index):
    """The index's library (kg_builder.library.Library): built on first use for a cached index."""
    library = index.extras.get("library")
    if library is None and index.extras.get("corpus") is not None:
        library = index.extras["library"] = _build(index.extras["corpus"])
    return library
