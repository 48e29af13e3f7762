"""Data: import parallel data (projected on import), export reviewed data."""

import streamlit as st

from xner.errors import XnerError
from xner.projection.base import build_projector
from xner.review import (
    export_bytes, import_jsonl, import_pairs, job_progress_text, read_parallel_upload, start_import_job,
)
from xner.ui import aligner, store

st.set_page_config(page_title="xner · data", layout="wide")
st.title("Data")


st.subheader("Import")
name = st.text_input("Dataset name", key="import_name")
kind = st.radio("What to import", ["CoNLL source + translations", "JSONL records", "Pasted text"],
                key="import_kind")
if kind == "JSONL records":
    records = st.file_uploader("JSONL (one sentence pair a line)", key="jsonl_file")
elif kind == "Pasted text":
    pasted_source = st.text_area("Labelled source sentences, CoNLL (token TAB tag, blank line between sentences)",
                                 key="pasted_source")
    pasted_translations = st.text_area("Their translations, one sentence a line", key="pasted_translations")
    method = st.selectbox("Projection method", ["ngram", "heuristic"], key="pasted_method")
else:
    source = st.file_uploader("Labelled source CoNLL", key="source_file")
    translations = st.file_uploader("Translations, one sentence a line", key="translation_file")
    method = st.selectbox("Projection method", ["ngram", "heuristic"], key="import_method")
if kind != "JSONL records":
    import_lang = st.text_input("Language of the translations (e.g. de: its function words are trimmed off "
                                "projected spans; empty: punctuation only)", "", key="import_lang").strip() or None
background = st.checkbox("Project in the background (progress survives a page reload)", True, key="background")
if st.button("Import", key="import"):
    try:
        if kind == "JSONL records":
            if records is None:
                raise XnerError("choose a JSONL file")
            dataset = import_jsonl(store(), name, records.getvalue(), records.name)
            st.success(f"imported dataset {name!r} (id {dataset})")
        else:
            if kind == "Pasted text":
                source_bytes, translation_bytes = pasted_source.encode(), pasted_translations.encode()
                names = ("pasted source", "pasted translations")
            else:
                if source is None or translations is None:
                    raise XnerError("choose both the source CoNLL file and the translations file")
                source_bytes, translation_bytes = source.getvalue(), translations.getvalue()
                names = (source.name, translations.name)
            pairs = read_parallel_upload(source_bytes, translation_bytes, *names)
            projector = build_projector(method, trim_stop_words=import_lang)
            if background:
                job, _ = start_import_job(store(), name, pairs, aligner(), projector)
                st.success(f"started projecting {len(pairs)} sentence pairs in the background (job {job})")
            else:
                with st.spinner("aligning and projecting …"):
                    dataset = import_pairs(store(), name, pairs, aligner(), projector)
                st.success(f"imported dataset {name!r} (id {dataset})")
    except XnerError as error:
        st.error(str(error))  # whatever was entered stays in the form



@st.fragment(run_every=1.0)
def show_jobs() -> None:
    jobs = [j for j in store().jobs()][:5]
    for job in jobs:
        text = job_progress_text(job)
        if job["status"] == "failed":
            st.error(f"{job['name']}: {job['message']}")
        else:
            st.progress(job["done"] / max(job["total"], 1), text=text)


st.subheader("Background imports")
show_jobs()

st.subheader("Export")
datasets = store().datasets()
if datasets:
    labels = {f"{n} ({count} items)": i for i, n, count in datasets}
    dataset_id = labels[st.selectbox("Dataset", list(labels), key="export_dataset")]
    annotator = st.text_input("Annotator", key="export_annotator")
    accepted_only = st.checkbox("Accepted and corrected items only", True, key="accepted_only")
    fmt = st.selectbox("Format", ["conll", "jsonl", "docbin"], key="export_format")
    if annotator.strip():
        data = export_bytes(store(), dataset_id, annotator.strip(), fmt, accepted_only)
        suffix = {"conll": "conll", "jsonl": "jsonl", "docbin": "spacy"}[fmt]
        st.download_button(f"Download {fmt}", data, file_name=f"reviewed.{suffix}", key="download")
else:
    st.info("Nothing to export yet.")
