"""Evaluate: P/R/F1 per label, proj_ratio, and an error browser."""

from collections import Counter

import streamlit as st

from xner.app.access import gate
from xner.errors import XnerError
from xner.evaluation.errors import KINDS, classify_errors
from xner.evaluation.metrics import evaluate
from xner.io.conll import read_conll
from xner.app.display import highlight_html, literal
from xner.review import read_upload

st.set_page_config(page_title="xner · evaluate", layout="wide")
user = gate()
st.title("Evaluate")
gold_file = st.file_uploader("Gold CoNLL", key="gold")
predicted_files = st.file_uploader("Predicted CoNLL files, one per method (same tokens)", key="predicted",
                                   accept_multiple_files=True)
if not (gold_file and predicted_files):
    st.info("Upload a gold file and one or more predicted files with the same sentences, e.g. the outputs of "
            "`xner pipeline` with different methods and the gold test set.")
    st.stop()


def read(upload):
    # from memory: an uploaded name is a label, never a path on this server
    return read_upload(upload.getvalue(), upload.name, read_conll)


try:
    gold = read(gold_file)
    runs = {}
    for upload in predicted_files:
        predicted = read(upload)
        if len(gold) != len(predicted):
            raise XnerError(f"{gold_file.name} has {len(gold)} sentences but {upload.name} has {len(predicted)}")
        bad = next((k for k, (g, p) in enumerate(zip(gold, predicted)) if g.words != p.words), None)
        if bad is not None:
            raise XnerError(f"sentence {bad + 1} has different tokens in {gold_file.name} and {upload.name}")
        runs[upload.name] = predicted
except XnerError as error:
    st.error(literal(error))
    st.stop()

reports = {name: evaluate([s.entities for s in gold], [s.entities for s in predicted], [len(s.words) for s in gold])
           for name, predicted in runs.items()}
rows = []
for name, report in reports.items():
    rows.append({"method (file)": name, "label": "all", **vars(report.overall), "proj_ratio": report.proj_ratio})
    rows += [{"method (file)": name, "label": label, **vars(scores)} for label, scores in sorted(report.per_label.items())]
name = st.selectbox("Method (file)", list(runs), key="method_file")
o = reports[name].overall
for col, (metric, value) in zip(st.columns(4), [("precision", o.precision), ("recall", o.recall), ("F1", o.f1),
                                                 ("proj_ratio", reports[name].proj_ratio)]):
    col.metric(metric, f"{value:.3f}")
st.dataframe(rows, key="per_label")

st.subheader("Errors")
predicted = runs[name]
errors = classify_errors([s.entities for s in gold], [s.entities for s in predicted])
counts = Counter(e.kind for e in errors)
st.write(" · ".join(f"{kind}: {counts.get(kind, 0)}" for kind in KINDS))
kind = st.selectbox("Kind", KINDS, key="kind")
chosen = [e for e in errors if e.kind == kind]
if chosen:
    labels = [f"sentence {e.sentence + 1}: gold {[g.text(gold[e.sentence].words) for g in e.gold]} · predicted "
              f"{[p.text(gold[e.sentence].words) for p in e.predicted]}" for e in chosen]
    pick = labels.index(st.selectbox("Error", labels, key="error"))
    sentence = chosen[pick].sentence
    st.markdown("**gold:** " + highlight_html(gold[sentence].words, gold[sentence].entities), unsafe_allow_html=True)
    st.markdown("**predicted:** " + highlight_html(predicted[sentence].words, predicted[sentence].entities),
                unsafe_allow_html=True)
