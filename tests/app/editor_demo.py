"""A page with nothing but the projection editor, for tests/app/test_editor_browser.py.

Two items; the buttons switch item and bump the revision, the checkbox moves the editor
into a column. The value returned to Python is
written out as JSON (``value`` block) so the browser test can read what Python received.
"""

import json

import streamlit as st

from xner.app.editor import projection_editor
from xner.reasons import Chosen, Given
from xner.types import Alignment, Candidate, Entity, ProjectionResult, SentencePair, Span

PAIRS = [
    SentencePair(("Angela", "Merkel", "visited", "the", "Netherlands", "and", "Paris"),
                 ("Angela", "Merkel", "besuchte", "die", "Niederlande", "und", "Paris"),
                 (Entity(0, 2, "PER"), Entity(4, 5, "LOC"), Entity(6, 7, "LOC")),
                 alignment=Alignment.of([(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6)]), id="a"),
    SentencePair(("Paris", "is", "big"), ("Paris", "ist", "groß"), (Entity(0, 1, "LOC"),),
                 alignment=Alignment.of([(0, 0), (1, 1), (2, 2)]), id="b"),
]
RESULTS = [
    ProjectionResult((Entity(0, 2, "PER"), Entity(4, 5, "LOC")), (
        Candidate(0, Span(0, 2), "ngram", {"dice": 1.0}, 1.0, True, Chosen()),
        Candidate(0, Span(1, 2), "ngram", {"dice": 0.67}, 0.67, False, Given("a better candidate took this entity")),
        Candidate(1, Span(4, 5), "ngram", {"dice": 1.0}, 1.0, True, Chosen()),
        Candidate(1, Span(3, 5), "ngram", {"dice": 0.67}, 0.67, False, Given("a better candidate took this entity")),
        Candidate(2, Span(5, 7), "ngram", {"dice": 0.67}, 0.4, False, Given("below the threshold")),
    ), "ngram"),
    ProjectionResult((Entity(0, 1, "LOC"),), (Candidate(0, Span(0, 1), "ngram", {"dice": 1.0}, 1.0, True, Chosen()),), "ngram"),
]

st.session_state.setdefault("index", 0)
st.session_state.setdefault("revision", 0)
left, right = st.columns(2)
if left.button("Next item"):
    st.session_state.index = (st.session_state.index + 1) % len(PAIRS)
if right.button("Reset"):
    st.session_state.revision += 1

index = st.session_state.index
# a layout change mounts the component afresh in another place; its edits must follow it
place = st.columns([3, 1])[0] if st.checkbox("Narrow") else st.container()
with place:
    value = projection_editor(PAIRS[index], RESULTS[index], revision=st.session_state.revision, key="demo")
# a page shortcut on a key the editor also uses: the editor keeps it only while it has a selection
st.session_state.setdefault("presses", 0)
if st.button("Page shortcut", shortcut="L"):
    st.session_state.presses += 1
st.caption(f"page shortcut pressed {st.session_state.presses} times")
st.code(json.dumps({"item": value.item, "revision": value.revision, "edits": value.edits, "action": value.action,
                    "entities": [[e.start, e.end, e.label] for e in value.entities],
                    "sources": list(value.sources)}), language="json")
