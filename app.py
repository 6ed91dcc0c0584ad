"""Situation Map: streamlit entry point (page navigation; each page draws the shared sidebar)."""

from __future__ import annotations

import logging

import streamlit as st

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
st.set_page_config(page_title="Situation Map", layout="wide")
page = st.navigation([
    st.Page("pages/map.py", title="Map", default=True),
    st.Page("pages/data.py", title="Events & places"),
    st.Page("pages/about.py", title="About & sources"),
])
page.run()
