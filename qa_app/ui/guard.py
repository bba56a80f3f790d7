"""Run a page body; show any error as one line (st.error), never a traceback."""
from __future__ import annotations

import logging


def one_line(err: BaseException) -> str:
    msg = str(err).strip().splitlines()
    return f"{type(err).__name__}: {msg[0] if msg else ''}".rstrip(": ")


def guarded(body) -> None:
    import streamlit as st
    try:
        from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException
    except ImportError:  # older streamlit
        from streamlit.runtime.scriptrunner.exceptions import ScriptControlException
    try:
        body()
    except ScriptControlException:
        raise
    except Exception as err:  # the page's single catch-all: log the trace, show one line
        logging.getLogger("policykg.app").exception("page error")
        st.error(one_line(err))
