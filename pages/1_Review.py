"""Review queue: one item at a time. Every decision names the item and the revision it was
made on, so a stale tab or a repeated key never lands on an item the reviewer did not see;
a key counts only once its item has been on screen for the reviewer's minimum time; edits
not saved yet are stored with the item until saved or discarded on purpose."""

import time

import streamlit as st

from xner.app.access import gate
from xner.app.display import candidate_rows, literal
from xner.app.editor import editor_input, editor_value, render_editor, reset_editor
from xner.app.resources import store
from xner.errors import XnerError
from xner.review.queue import Queue
from xner.review.rules import REVIEWED, STATUS_WORDS
from xner.store.bulk import accept_projections, batch_size
from xner.store.comments import FLAGS, add_comment, comments
from xner.store.drafts import discard_draft, load_draft, save_draft
from xner.store.propagate import apply_proposals, propose
from xner.store.search import STATES, QueueFilter
from xner.store.user_settings import ACTIONS, load_settings, save_settings

st.set_page_config(page_title="xner · review", layout="wide")
user = gate()

datasets = store().datasets()
if not datasets:
    st.title("Review queue")
    st.info("No datasets yet: import one on the Data page.")
    st.stop()

# dataset, annotator, filter and item live in the URL: a reload or a shared link returns to the same place
names = {name: dataset_id for dataset_id, name, _ in datasets}
sizes = {name: n for _, name, n in datasets}
asked = st.query_params.get("dataset")
if asked and asked not in names:
    st.warning(literal(f"There is no dataset named {asked!r} ready for review (it may still be importing); "
                       "choose one below."))
top = st.columns([3, 2, 5], vertical_alignment="bottom")
dataset_name = top[0].selectbox("Dataset", list(names), key="dataset", bind="query-params")
if user is not None:  # signed in: decisions are stored under the user's name, never a URL's
    annotator = user.name
    top[1].text_input("Annotator", user.name, disabled=True, key="signed_annotator")
else:
    # a name from the URL is offered even before it has decided anything (a shared link)
    linked = (st.query_params.get("annotator") or "").strip()
    known = sorted(set(store().annotators()) | ({linked} if linked else set()))
    annotator = top[1].selectbox("Annotator", known, index=None, key="annotator",
                                 bind="query-params", accept_new_options=True,
                                 placeholder="choose or type a new name")
if not annotator or not annotator.strip():
    st.warning("Choose your name, or type a new one: every decision is stored under it.")
    st.stop()
annotator = annotator.strip()
dataset_id = names[dataset_name]
settings = load_settings(store(), annotator)
keys = settings.keys

# -- find: the filter, bound to the URL ------------------------------------------------------
STATE_WORDS = {"unreviewed": "not reviewed", **STATUS_WORDS}
others = [name for name in store().annotators(dataset_id) if name != annotator]
finder = st.expander("Find", expanded=any(k in st.query_params for k in ("state", "label", "score", "unprojected",
                                                                           "by", "flag", "q")))
row = finder.columns([3, 2, 3, 2, 2, 3], vertical_alignment="bottom")
states = row[0].multiselect("State", STATES, key="state", bind="query-params", format_func=STATE_WORDS.get,
                            placeholder="any")
label = row[1].selectbox("Label", store().labels(dataset_id), index=None, key="label", bind="query-params",
                         placeholder="any")
low, high = row[2].slider("Score (weakest span)", 0.0, 1.0, (0.0, 1.0), step=0.05, key="score",
                          bind="query-params")
by = row[3].selectbox("Reviewed by", others, index=None, key="by", bind="query-params", placeholder="anyone")
flag = row[4].selectbox("Flag", FLAGS, index=None, key="flag", bind="query-params", placeholder="any")
text = row[5].text_input("Text (source, target, comments)", key="q", bind="query-params")
unprojected = finder.checkbox("Only items with a source entity not projected", key="unprojected",
                              bind="query-params")
try:
    where = QueueFilter(tuple(states), label or "", low if low > 0 else None, high if high < 1 else None,
                        unprojected, by or "", flag or "", text.strip())
except XnerError as error:
    finder.error(literal(error))
    where = QueueFilter()
low_first = finder.toggle("Lowest score first", key="low_first", bind="query-params",
                          help="Review the least sure projections first: items ordered by their weakest chosen "
                               "span's score")
queue = Queue(store(), dataset_id, annotator, "score" if low_first else "position", where)
if not sizes[dataset_name]:
    st.info("This dataset has no items.")
    st.stop()


