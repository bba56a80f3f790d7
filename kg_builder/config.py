"""One frozen configuration object passed down explicitly (cf. pySHACL's single validate())."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = Path(__file__).resolve().parent / "resources"


@dataclass(frozen=True)
class BuildConfig:
    """Where things live and how IRIs are minted."""

    corpus_dir: Path = ROOT / "corpus"
    review_dir: Path = ROOT / "corpus" / "reviews"
    ontology_dir: Path = ROOT / "ontology"
    lexicon_path: Path = RESOURCES / "lexicon.yaml"
    base_iri: str = "https://w3id.org/policykg/id/"
    apply_reviews: bool = True
    extra_lexicon: tuple[Path, ...] = field(default_factory=tuple)


DEFAULT_CORPUS = ROOT / "corpus" / "xicheng_measures_draft.txt"  # the text everything was tuned on
DEFAULT_LIBRARY = ROOT / "corpus"  # the corpus folder: every document, the default of every command
