"""版本比较 on the 条文核对 page: which documents can be compared, and the diff as table rows with quotes.

Documents are the `.txt` files beside the app's corpus (its folder) and, when set, in `POLICYKG_VERSIONS_DIR`
(e.g. a folder of drafts and final texts). The diff itself is kg_builder.diff."""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

CHANGE = {"added": "新增", "removed": "删除", "changed": "修改"}
FIELD = {"amounts": "金额", "conditions": "条件", "beneficiary": "受益主体", "benefit": "支持方式", "label": "条号变动",
         "text": "措辞"}


def documents(corpus: Path) -> dict[str, Path]:
    """Display name (document id) → path, corpus folder first, then the versions folder."""
    folders = [corpus if corpus.is_dir() else corpus.parent]
    if os.environ.get("POLICYKG_VERSIONS_DIR"):
        folders.append(Path(os.environ["POLICYKG_VERSIONS_DIR"]))
    out: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            out.setdefault(path.name.split(".")[0], path)
    return out


def diff(old: Path, new: Path) -> dict:
    from kg_builder.build import build_source
    from kg_builder.diff import diff_builds
    return diff_builds(build_source(old), build_source(new))


def _quote(side: dict | None) -> str:
    if not side:
        return ""
    c = side["citation"]
    return f"[{c['start']}:{c['end']}] {c['quote']}"


def _money(amounts: list[dict]) -> str:
    return "、".join(f"{a['kind']} {Decimal(str(a['value'])):f}" for a in amounts)


def _details(change: dict) -> str:
    parts = []
    for f in change["changes"]:
        if f["field"] == "amounts":
            parts.append(f"{_money(f['old'])} → {_money(f['new'])}")
        elif f["field"] == "conditions":
            parts.append("；".join(c["quote"] for c in f["old"]) + " → " + "；".join(c["quote"] for c in f["new"]))
        elif f["field"] in ("beneficiary", "benefit", "label"):
            parts.append(f"{f['old']} → {f['new']}")
    return "；".join(parts)


def rows(report: dict) -> list[dict]:
    """One row per added, removed or changed measure: labels of both sides, what changed, both quotes."""
    out = []
    for kind in ("added", "removed", "changed"):
        for item in report[kind]:
            old, new = (item["old"], item["new"]) if kind == "changed" else \
                ((None, item) if kind == "added" else (item, None))
            out.append({"变化": CHANGE[kind], "旧条款": old["label"] if old else "", "新条款": new["label"] if new else "",
                        "内容": "、".join(FIELD.get(f, f) for f in item["fields"]) if kind == "changed"
                        else _money(item["amounts"]),
                        "说明": _details(item) if kind == "changed" else "",
                        "旧文原文": _quote(old), "新文原文": _quote(new)})
    return out
