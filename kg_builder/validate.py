"""Validate a built graph against the structure shapes (ontology/structure_shapes.ttl) with pySHACL."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH

from .config import BuildConfig
from .rdf import context_aware


@dataclass(frozen=True)
class Problem:
    severity: str  # Violation | Warning
    focus: str
    message: str


def validate_structure(graph: Graph, *, config: BuildConfig = BuildConfig()) -> tuple[bool, list[Problem]]:
    shapes = Graph().parse(Path(config.ontology_dir) / "structure_shapes.ttl")
    conforms, report, _ = validate(context_aware(graph), shacl_graph=shapes, advanced=True, allow_warnings=True)
    problems = []
    for result in report.subjects(SH.resultSeverity, None):
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        problems.append(Problem(severity, str(report.value(result, SH.focusNode)),
                                str(report.value(result, SH.resultMessage))))
    return bool(conforms), sorted(problems, key=lambda p: (p.severity, p.focus))
