"""An interrupted registry batch leaves the previous results file (or none), never half of one, and a rerun
writes the same bytes. The batch runs as a real process, stopped by a signal while it writes."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import XICHENG
from reasoner.tabular import run_batch

ROOT = Path(__file__).resolve().parents[1]
ROWS = 6000


def _registry(path: Path) -> None:
    lines = ["id,HighTechEnterprise,rdExpense,rdRatioAboveTarget,municipalFunds,industry"]
    statuses = ["new", "renewed", "held", "none", ""]
    for i in range(ROWS):
        lines.append(f"e{i},{statuses[i % 5]},{(i * 7919) % 30000000},{'是' if i % 3 else ''},"
                     f"{'' if i % 4 else '1200万'},{'M' if i % 2 else ''}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _start(src: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "policykg.cli", "check", str(src), "--out", str(out),
                             "--chunk", "200", "--corpus", str(XICHENG)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_partial(out: Path, proc: subprocess.Popen, timeout: float = 300) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        parts = list(out.parent.glob(f".{out.name}.*.part"))
        if parts:
            return parts[0]
        time.sleep(0.005)
    raise AssertionError(f"no partial output appeared (exit {proc.poll()})")


@pytest.mark.parametrize("sig,suffix", [(signal.SIGINT, ".csv"), (signal.SIGTERM, ".parquet"),
                                        (signal.SIGKILL, ".csv")], ids=["int-csv", "term-parquet", "kill-csv"])
def test_interrupted_batch_keeps_old_file_and_rerun_is_identical(tmp_path, xicheng, sig, suffix):
    src, out = tmp_path / "registry.csv", tmp_path / f"results{suffix}"
    _registry(src)
    out.write_bytes(b"previous results\n")
    proc = _start(src, out)
    partial = _wait_for_partial(out, proc)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert out.read_bytes() == b"previous results\n"  # never half a file
    if sig != signal.SIGKILL:
        assert not partial.exists() and not list(tmp_path.glob("*.part"))
    done = _start(src, out)
    _, err = done.communicate(timeout=600)
    assert done.returncode == 0, err.decode()
    assert f"{ROWS} profiles checked".encode() in err
    reference = tmp_path / f"reference{suffix}"
    run_batch(src, reference, xicheng.graph, chunk=700)  # in process, other chunk boundaries
    assert out.read_bytes() == reference.read_bytes() != b"previous results\n"
