"""xner review app: the live projection page (more pages under pages/)."""

import streamlit as st

from xner.errors import XnerError
from xner.live import candidate_rows, parse_pair
from xner.projection.base import build_projector

st.set_page_config(page_title="xner", layout="wide")
st.title("xner: cross-lingual NER by projection")
st.caption("Project source entities onto a translation through word alignments.")

left, right = st.columns(2)
with left:
    source = st.text_input("Source words", "Angela Merkel visited Paris with Siemens executives .", key="source")
    tags = st.text_input("Source tags (one per word)", "B-PER I-PER O B-LOC O B-ORG O O", key="tags")
with right:
    target = st.text_input("Target words", "Angela Merkel visitó París con ejecutivos de Siemens .", key="target")
    links = st.text_input("Alignment (i-j links)", "0-0 1-1 2-2 3-3 4-4 5-7 6-5 7-8", key="links")

method = st.selectbox("Projection method", ["heuristic", "ngram"], key="method")
try:
    pair = parse_pair(source, tags, target, links)
    result = build_projector(method).project(pair)
except XnerError as error:
    st.error(str(error))
    st.stop()

st.subheader("Projected target entities")
st.dataframe(
    [{"text": e.text(pair.target_words), "label": e.label, "span": f"[{e.start}, {e.end})"} for e in result.entities],
    key="projected",
)
st.subheader("Candidates")
st.dataframe(candidate_rows(pair, result), key="candidates")
