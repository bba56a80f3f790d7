"""Shared fixtures: the Xicheng build (once per session) and paths."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
XICHENG = ROOT / "corpus" / "xicheng_measures_draft.txt"


@pytest.fixture(scope="session")
def xicheng():
    from kg_builder.build import build_source
    return build_source(XICHENG)
