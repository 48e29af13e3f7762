"""Scaling study: F1 and cost against the number of parallel sentences."""

import tempfile
from pathlib import Path

import streamlit as st

from xner.app.access import gate, require_admin
from xner.errors import XnerError
from xner.errors import ConfigError
from xner.scaling import SweepConfig, read_csv, run_sweep, summary, thresholds_on_dev

DOCS = Path(__file__).resolve().parents[1] / "docs"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PLOTS = ["f1_vs_n.png", "f1_vs_compute.png", "stage_time_vs_n.png", "f1_per_hour.png"]
# the studies docs/SCALING.md reads: (folder under docs/, what it is)
STUDIES = {
    "English → Spanish": ("scaling", "English CoNLL-2003 (gold entities) → Spanish (DeepL) projections, scored on gold "
                          "CoNLL-2002 Spanish; reference curves: gold Spanish training data, and the English-trained "
                          "head applied zero-shot (model transfer). `ngram-tX`: sentences whose weakest chosen "
                          "candidate scores below X dropped."),
    "English → Hausa": ("scaling-hau", "Raw MAFAND-MT English–Hausa news, the English side tagged by the English "
                        "head, scored on MasakhaNER 2.0 Hausa test (PER/ORG/LOC); gold: MasakhaNER training data; "
                        "transfer: the English head zero-shot."),
    "English → Yoruba": ("scaling-yor", "Raw MAFAND-MT English–Yoruba news, the English side tagged by the English "
                         "head, scored on MasakhaNER 2.0 Yoruba test (PER/ORG/LOC); gold: MasakhaNER training data; "
                         "transfer: the English head zero-shot."),
}

user = gate()
st.title("Scaling study")
st.caption("F1 and cost against the number of parallel sentences: a target NER head on frozen multilingual-e5 "
           "features trained on the projections of the first N pairs (several seeds). docs/SCALING.md reads the "
           "numbers.")
study = st.segmented_control("Study", list(STUDIES), default="English → Spanish", key="study") or "English → Spanish"
folder, about = STUDIES[study]
RESULTS = DOCS / folder
st.caption(about)

try:
    table = summary(read_csv(RESULTS / "scaling.csv")) if (RESULTS / "scaling.csv").is_file() else None
except XnerError as error:
    st.warning(str(error))
    table = None
if table is not None:
    st.subheader(f"The study (`xner scale`, docs/{folder})")
    st.dataframe(table, key="full_summary")
    chosen = thresholds_on_dev(table)
    if chosen:
        st.write("Filter threshold chosen on the dev set: "
                 + ", ".join(f"N = {n}: t = {e['threshold']:g}" for n, e in sorted(chosen.items())))
    cols = st.columns(2)
    for k, name in enumerate(PLOTS):
        if (RESULTS / name).is_file():
            cols[k % 2].image(str(RESULTS / name))
elif not (RESULTS / "scaling.csv").is_file():
    st.info(f"No study yet in docs/{folder}: docs/SCALING.md has the `xner scale` command that makes it.")

st.subheader("Run a small sweep now")
require_admin(user, "start sweeps (they occupy the server for minutes)")
st.caption("Results go to a temporary folder, never into the checkout; alignments and features are cached "
           "under XNER_HOME, so a second run with the same sentences only trains.")
with st.form("sweep"):
    grid = st.text_input("N values", "100,300", key="grid")
    methods = st.multiselect("Methods", ["heuristic", "ngram"], default=["ngram"], key="methods")
    thresholds = st.text_input("Filter thresholds for n-gram (empty: none)", "", key="thresholds")
    trainer = st.selectbox("Model", ["head", "spacy"], key="trainer",
                           format_func={"head": "head on frozen e5 features", "spacy": "spaCy CNN"}.get)
    seeds = st.number_input("Seeds", 1, 5, 1, key="seeds")
    epochs = st.number_input("Epochs", 1, 20, SweepConfig.epochs, key="epochs")
    derived = st.text_input("Labels of derived forms ('español' from 'Spain')", SweepConfig.derived_labels,
                            key="derived_labels",
                            help="LOC=O,ORG=O,MISC=O leaves them unlabelled, as CoNLL-2002 Spanish does; "
                                 "LOC=MISC,ORG=MISC labels them MISC, as German CoNLL and Europarl do.")
    test_limit = st.number_input("Test sentences", 50, 1517, 200, key="test_limit")
    transfer = st.checkbox("Model-transfer line (trains on all English sentences: slow the first time)",
                           False, key="transfer")
    with_source = st.checkbox("n-gram projections + their English sentences, one training set (head only)",
                              False, key="with_source")
    start = st.form_submit_button("Run")
if start:
    if not DATA.is_dir():
        st.error(f"the reference data is not at {DATA}")
        st.stop()
    try:
        config = SweepConfig.from_shared(
            DATA, grid=tuple(int(n) for n in grid.split(",")), methods=tuple(methods),
            filtered_method="ngram" if (thresholds.strip() or with_source) and "ngram" in methods else None,
            thresholds=tuple(float(t) for t in thresholds.split(",")) if thresholds.strip() else (),
            seeds=tuple(range(int(seeds))), epochs=int(epochs), test_limit=int(test_limit), gold_train=None,
            dev=None, trainer=trainer, transfer=transfer and trainer == "head",
            with_source=with_source and trainer == "head" and "ngram" in methods,
            derived_labels=derived.strip() or None)
    except ValueError:
        st.error("N values and thresholds: give numbers separated by commas, e.g. 100,300 and 0.5,0.9")
        st.stop()
    except ConfigError as error:
        st.error(str(error))
        st.stop()
    from xner.alignment.embedding import EmbeddingAligner

    bar = st.progress(0.0, text="projecting")
    out = Path(st.session_state.get("sweep_dir") or tempfile.mkdtemp(prefix="xner-sweep-"))
    rows = run_sweep(config, EmbeddingAligner(), out, log=lambda m: bar.progress(0.0, text=m),
                     progress=lambda f: bar.progress(f, text=f"{f:.0%} of the models trained"))
    st.session_state["small_sweep"] = summary(rows)
    st.session_state["small_sweep_dir"] = str(out)
if "small_sweep" in st.session_state:
    st.dataframe(st.session_state["small_sweep"], key="small_summary")
    out = Path(st.session_state["small_sweep_dir"])
    st.caption(f"written to {out}")
    cols = st.columns(2)
    for k, name in enumerate(PLOTS[:2]):
        if (out / name).is_file():
            cols[k % 2].image(str(out / name))
