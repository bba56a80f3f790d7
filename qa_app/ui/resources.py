"""What the app loads once: the library of the corpus (every document's build, the guides, one graph) and its
SPARQL store; per document, a view with its build, measures and labels for the pages that show one document.
Paths come from the environment (POLICYKG_CORPUS: a file or a folder) so tests can point elsewhere."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class AppConfig:
    corpus: Path
    review_dir: Path
    shapes: Path
    max_upload_bytes: int = 2 * 1024 * 1024
    max_batch_rows: int = 5000  # enterprises in one uploaded CSV
    batch_chunk: int = 250  # profiles per compiled check run (the progress bar moves per chunk)
    sparql_rows: int = 500
    sparql_seconds: float = 5.0


def app_config() -> AppConfig:
    env = os.environ.get
    return AppConfig(corpus=Path(env("POLICYKG_CORPUS", ROOT / "corpus")),
                     review_dir=Path(env("POLICYKG_REVIEW_DIR", ROOT / "corpus" / "reviews")),
                     shapes=ROOT / "ontology" / "structure_shapes.ttl")


@dataclass
class Loaded:
    build: object  # kg_builder.build.BuildResult of the document shown (pages about one document)
    measures: list[dict]  # every policy's measures (ids name the document)
    labels: dict[str, str]  # clause id → label, of the document shown
    library: object = None  # kg_builder.library.Library
    views: dict = field(default_factory=dict)

    @cached_property
    def index(self):
        """The retrieval index of the whole library, made on the first question and kept as long as the build."""
        from .qa import make_index
        return make_index(self)

    def text_of(self, document: str) -> str:
        d = self.library.documents.get(document) if self.library is not None else None
        return d.text if d is not None else self.build.text

    def policies(self) -> list:
        return self.library.policies() if self.library is not None else []

    def view(self, doc_id: str | None) -> "Loaded":
        """The same library seen as one document (review, audit, batch pages)."""
        docs = {d.doc_id: d for d in self.policies()}
        if doc_id not in docs or doc_id == self.build.doc_id:
            return self
        if doc_id not in self.views:
            build = docs[doc_id].build
            self.views[doc_id] = Loaded(build, self.measures, _labels(build), self.library)
        return self.views[doc_id]


def _labels(build) -> dict[str, str]:
    return {c.clause: c.label for c in build.extraction.structure.clauses()}


def load(cfg: AppConfig) -> Loaded:
    from kg_builder.config import BuildConfig
    from kg_builder.library import build_library
    from kg_builder.views import measures_json
    library = build_library(cfg.corpus, config=BuildConfig(review_dir=cfg.review_dir))
    policies = library.policies()
    if not policies:
        from kg_builder.errors import PolicyInputError
        raise PolicyInputError(str(cfg.corpus), "holds no policy (guides grant nothing themselves)",
                               expected="at least one policy text")
    build = policies[0].build
    measures = [m for d in policies for m in measures_json(d.build.graph, d.doc_id)]
    return Loaded(build, measures, _labels(build), library)


def clause_spans(loaded: Loaded) -> dict[str, tuple[int, int]]:
    return {c.clause: (c.start, c.end) for c in loaded.build.extraction.structure.clauses()}