def accept_shown() -> None:
    """Callback: accept the projection of every item the filter shows not reviewed yet."""
    try:
        result = accept_projections(store(), dataset_id, annotator, [item for item, _, _ in queue.rows()])
    except XnerError as error:
        st.session_state["notice"] = ("error", str(error))
        return
    left = f"; {result.skipped} left as they are (reviewed already, or holding unsaved edits)" if result.skipped else ""
    st.session_state["notice"] = ("success", f"accepted the projection of {result.written} items in one step "
                                             f"(Undo takes them all back){left}")


shown_rows = queue.rows()
if where.active:
    open_rows = sum(1 for _, _, status in shown_rows if status not in REVIEWED)
    finder.caption(f"{len(shown_rows)} of {sizes[dataset_name]} items match; {open_rows} not reviewed yet.")
    finder.button(f"Accept the projection of the {open_rows} matching items not reviewed yet (one undo step)",
                  key="accept_shown", on_click=accept_shown, disabled=not open_rows)

# The item this session shows is the session's own: set by the buttons here, taken from the
# URL only when the session starts (a reload, a shared link). The URL mirrors it; a rerun the
# browser sends before it has seen the new URL must not bring back the item just decided.
place = (dataset_name, annotator, low_first, where)
if "review_place" not in st.session_state:
    st.session_state["review_item"] = st.query_params.get("item")
elif st.session_state["review_place"] != place:
    st.session_state["review_item"] = None
st.session_state["review_place"] = place
view = queue.current(st.session_state["review_item"])
st.query_params["item"] = str(view.number) if view is not None else "done"
notice = st.session_state.pop("notice", None)

progress = queue.progress()
top[2].progress(progress.reviewed / max(progress.total, 1),
                text=f"{progress.reviewed}/{progress.total} reviewed · {progress.accepted} accepted · "
                     f"{progress.edited} corrected · {progress.rejected} rejected · {progress.skipped} skipped")


def show(target, number: int | None) -> None:
    """Callback: move the screen to item ``number`` (1-based; None: the first not reviewed)."""
    st.session_state["review_item"] = None if number is None else str(number)


def go_to() -> None:
    """Callback of the item number box: go there, and empty the box for the next number."""
    show(None, st.session_state["jump"])
    st.session_state["jump"] = None


EDITOR = "editor"


def starting(view):
    """What the editor starts from: the annotator's unsaved edits of the item, else what is
    saved or projected."""
    draft = load_draft(store(), view.item_id, annotator)
    return draft.entities if draft is not None else queue.starting_entities(view)


def editor_data(view, revision: int) -> dict:
    """The editor's input for an item as shown at ``revision``, with the gate of the decision keys."""
    data = editor_input(view.pair, view.projection, entities=starting(view), labels=queue.labels(),
                        item=str(view.item_id), revision=revision)
    gated = [keys[action].lower() for action in ("accept", "reject", "skip")]
    data["gate"] = {"keys": gated, "min_ms": settings.min_view_ms, "prefix": "st-key-accept-",
                    "marker": f"st-key-accept-{view.item_id}-{revision}"}
    return data


def edited(view, revision: int):
    """The entities as the reviewer sees them in the editor now (the given ones before any edit)."""
    return editor_value(editor_data(view, revision), key=EDITOR)


def keep_edits(view, value, draft):
    """Store the editor's edits at once, with the item and the annotator (each edit reruns
    the page; a run cut short by the next one leaves it to that one)."""
    if not value.changed or value.item != str(view.item_id):
        return draft
    if tuple(sorted(value.entities)) == tuple(sorted(queue.starting_entities(view))):
        if draft is not None:  # edited back to what is saved: nothing to keep
            discard_draft(store(), view.item_id, annotator)
        return None
    if draft is None or (draft.entities, draft.edits, draft.revision) != (value.entities, value.edits, value.revision):
        save_draft(store(), view.item_id, annotator, value.revision, value.entities, value.edits)
        draft = load_draft(store(), view.item_id, annotator)
    return draft


def discard(item_id: int, number: int) -> None:
    """Callback: drop the unsaved edits of an item, on purpose."""
    discard_draft(store(), item_id, annotator)
    reset_editor(EDITOR)
    st.session_state["notice"] = ("info", f"discarded your unsaved edits of item {number}")


def dropped(reason: str) -> None:
    """An extra key press: dropped, and said so once per item shown."""
    shown = st.session_state.get("shown")
    if st.session_state.get("dropped_on") != shown:
        st.session_state["dropped_on"] = shown
        st.session_state["notice"] = ("info", f"key press dropped: {reason}; nothing was stored")


