"""Data: import parallel data (projected on import), export reviewed data."""

import streamlit as st

from xner.app.access import gate, require_admin
from xner.app.display import error_text, literal
from xner.app.jobs import discard_import, job_progress_text, resume_import, start_import
from xner.app.resources import aligner, store
from xner.errors import XnerError
from xner.languages import language_code, language_note
from xner.projection.base import build_projector
from xner.projection.settings import alignment_only_methods
from xner.store.imports import import_jobs
from xner.review import export_bytes, import_jsonl, import_pairs, read_parallel_upload

st.set_page_config(page_title="xner · data", layout="wide")
user = gate()
require_admin(user, "import, export or delete data")
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
    method = st.selectbox("Projection method", alignment_only_methods(), key="pasted_method")
else:
    source = st.file_uploader("Labelled source CoNLL", key="source_file")
    translations = st.file_uploader("Translations, one sentence a line", key="translation_file")
    method = st.selectbox("Projection method", alignment_only_methods(), key="import_method")
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
            st.success(literal(f"imported dataset {name.strip()!r} (id {dataset})"))
        else:
            if kind == "Pasted text":
                source_bytes, translation_bytes = pasted_source.encode(), pasted_translations.encode()
                names = ("pasted source", "pasted translations")
            else:
                if source is None or translations is None:
                    raise XnerError("choose both the source CoNLL file and the translations file")
                source_bytes, translation_bytes = source.getvalue(), translations.getvalue()
                names = (source.name, translations.name)
            store().check_dataset_name(name)  # before reading and projecting anything
            pairs = read_parallel_upload(source_bytes, translation_bytes, *names)
            import_lang = language_code(import_lang, "tgt_lang")  # "DE", "deu": de
            if note := language_note(import_lang):
                st.info(literal(note))
            settings = {"method": method, "tgt_lang": import_lang}
            projector = build_projector(method, trim_stop_words=import_lang)
            if background:
                job, _ = start_import(store(), name, pairs, aligner(), projector, settings=settings,
                                      tgt_lang=import_lang or "")
                st.success(f"started projecting {len(pairs)} sentence pairs in the background (job {job})")
            else:
                with st.spinner("aligning and projecting …"):
                    dataset = import_pairs(store(), name, pairs, aligner(), projector, tgt_lang=import_lang or "")
                st.success(literal(f"imported dataset {name.strip()!r} (id {dataset})"))
    except XnerError as error:  # whatever was entered stays in the form
        st.error(error_text(error, {"tgt_lang": "Language of the translations"}))


def resume(job: dict) -> None:
    settings = job["settings"]
    projector = build_projector(settings.get("method", "ngram"), trim_stop_words=settings.get("tgt_lang"))
    try:
        resume_import(store(), job["id"], aligner(), projector)
    except XnerError as error:
        st.session_state["job_notice"] = str(error)


def discard(job: dict) -> None:
    try:
        discard_import(store(), job["id"])
    except XnerError as error:
        st.session_state["job_notice"] = str(error)



def recent_jobs() -> list[dict]:
    """The background imports, and any import (foreground ones too) that was interrupted or failed."""
    return [j for j in import_jobs(store()) if j["settings"].get("project") or j["status"] != "done"][:5]


def show_jobs() -> None:
    jobs = recent_jobs()
    running = {j["id"] for j in jobs if j["status"] == "running"}
    if st.session_state.get("jobs_running", set()) - running:
        # an import finished: redraw the whole page so that Export lists the new dataset
        st.session_state["jobs_running"] = running
        st.rerun(scope="app")
    st.session_state["jobs_running"] = running
    if "job_notice" in st.session_state:
        st.error(literal(st.session_state.pop("job_notice")))
    for job in jobs:
        text = literal(job_progress_text(job))
        if job["status"] in ("failed", "interrupted"):
            what = (job["message"] if job["status"] == "failed" else "the server stopped during this import")
            st.warning(literal(f"{job_progress_text(job)} — {what}. {job['why']}."))
            left, right = st.columns(2)
            if job["resumable"]:
                left.button("Resume", key=f"resume-{job['id']}", on_click=resume, args=(job,))
            right.button("Discard", key=f"discard-{job['id']}", on_click=discard, args=(job,))
        else:
            st.progress(job["done"] / max(job["total"], 1), text=text)


recent = recent_jobs()
if recent:
    st.subheader("Background imports")
# poll only while an import runs: an idle page costs nothing
if any(job["status"] == "running" for job in recent):
    st.fragment(run_every=1.0)(show_jobs)()
else:
    show_jobs()

st.subheader("Export")
datasets = store().datasets()
if datasets:
    labels = {f"{n} ({count} items)": i for i, n, count in datasets}
    dataset_id = labels[st.selectbox("Dataset", list(labels), key="export_dataset")]
    reviewers = store().annotators(dataset_id)
    # preselected: the name this session reviews under (or the link's), never someone else's by
    # the alphabet: an export of the wrong reviewer's decisions looks just like the right one
    reviewing = (st.session_state.get("review_place") or (None, None))[1] or st.query_params.get("annotator")
    default = reviewers.index(reviewing) if reviewing in reviewers else None
    annotator = st.selectbox("Annotator", reviewers, index=default, key="export_annotator",
                             accept_new_options=True, placeholder="whose decisions to export")
    final = st.checkbox("Final versions: a curator's adjudicated version where there is one", False,
                        key="export_final", help="Items adjudicated on the Adjudicate page are exported as the "
                                                 "curator decided; the others as the annotator above decided.")
    accepted_only = st.checkbox("Accepted and corrected items only", True, key="accepted_only",
                                help="Unticked: also the items not reviewed yet (or skipped), with their projection. "
                                     "Rejected items are never exported.")
    fmt = st.selectbox("Format", ["conll", "jsonl", "docbin"], key="export_format")
    if annotator and annotator.strip() and annotator.strip() not in store().annotators(dataset_id):
        st.warning(literal(f"{annotator.strip()!r} has not reviewed anything in this dataset: the export holds "
                           + ("nothing" if accepted_only else "the projections only") + "."))
    if annotator and annotator.strip():
        try:
            data = export_bytes(store(), dataset_id, annotator.strip(), fmt, accepted_only, final)
        except XnerError as error:  # e.g. a word CoNLL cannot hold, imported before such words were refused
            st.error(literal(error))
        else:
            suffix = {"conll": "conll", "jsonl": "jsonl", "docbin": "spacy"}[fmt]
            st.download_button(f"Download {fmt}", data, file_name=f"reviewed.{suffix}", key="download")
else:
    st.info("Nothing to export yet.")
