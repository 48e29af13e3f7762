"""Adjudicate: agreement per pair of annotators and, where two disagree, a curator sees both versions side by side and
takes one, or edits the final version; the Data page's "final versions" export uses it."""

import streamlit as st

from xner.app.access import gate, require_admin
from xner.app.display import literal
from xner.app.editor import editor_input, render_editor
from xner.app.resources import store
from xner.errors import XnerError
from xner.review.rules import STATUS_WORDS
from xner.store.adjudication import adjudicate, finals
from xner.store.agreement import pair_agreement, reviewed_states
from xner.types import Entity

st.set_page_config(page_title="xner · adjudicate", layout="wide")
user = gate()
st.title("Adjudicate")
require_admin(user, "adjudicate (the final versions are what the export gives)")

datasets = store().datasets()
if not datasets:
    st.info("No datasets yet: import one on the Data page.")
    st.stop()
names = {name: dataset_id for dataset_id, name, _ in datasets}
top = st.columns(3)
dataset_name = top[0].selectbox("Dataset", list(names), key="dataset", bind="query-params")
dataset_id = names[dataset_name]
if user is not None:  # signed in: the final versions are stored under the user's name, never a URL's
    curator = user.name
    top[1].text_input("Curator", user.name, disabled=True, key="signed_curator")
else:
    linked = (st.query_params.get("curator") or "").strip()  # a shared link's name, even a new one
    known = sorted(set(store().annotators()) | ({linked} if linked else set()))
    curator = top[1].selectbox("Curator", known, index=None, key="curator", bind="query-params",
                               accept_new_options=True, placeholder="choose or type your name")
agreement = pair_agreement(store(), dataset_id)
if agreement:
    st.subheader("Agreement")
    st.dataframe([p.row() for p in agreement], hide_index=True, key="agreement")
    st.caption("Cohen's kappa on the decisions (accepted, corrected, rejected) of the items both reviewed; "
               "span F1 on the entities of the items both kept.")
pairs = [p for p in agreement if p.disagreements]
if not pairs:
    st.info("No two annotators disagree on an item of this dataset (or no item was reviewed by two).")
    st.stop()
labels = {f"{p.first} · {p.second} ({len(p.disagreements)} items)": p for p in pairs}
pair = labels[top[2].selectbox("Annotators", list(labels), key="pair")]
states = reviewed_states(store(), dataset_id)
decided = finals(store(), dataset_id)


def version(words, state) -> str:
    """A version in words: the decision and each entity's words with its label."""
    if state is None:
        return "—"
    status, entities = state[0], sorted(state[1])
    spans = ", ".join(f"{' '.join(words[s:e])} ({label})" for s, e, label in entities)
    return f"{STATUS_WORDS.get(status, status)}: {spans or 'no entities'}" if status != "reject" else "rejected"


def as_state(final):
    """A final version in the shape of an annotator's state, for :func:`version`."""
    return final.status, {(e.start, e.end, e.label) for e in final.entities}


positions = {}
rows = []
for item_id in pair.disagreements:
    view = store().view(item_id, pair.first)
    positions[view.number] = item_id
    words = view.pair.target_words
    final = decided.get(item_id)
    rows.append({"item": view.number, pair.first: version(words, states[pair.first].get(item_id)),
                 pair.second: version(words, states[pair.second].get(item_id)),
                 "final": version(words, as_state(final)) if final else "—"})
st.dataframe(rows, hide_index=True, key="disagreements")

number = st.selectbox("Item to adjudicate", list(positions), key="adjudicate_item")
item_id = positions[number]
view = store().view(item_id, pair.first)
words = view.pair.target_words
st.markdown(f"#### Item {number}")
notice = st.session_state.pop("adjudication_notice", None)
if notice:
    {"success": st.success, "error": st.error}[notice[0]](literal(notice[1]))
st.text(" ".join(view.pair.source_words))


def take(annotator: str) -> None:
    status, entities = states[annotator][item_id]
    try:
        adjudicate(store(), item_id, curator or "", status, [Entity(*e) for e in entities], taken_from=annotator)
        st.session_state["adjudication_notice"] = ("success", f"item {number}: {annotator}'s version is final")
    except XnerError as error:
        st.session_state["adjudication_notice"] = ("error", str(error))


sides = st.columns(2)
for side, annotator in zip(sides, (pair.first, pair.second)):
    side.markdown(f"**{literal(annotator)}**")
    side.text(version(words, states[annotator].get(item_id)))
    side.button(f"Take {annotator}'s version", key=f"take-{annotator}", on_click=take, args=(annotator,))

start = decided[item_id].entities if item_id in decided else tuple(
    Entity(s, e, label) for s, e, label in sorted(states[pair.first][item_id][1]))
value = render_editor(editor_input(view.pair, view.projection, entities=start, labels=store().labels(dataset_id),
                                   item=f"adjudicate-{item_id}", revision=0), key="adjudication_editor")
if st.button("Save the editor's spans as final", key="save_final"):
    try:
        adjudicate(store(), item_id, curator or "", "edit", value.entities)
        st.session_state["adjudication_notice"] = ("success", f"item {number}: the edited version is final")
        st.rerun()
    except XnerError as error:
        st.error(literal(error))
if item_id in decided:
    final = decided[item_id]
    st.caption(literal(f"final: {version(words, as_state(final))} — by {final.curator}"
                       + (f", taken from {final.taken_from}" if final.taken_from else ", edited")))
