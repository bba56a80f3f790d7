"""Regenerate tests/data/genre_reading/known_gaps.yaml from a run of tests/test_genre_reading.py (reasons = first line of each failure).

Run from the project root: .venv/bin/python scripts/genre_gaps.py — then read the diff: a gap that disappeared is progress, a new one is a regression."""
import re, sys, yaml, pathlib, pytest
ROOT = pathlib.Path(__file__).resolve().parents[1]  # the checkout this script is in, whatever the cwd
sys.path.insert(0, str(ROOT))  # its code, not an installed copy of another checkout
p = ROOT / "tests/data/genre_reading/known_gaps.yaml"
head = "".join(l for l in p.read_text().splitlines(True) if l.startswith("#"))
OLD = p.read_text()[len(head):]
p.write_text(head)  # the run must not xfail what it is measuring; the list is written again at the end
gaps = {}
class Hook:
    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.failed:
            test, ident = re.match(r".*::(\w+)\[(.+)\]$", report.nodeid).groups()
            doc, key = (ident, "applicability") if test.startswith("test_applicability") else ident.split(":", 1)
            msg = str(report.longrepr.reprcrash.message).splitlines()[0]
            msg = re.sub(r"^AssertionError:\s*", "", msg)[:150]
            gaps.setdefault(doc, {})[key] = msg
try:
    pytest.main(["-q", "-p", "no:cacheprovider", str(ROOT / "tests/test_genre_reading.py")], plugins=[Hook()])
finally:  # an interrupted run leaves the list it found, not an empty one
    if not gaps:
        p.write_text(head + OLD)
p.write_text(head + yaml.safe_dump(gaps, allow_unicode=True, sort_keys=True, width=250))
print(sum(len(v) for v in gaps.values()), "gaps")
