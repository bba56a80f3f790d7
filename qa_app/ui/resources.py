"""What the app loads once: the build of the policy (graph, text, measures) and its SPARQL store.
Paths come from the environment so tests can point at a temporary review directory."""
from __future__ import annotations

import os
from dataclasses import dataclass
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
    return AppConfig(corpus=Path(env("POLICYKG_CORPUS", ROOT / "corpus" / "xicheng_measures_draft.txt")),
                     review_dir=Path(env("POLICYKG_REVIEW_DIR", ROOT / "corpus" / "reviews")),
                     shapes=ROOT / "ontology" / "structure_shapes.ttl")


@dataclass
class Loaded:
    build: object  # kg_builder.build.BuildResult
    measures: list[dict]
    labels: dict[str, str]  # clause id → label

    @cached_property
    def index(self):
        """The retrieval index of this build, made on the first question and kept as long as the build."""
        from .qa import make_index
        return make_index(self)


def load(cfg: AppConfig) -> Loaded:
    from kg_builder.cache import cached_build
    from kg_builder.config import BuildConfig
    from kg_builder.views import measures_json
    build = cached_build(cfg.corpus, config=BuildConfig(review_dir=cfg.review_dir))  # rebuilt when a review changes
    labels = {c.clause: c.label for c in build.extraction.structure.clauses()}
    return Loaded(build, measures_json(build.graph, build.doc_id), labels)


def clause_spans(loaded: Loaded) -> dict[str, tuple[int, int]]:
    return {c.clause: (c.start, c.end) for c in loaded.build.extraction.structure.clauses()}
