"""`--corpus PATH` (a file or a folder, default the project's corpus/) and `--doc ID` for every command."""
from __future__ import annotations

from pathlib import Path

from kg_builder.config import DEFAULT_LIBRARY


def add(p, *, doc: bool = True) -> None:
    p.add_argument("--corpus", type=Path, default=DEFAULT_LIBRARY,
                   help="a policy text (UTF-8 or GB18030) or a folder of <id>.txt (+ <id>.meta.yaml); default corpus/")
    if doc:
        p.add_argument("--doc", action="append", default=[], metavar="ID",
                       help="only this document of the corpus (its file's stem); repeatable")


def library(args):
    from kg_builder.library import build_library
    return build_library(args.corpus)
