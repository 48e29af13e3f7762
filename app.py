"""xner's Streamlit app: ``streamlit run app.py``.

The pages, in the order the sidebar lists them, each under the name a reviewer knows it by;
the first (live projection) opens at the app's root address. Each page is a script of its own
under ``pages/`` and checks who is signed in itself (:func:`xner.app.access.gate`).
"""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "pages"

st.navigation([
    st.Page(PAGES / "0_Live.py", title="Live projection", default=True),
    *(st.Page(page) for page in sorted(PAGES.glob("[1-9]_*.py"))),
]).run()