def decide(item_id: int, revision: int, action: str) -> None:
    """Callback: store the decision made on (item, revision), then show the next item. Accept
    stores what the editor shows at the moment of the click (a correction when edited)."""
    shown = st.session_state.get("shown")
    if shown != (item_id, revision):
        # a button of an item drawn before (its element can outlive a rerun for a moment,
        # shortcut included): refused, whatever the store would say
        dropped("it reached the buttons of an item no longer on screen")
        return
    if st.session_state.get("decided") == shown:
        dropped("this item was decided already by the press before")
        return
    elapsed = (time.monotonic() - st.session_state.get("shown_since", 0.0)) * 1000
    if elapsed < settings.min_view_ms:
        dropped(f"the item had been on screen {elapsed:.0f} ms, less than your minimum {settings.min_view_ms} ms")
        return
    view = queue.store.view(item_id, annotator)
    entities, kept = (), 0
    if action in ("accept", "skip"):
        value = edited(view, revision)
        entities = value.entities if action == "accept" else queue.starting_entities(view)
        draft = load_draft(store(), item_id, annotator)
        if action == "accept":
            action = queue.keep_action(view, entities)
            if value.changed:  # stored first: a refused decision must not lose them
                save_draft(store(), item_id, annotator, revision, value.entities, value.edits)
            kept = value.edits if value.changed else ((draft.edits or 1) if draft is not None else 0)
    outcome = queue.decide(item_id, revision, action, entities, kept_edits=kept)
    st.session_state["notice"] = outcome.notice
    if outcome.notice is None:
        st.session_state["decided"] = shown
        if action == "edit":
            st.session_state["corrected"] = item_id  # offer the same correction elsewhere
    if outcome.show is not None:
        show(None, outcome.show)
    elif outcome.finished:
        st.session_state["review_item"] = "done"


def undo(expected: int) -> None:
    outcome = queue.undo(expected)
    st.session_state["notice"] = outcome.notice
    st.session_state.pop("decided", None)
    if outcome.show is not None:
        show(None, outcome.show)


last = queue.last_decision()
# horizontal rows: every button as wide as its label (nothing cut off)
nav = st.container(horizontal=True, vertical_alignment="bottom")
if view is None:
    rows_now = queue.item_rows()
    nav.button(f"Previous ({keys['previous']})", key="prev_done", shortcut=keys["previous"], on_click=show,
               args=(None, rows_now[-1]["item"] if rows_now else 1))
else:
    before, after = queue.neighbours(view)
    nav.button(f"Previous ({keys['previous']})", key=f"prev-{view.item_id}", shortcut=keys["previous"],
               on_click=show, args=(None, before), disabled=before is None)
    nav.button(f"Next ({keys['next']})", key=f"next-{view.item_id}", shortcut=keys["next"], on_click=show,
               args=(None, after), disabled=after is None)
nav.number_input("Go to item", 1, max(progress.total, 1), None, key="jump", placeholder="item #",
                 label_visibility="collapsed", width=140, on_change=go_to)  # Enter goes there
if last is not None and last.batch is not None:
    undo_label = f"Undo the {batch_size(store(), last.batch)} decisions made in one step"
elif last is not None:
    undo_label = f"Undo {STATUS_WORDS.get(last.action, last.action)} on item {last.position + 1}"
else:
    undo_label = "Undo"
nav.button(f"{undo_label} ({keys['undo']})", key=f"undo-{last.decision_id if last else 0}", shortcut=keys["undo"],
           on_click=undo, args=(last.decision_id if last else 0,), disabled=last is None)

if notice:
    # on the page, not a toast: it goes with the next rerun, never outliving the item it is about
    kind, words = notice
    {"warning": st.warning, "error": st.error, "success": st.success, "info": st.info}[kind](literal(words))

if view is None:
    st.session_state["shown"] = None
    if where.active:
        st.success("Every item the filter finds is reviewed. Change the filter, or go back to any item.")
    else:
        st.success("Everything in this dataset is reviewed. Export it on the Data page, or go back to any item.")
