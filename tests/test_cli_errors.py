"""Bad input gives one clear line on stderr and a non-zero exit, never a traceback."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, XICHENG

POLICYKG = [sys.executable, "-m", "policykg.cli"]


def run(*args):
    return subprocess.run([*POLICYKG, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("name,content,needle", [
    ("empty.txt", b"", "empty"),
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
    ("plain.txt", "这是一段没有任何条款结构的普通说明文字，没有编号。".encode(), "no recognisable structure"),
    ("undecodable.txt", b"\xd5\xe2 \xff\xff\x80 \xff" * 20, "decode"),
])
def test_bad_corpus_is_one_line_on_stderr(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    proc = run("measures", "--corpus", str(path), "--json")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and name in lines[0]


def test_missing_path(tmp_path):
    proc = run("measures", "--corpus", str(tmp_path / "nope.txt"))
    assert proc.returncode != 0 and "no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_gbk_text_is_decoded(tmp_path):
    path = tmp_path / "gbk_policy.txt"
    path.write_bytes(XICHENG.read_text(encoding="utf-8").encode("gb18030"))
    proc = run("measures", "--corpus", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert "第四条（三）" in proc.stdout


def test_build_writes_turtle_and_jsonld(tmp_path):
    proc = run("build", "--out", str(tmp_path), "--corpus", str(XICHENG))
    assert proc.returncode == 0, proc.stderr
    assert "measures: 44" in proc.stdout
    assert (tmp_path / "xicheng_measures_draft.ttl").stat().st_size > 0
    assert (tmp_path / "xicheng_measures_draft.jsonld").stat().st_size > 0


@pytest.mark.parametrize("text", ["", "   ", "\t\n　"])
def test_empty_profile_text_is_refused(text):
    proc = run("check", "--text", text, "--json")
    assert proc.returncode == 2 and proc.stdout == "" and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--text" in lines[0] and "empty" in lines[0]
