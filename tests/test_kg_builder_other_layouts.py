"""Other policies of the genre go through the same pipeline: measures with amounts and exact quotes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from kg_builder.build import build_source
from kg_builder.views import measures_json

SAMPLES = sorted(p for p in (Path(__file__).parent / "data/layouts").glob("*.txt") if p.stem != "no_structure")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_gives_measures_with_exact_quotes(path, tmp_path):
    from kg_builder.config import BuildConfig
    result = build_source(path, config=BuildConfig(review_dir=tmp_path))
    measures = measures_json(result.graph, result.doc_id)
    assert measures, "no measure extracted"
    assert any(m["amounts"] for m in measures)
    for m in measures:
        for fact in [m, *m["conditions"], *m["amounts"]]:
            c = fact["citation"]
            assert result.text[c["start"]:c["end"]] == c["quote"]


def test_measures_command_on_another_layout():
    proc = subprocess.run([sys.executable, "-m", "policykg.cli", "measures", "--json", "--corpus", str(SAMPLES[0])],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.lstrip().startswith("[")
