"""`policykg app`: the Streamlit command line it execs (loopback, headless, no usage statistics), and its help."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from policykg.cli import main
from policykg.commands import app


@pytest.fixture
def execv(monkeypatch):
    calls = []

    def fake(path, argv):
        calls.append((path, argv))
        raise SystemExit(0)  # execv does not return
    monkeypatch.setattr(app.os, "execv", fake)
    return calls


def flags(argv: list[str]) -> dict[str, str]:
    return dict(zip(argv[5::2], argv[6::2]))


def test_app_execs_streamlit_on_loopback_headless_without_usage_stats(execv):
    with pytest.raises(SystemExit):
        main(["app"])
    [(path, argv)] = execv
    assert path == sys.executable
    assert argv[:5] == [sys.executable, "-m", "streamlit", "run", str(ROOT / "qa_app" / "app.py")]
    assert flags(argv) == {"--server.address": "127.0.0.1", "--server.port": "8501", "--server.headless": "true",
                           "--browser.gatherUsageStats": "false"}


def test_port_option_and_streamlit_arguments_after_double_dash(execv):
    with pytest.raises(SystemExit):
        main(["app", "--port", "8600", "--", "--theme.base", "dark"])
    argv = execv[0][1]
    assert flags(argv)["--server.port"] == "8600"
    assert argv[-2:] == ["--theme.base", "dark"]


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_bad_port_is_a_usage_error(port, execv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["app", "--port", port])
    assert exit_.value.code == 2 and execv == []
    assert "not a TCP port" in capsys.readouterr().err


def test_app_help_exits_0():
    proc = subprocess.run([sys.executable, "-m", "policykg.cli", "app", "--help"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "--port" in proc.stdout and "127.0.0.1" in proc.stdout
