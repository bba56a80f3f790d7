"""tests/data/devset/*.json are copies of the shared public dev set, so a clone alone runs every test;
where ../shared is present they must be identical to it."""
import pytest

from conftest import ROOT, SHARED


@pytest.mark.parametrize("name", ["questions.json", "profiles.json"])
def test_copy_matches_shared(name):
    copy = ROOT / "tests" / "data" / "devset" / name
    assert copy.stat().st_size > 0
    original = SHARED / "dev" / name
    if not original.exists():
        pytest.skip("../shared is not next to this checkout")
    assert copy.read_bytes() == original.read_bytes()
