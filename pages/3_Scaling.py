"""Scaling study: F1 and cost against the number of parallel sentences."""

from pathlib import Path

import streamlit as st

from xner.scaling import SweepConfig, read_csv, run_sweep, summary

RESULTS = Path(__file__).resolve().parents[1] / "docs" / "scaling"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

st.title("Scaling study")
st.caption("English CoNLL → Spanish (DeepL) projections; a Spanish spaCy NER model trained on the first N "
           "silver sentences, scored on gold CoNLL-2002 Spanish.")

if (RESULTS / "scaling.csv").is_file():
    st.subheader("Full sweep (`xner scale`)")
    st.dataframe(summary(read_csv(RESULTS / "scaling.csv")), key="full_summary")
    cols = st.columns(2)
    for k, name in enumerate(["f1_vs_n.png", "train_time_vs_n.png", "projection_time_vs_n.png", "f1_per_hour.png"]):
        if (RESULTS / name).is_file():
            cols[k % 2].image(str(RESULTS / name))
else:
    st.info("No full sweep yet: run `xner scale` to produce docs/scaling/.")

st.subheader("Run a small sweep now")
with st.form("sweep"):
    grid = st.text_input("N values", "100,300", key="grid")
    methods = st.multiselect("Methods", ["heuristic", "ngram"], default=["ngram"], key="methods")
    epochs = st.number_input("Epochs", 1, 20, 2, key="epochs")
    test_limit = st.number_input("Test sentences", 50, 1517, 200, key="test_limit")
    start = st.form_submit_button("Run")
if start:
    if not DATA.is_dir():
        st.error(f"the reference data is not at {DATA}")
        st.stop()
    try:
        config = SweepConfig.from_shared(DATA, grid=tuple(int(n) for n in grid.split(",")), methods=tuple(methods),
                                         filtered_method=None, seeds=(0,), epochs=int(epochs),
                                         test_limit=int(test_limit), gold_train=None)
    except ValueError:
        st.error("N values: give whole numbers separated by commas, e.g. 100,300")
        st.stop()
    from xner.alignment.embedding import EmbeddingAligner

    bar = st.progress(0.0, text="projecting")
    out = Path(st.session_state.setdefault("sweep_dir", str(RESULTS.parent / ".." / ".xner" / "sweep")))
    rows = run_sweep(config, EmbeddingAligner(), out, log=lambda m: bar.progress(0.0, text=m),
                     progress=lambda f: bar.progress(f, text=f"{f:.0%} of the models trained"))
    st.session_state["small_sweep"] = summary(rows)
if "small_sweep" in st.session_state:
    st.dataframe(st.session_state["small_sweep"], key="small_summary")
