"""`policykg app [--port N] [-- STREAMLIT_ARGS…]`: serve the web app (qa_app/app.py) on http://127.0.0.1:N.

Headless, bound to loopback, usage statistics off: the machine has no internet and users' questions must
not leave it. The command becomes the Streamlit process (exec), so Ctrl-C and SIGTERM reach Streamlit.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "qa_app" / "app.py"
DEFAULT_PORT = 8501


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a TCP port (1-65535)")
    return int(value)


def add_parser(sub):
    what = "serve the web app on http://127.0.0.1:PORT (headless, no usage statistics)"
    p = sub.add_parser("app", help=what, description=what)
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="after --: more `streamlit run` options")
    return p


def streamlit_argv(port: int, extra: Sequence[str] = ()) -> list[str]:
    """The command line that starts Streamlit on the app with this interpreter."""
    extra = list(extra[1:] if extra[:1] == ["--"] else extra)
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", *extra]


def run(args) -> int:
    if importlib.util.find_spec("streamlit") is None:
        raise RuntimeError(f"streamlit is not installed for {sys.executable} (run: bash scripts/setup.sh)")
    argv = streamlit_argv(args.port, args.streamlit_args)
    os.execv(argv[0], argv)
