"""Data flows one way: kg_builder imports neither reasoner nor qa_app; reasoner never imports qa_app."""
import ast

import pytest

from conftest import ROOT


def imported_packages(package: str) -> set[str]:
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package,forbidden", [("kg_builder", {"reasoner", "qa_app", "policykg"}),
                                                ("reasoner", {"qa_app"})])
def test_no_upstream_imports(package, forbidden):
    assert imported_packages(package) & forbidden == set()
