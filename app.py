"""Situation Map: streamlit entry point.

``streamlit run app.py`` imports this file to start the server (no session yet): it builds an ``st.App`` whose
lifespan warms the shared resources at start-up (``pages/serve.py``). Each visitor's session then runs this same
file as its script: page navigation, each page drawing the shared sidebar.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
logging.getLogger("pyogrio").setLevel(logging.WARNING)  # "Created 0 records" for each table of a new workspace

if get_script_run_ctx(suppress_warning=True) is None:  # the server is starting (`streamlit run` / an ASGI server imports this file)
    from pages.serve import lifespan

    app = st.App(__file__, lifespan=lifespan)
else:  # a visitor's session
    st.set_page_config(page_title="Situation Map", layout="wide")
    page = st.navigation([
        st.Page("pages/map.py", title="Map", default=True),
        st.Page("pages/data.py", title="Events & places"),
        st.Page("pages/present.py", title="Present"),
        st.Page("pages/about.py", title="About & sources"),
    ])
    page.run()