else:
    state = STATUS_WORDS.get(view.status, "not reviewed yet")
    # the heading is filled in after the decision buttons are drawn and the buttons come before
    # the editor: once the item's number shows, its keys are live (never the last item's)
    title = st.empty()
    if st.session_state.get("shown") != (view.item_id, view.revision):
        st.session_state["shown_since"] = time.monotonic()  # a key counts from its item's minimum time on
    st.session_state["shown"] = (view.item_id, view.revision)  # what the decision buttons may decide
    value = edited(view, view.revision)
    draft = keep_edits(view, value, load_draft(store(), view.item_id, annotator))
    buttons = st.container(horizontal=True, vertical_alignment="center")
    key = f"{view.item_id}-{view.revision}"
    changed = queue.keep_action(view, value.entities) == "edit"
    buttons.button(f"Save correction ({keys['accept']})" if changed else f"Accept ({keys['accept']})",
                   key=f"accept-{key}", type="primary", shortcut=keys["accept"], on_click=decide,
                   args=(view.item_id, view.revision, "accept"))
    buttons.button(f"Reject ({keys['reject']})", key=f"reject-{key}", shortcut=keys["reject"], on_click=decide,
                   args=(view.item_id, view.revision, "reject"))
    buttons.button(f"Skip ({keys['skip']})", key=f"skip-{key}", shortcut=keys["skip"], on_click=decide,
                   args=(view.item_id, view.revision, "skip"))
    if draft is not None or value.changed:
        buttons.button("Discard edits", key=f"discard-{key}", on_click=discard, args=(view.item_id, view.number))
        if draft is not None and draft.revision != view.revision:
            buttons.caption("unsaved edits kept from before this item changed (another tab or window): "
                            "check them, then Save or Discard")
        else:
            buttons.caption("unsaved edits, kept with the item until you save or discard them")
    elif changed:
        buttons.caption("corrected: Save stores the spans as shown")
    title.markdown(f"#### Item {view.number} of {progress.total} · {literal(state)}")
    render_editor(editor_data(view, view.revision), key=EDITOR)

    notes = comments(store(), [view.item_id]).get(view.item_id, [])
    with st.expander(f"Comments and flags ({len(notes)})"):
        for note in notes:
            flag_words = f"[{note.flag}] " if note.flag else ""
            st.text(f"{note.annotator} · {note.created_at:%Y-%m-%d %H:%M} · {flag_words}{note.text}")

        def comment(item_id: int) -> None:
            try:
                add_comment(store(), item_id, annotator, st.session_state["comment_text"],
                            st.session_state["comment_flag"] or "")
            except XnerError as error:
                st.session_state["notice"] = ("error", str(error))  # the text stays in the box
                return
            st.session_state["comment_text"] = ""
            st.session_state["comment_flag"] = None

        line = st.columns([6, 2, 1], vertical_alignment="bottom")
        line[0].text_input("Comment", key="comment_text", placeholder="a question, a doubt, a guideline reference")
        line[1].selectbox("Flag", FLAGS, index=None, key="comment_flag", placeholder="no flag")
        line[2].button("Add", key="add_comment", on_click=comment, args=(view.item_id,))

    if view.projection is not None and view.projection.candidates:
        with st.expander("Competing candidates (table)"):
            st.dataframe(candidate_rows(view.pair, view.projection), key=f"candidates-{key}")

corrected = st.session_state.get("corrected")
if corrected is not None:
    proposals = propose(store(), dataset_id, annotator, corrected)
    if proposals:
        with st.expander(f"The same correction on {len(proposals)} other items", expanded=True):
            st.caption("Where the same source entity was projected onto the same words, the correction just "
                       "saved can be made too (items not reviewed yet, without unsaved edits).")
            st.dataframe([p.row() for p in proposals], hide_index=True, key="propagation")

            def propagate(item_id: int) -> None:
                result = apply_proposals(store(), dataset_id, annotator, propose(store(), dataset_id, annotator,
                                                                                 item_id))
                st.session_state.pop("corrected", None)
                st.session_state["notice"] = ("success", f"made the same correction on {result.written} items in "
                                                         "one step (Undo takes them all back)")

            left, right = st.columns(2)
            left.button(f"Correct these {len(proposals)} items the same way", key="propagate", on_click=propagate,
                        args=(corrected,))
            right.button("No, thanks", key="no_propagation", on_click=lambda: st.session_state.pop("corrected"))

with st.expander(f"All items ({len(shown_rows)}{' matching' if where.active else ''})"):
    rows = queue.item_rows()
    picked = st.dataframe(rows, key="item_list", on_select="rerun", selection_mode="single-row", hide_index=True)
    chosen = picked.selection.rows if picked else []
    if chosen and (view is None or rows[chosen[0]]["item"] != view.number):
        st.button(f"Open item {rows[chosen[0]]['item']}", key="open_picked", on_click=show,
                  args=(None, rows[chosen[0]]["item"]))

with st.expander(f"Your keys and timing ({annotator})"):
    with st.form("keys_form", border=False):
        columns = st.columns(len(ACTIONS) + 1)
        given = {action: columns[k].text_input(words, keys[action], key=f"key_{action}")
                 for k, (action, words) in enumerate(ACTIONS.items())}
        minimum = columns[-1].number_input("Minimum time on screen (ms)", 0, 2000, settings.min_view_ms, step=10,
                                           key="min_view_ms", help="A key decides an item only after it has been "
                                                                   "on screen this long; faster presses are dropped")
        if st.form_submit_button("Save my keys"):
            try:
                save_settings(store(), annotator, given, int(minimum))
                st.rerun()
            except XnerError as error:
                st.error(literal(error))
