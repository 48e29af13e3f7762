"""Evaluate: score a predicted CoNLL file against gold."""

import tempfile
from pathlib import Path

import streamlit as st

from xner.errors import XnerError
from xner.evaluation.metrics import evaluate_files

st.title("Evaluate")
gold = st.file_uploader("Gold CoNLL", key="gold")
predicted = st.file_uploader("Predicted CoNLL", key="predicted")
if gold and predicted:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for upload in (gold, predicted):
            path = Path(tmp, upload.name)
            path.write_bytes(upload.getvalue())
            paths.append(path)
        try:
            report = evaluate_files(*paths)
        except XnerError as error:
            st.error(str(error))
            st.stop()
    o = report.overall
    cols = st.columns(4)
    for col, (name, value) in zip(cols, [("precision", o.precision), ("recall", o.recall), ("F1", o.f1), ("proj_ratio", report.proj_ratio)]):
        col.metric(name, f"{value:.3f}")
    st.dataframe([{"label": k, **vars(v)} for k, v in sorted(report.per_label.items())], key="per_label")
