"""Review queue: accept, reject, skip, undo, pick a candidate, or correct the tags."""

import streamlit as st

from xner.errors import XnerError
from xner.live import candidate_rows, highlight_html, parse_tags_for
from xner.io.tags import entities_to_tags
from xner.review import with_candidate
from xner.shortcuts import install_shortcuts
from xner.ui import store

st.set_page_config(page_title="xner · review", layout="wide")
st.title("Review queue")


datasets = store().datasets()
if not datasets:
    st.info("No datasets yet: import one on the Data page.")
    st.stop()
labels = {f"{name} ({n} items)": dataset_id for dataset_id, name, n in datasets}
dataset_id = labels[st.selectbox("Dataset", list(labels), key="dataset")]
annotator = st.text_input("Annotator", st.session_state.get("annotator_default", ""), key="annotator").strip()
if not annotator:
    st.warning("Enter your name: every decision is stored under it.")
    st.stop()

progress = store().progress(dataset_id, annotator)
st.progress(progress.reviewed / max(progress.total, 1),
            text=f"{progress.reviewed}/{progress.total} reviewed · {progress.accepted} accepted · "
                 f"{progress.edited} corrected · {progress.rejected} rejected · {progress.skipped} skipped")
shared, agreement = store().agreement(dataset_id)
if shared:
    st.caption(f"{shared} items reviewed by several annotators; they agree exactly on {agreement:.0%}.")

item_id = store().next_item(dataset_id, annotator)
if item_id is None:
    st.success("Everything in this dataset is reviewed. Export it on the Data page.")
    if st.button("Undo my last decision", key="undo_done"):
        last = store().item_ids(dataset_id)[-1]
        store().undo(last, annotator)
        st.rerun()
    st.stop()

pair, projection = store().item(item_id)
projected = projection.entities if projection else ()
left, right = st.columns(2)
with left:
    st.subheader("Source")
    st.markdown(highlight_html(pair.source_words, pair.source_entities), unsafe_allow_html=True)
with right:
    st.subheader("Projection")
    st.markdown(highlight_html(pair.target_words, projected), unsafe_allow_html=True)
if projection is not None and projection.candidates:
    with st.expander("Competing candidates"):
        st.dataframe(candidate_rows(pair, projection), key="review_candidates")

install_shortcuts()
buttons = st.columns(4)
if buttons[0].button("Accept (A)", key="accept", type="primary"):
    store().record(item_id, annotator, "accept", projected)
    st.session_state["last_item"] = item_id
    st.rerun()
if buttons[1].button("Reject (X)", key="reject"):
    store().record(item_id, annotator, "reject")
    st.session_state["last_item"] = item_id
    st.rerun()
if buttons[2].button("Skip (Space)", key="skip"):
    store().record(item_id, annotator, "skip", projected)
    st.session_state["last_item"] = item_id
    st.rerun()
if buttons[3].button("Undo (Backspace)", key="undo"):
    last = st.session_state.get("last_item")
    if last is None or not store().undo(last, annotator):
        st.warning("Nothing to undo in this session.")
    else:
        st.rerun()

st.subheader("Correct")
if projection is not None and pair.source_entities:
    names = [f"{k}: {e.text(pair.source_words)} ({e.label})" for k, e in enumerate(pair.source_entities)]
    entity_index = names.index(st.selectbox("Source entity", names, key="pick_entity"))
    ranked = projection.candidates_for(entity_index)[:9]
    if ranked:
        st.caption("Use a candidate instead (keys 1–9):")
        picks = st.columns(len(ranked))
        for rank, candidate in enumerate(ranked, start=1):
            text = " ".join(pair.target_words[candidate.span.start : candidate.span.end])
            if picks[rank - 1].button(f"{text} · {candidate.total:.2f} ({rank})", key=f"candidate_{rank}"):
                try:
                    entities = with_candidate(projection, entity_index, rank,
                                              pair.source_entities[entity_index].label, projected)
                    store().record(item_id, annotator, "edit", entities)
                    st.session_state["last_item"] = item_id
                    st.rerun()
                except XnerError as error:
                    st.error(str(error))
tags = st.text_input("Tags, one per target word (boundaries, labels, added or deleted entities)",
                     " ".join(entities_to_tags(len(pair.target_words), projected)), key=f"tags_{item_id}")
if st.button("Save correction", key="save_edit"):
    try:
        store().record(item_id, annotator, "edit", parse_tags_for(pair.target_words, tags))
        st.session_state["last_item"] = item_id
        st.rerun()
    except XnerError as error:
        st.error(str(error))  # the typed tags stay in the box
