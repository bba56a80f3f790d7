"""Reading source texts and their metadata. Government texts are often GBK/GB18030: decode or refuse clearly."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import PolicyInputError

ENCODINGS = ("utf-8-sig", "gb18030")
META_SUFFIX = ".meta.yaml"


@dataclass(frozen=True)
class Source:
    doc_id: str
    path: Path
    text: str
    encoding: str
    meta: dict

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode(raw: bytes, source: str, what: str = "a policy text") -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) or GB18030, as Excel and government sites save them."""
    if not raw.strip():
        raise PolicyInputError(source, "the file is empty", expected=what)
    if b"\x00" in raw[:4096]:
        raise PolicyInputError(source, "the file is binary (contains NUL bytes)", expected=f"{what} (UTF-8 or GB18030)")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise PolicyInputError(source, "cannot decode the text", expected="UTF-8 or GBK/GB18030 encoding")


def doc_id_of(path: Path) -> str:
    stem = path.name.split(".")[0]
    slug = re.sub(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+", "_", stem).strip("_")
    return slug or "policy"


def load_source(path: Path | str) -> Source:
    path = Path(path)
    if not path.exists():
        raise PolicyInputError(str(path), "no such file", expected="a path to a policy text")
    if path.is_dir():
        raise PolicyInputError(str(path), "is a directory", expected="a path to a policy text file")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise PolicyInputError(str(path), f"cannot read the file ({err.strerror})") from err
    text, encoding = decode(raw, str(path))
    return Source(doc_id_of(path), path, text, encoding, load_meta(path))


def load_meta(path: Path) -> dict:
    meta_path = path.with_name(path.name.split(".")[0] + META_SUFFIX)
    if not meta_path.exists():
        return {}
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise PolicyInputError(str(meta_path), f"invalid YAML ({getattr(err, 'problem', err)})",
                               where=str(mark.line + 1) if mark else None) from err
    if not isinstance(meta, dict):
        raise PolicyInputError(str(meta_path), "metadata must be a mapping", expected="key: value lines")
    return meta


def derived_meta(text: str, title: str | None) -> dict:
    """What the text itself says: status, validity and the document it repeals."""
    repeal = re.search(r"(《[^》]+》(?:[（(][^）)]*[）)])?)\s*(?:同时)?废止", text)
    validity = re.search(r"有效期(?:为)?\s*([0-9一二三四五六七八九十]+\s*年)", text)
    status = re.search(r"[（(](征求意见稿|试行|暂行|送审稿)[）)]", text[:400])
    return {"title": title, "status": status.group(1) if status else "正式文本",
            "validity": validity.group(1) if validity else None,
            "repeals": repeal.group(1) if repeal else None}


def _cn_int(token: str) -> int:
    import cn2an  # ~0.4 s to import: only for a number written in Chinese
    return int(cn2an.cn2an(token, "smart"))


def no_longer_in_force(meta: dict):
    """The date a policy stops being in force: stated in the metadata, else its in-force date plus the
    validity the text gives (有效期5年 from 2025-03-01 → 2030-03-01), else None."""
    import datetime as dt

    if meta.get("date_no_longer_in_force"):
        return meta["date_no_longer_in_force"]
    validity = str(meta.get("validity") or "")  # '自2025年3月1日起施行，有效期五年': the years of 有效期
    start = meta.get("date_in_force")
    years = re.search(r"有效期(?:为)?\s*([0-9一二三四五六七八九十]+)\s*年", validity) or \
        re.search(r"([0-9一二三四五六七八九十]+)\s*年", validity)
    if not start or not years:
        return None
    start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
    n = int(years.group(1)) if years.group(1).isdigit() else _cn_int(years.group(1))
    try:
        return start.replace(year=start.year + n)
    except ValueError:  # 29 February
        return start.replace(year=start.year + n, day=28)


def corpus_files(path: Path | str) -> list[Path]:
    path = Path(path)
    if not path.exists():
        raise PolicyInputError(str(path), "no such file or folder", expected="a policy text or a corpus folder")
    if path.is_file():
        return [path]
    files = sorted(p for p in path.glob("*.txt") if p.is_file())
    if not files:
        raise PolicyInputError(str(path), "the folder holds no .txt document", expected="<id>.txt files")
    return files
