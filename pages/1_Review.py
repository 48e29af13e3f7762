"""Review queue: one item at a time. Every decision names the item and the revision it was
made on, so a stale tab or a repeated key never lands on an item the reviewer did not see."""

import streamlit as st

from xner.app.access import gate
from xner.app.display import candidate_rows, literal
from xner.app.editor import editor_input, editor_value, render_editor
from xner.app.resources import store
from xner.app.review_queue import Queue, STATUS_WORDS

st.set_page_config(page_title="xner · review", layout="wide")
user = gate()

datasets = store().datasets()
if not datasets:
    st.title("Review queue")
    st.info("No datasets yet: import one on the Data page.")
    st.stop()

# dataset and annotator live in the URL: a reload or a shared link returns to the same place
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
low_first = st.toggle("Lowest score first", key="low_first", bind="query-params",
                      help="Review the least sure projections first: items ordered by their weakest chosen span's score")
queue = Queue(store(), names[dataset_name], annotator.strip(), "score" if low_first else "position")
if not sizes[dataset_name]:
    st.info("This dataset has no items.")
    st.stop()
# The item this session shows is the session's own: set by the buttons here, taken from the
# URL only when the session starts (a reload, a shared link). The URL mirrors it; a rerun the
# browser sends before it has seen the new URL must not bring back the item just decided.
place = (dataset_name, annotator.strip(), low_first)
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


def keep_draft() -> None:
    """Edits not yet saved stay with their item (and revision) while the reviewer moves on."""
    shown = st.session_state.get("shown")
    if shown is None:
        return
    view = queue.store.view(shown[0], queue.annotator)
    if view.revision == shown[1]:
        value = edited(view, shown[1])
        if value.changed:
            st.session_state.setdefault("drafts", {})[shown] = value.entities


def show(target, number: int | None) -> None:
    """Callback: move the screen to item ``number`` (1-based; None: the first not reviewed)."""
    keep_draft()
    st.session_state["review_item"] = None if number is None else str(number)


EDITOR = "editor"


def starting(view, revision: int):
    """What the editor starts from: a draft left on this item, else what is saved or projected."""
    return st.session_state.get("drafts", {}).get((view.item_id, revision), queue.starting_entities(view))


def editor_data(view, revision: int) -> dict:
    """The editor's input for an item as shown at ``revision``."""
    return editor_input(view.pair, view.projection, entities=starting(view, revision), labels=queue.labels(),
                        item=str(view.item_id), revision=revision)


def edited(view, revision: int):
    """The entities as the reviewer sees them in the editor now (the given ones before any edit)."""
    return editor_value(editor_data(view, revision), key=EDITOR)


def decide(item_id: int, revision: int, action: str) -> None:
    """Callback: store the decision made on (item, revision), then show the next item. Accept
    stores what the editor shows at the moment of the click (a correction when edited)."""
    if st.session_state.get("shown") != (item_id, revision):
        # a button of an item drawn before (its element can outlive a rerun for a moment,
        # shortcut included): refused, whatever the store would say
        st.session_state["notice"] = ("info", "a key press reached the buttons of an item no longer on "
                                              "screen; nothing was stored for it")
        return
    entities = ()
    if action in ("accept", "skip"):
        view = queue.store.view(item_id, queue.annotator)
        entities = edited(view, revision).entities if action == "accept" else queue.starting_entities(view)
        if action == "accept":
            action = queue.keep_action(view, entities)
    outcome = queue.decide(item_id, revision, action, entities)
    st.session_state.get("drafts", {}).pop((item_id, revision), None)
    st.session_state["notice"] = outcome.notice
    if outcome.show is not None:
        show(None, outcome.show)
    elif outcome.finished:
        st.session_state["review_item"] = "done"


def undo(expected: int) -> None:
    outcome = queue.undo(expected)
    st.session_state["notice"] = outcome.notice
    if outcome.show is not None:
        show(None, outcome.show)


if notice:
    kind, text = notice
    {"warning": st.warning, "error": st.error, "success": st.toast, "info": st.toast}[kind](literal(text))

last = queue.last_decision()
# horizontal rows: every button as wide as its label (nothing cut off)
nav = st.container(horizontal=True, vertical_alignment="bottom")
if view is None:
    nav.button("Previous (Left)", key="prev_done", shortcut="Left", on_click=show,
               args=(None, queue.item_rows()[-1]["item"]))
else:
    before, after = queue.neighbours(view)
    nav.button("Previous (Left)", key=f"prev-{view.item_id}", shortcut="Left", on_click=show, args=(None, before),
               disabled=before is None)
    nav.button("Next (Right)", key=f"next-{view.item_id}", shortcut="Right", on_click=show, args=(None, after),
               disabled=after is None)
jump = nav.number_input("Go to item", 1, max(progress.total, 1), None, key="jump", placeholder="item #",
                        label_visibility="collapsed", width=120,
                        on_change=lambda: show(None, st.session_state["jump"]))  # Enter goes there too
nav.button("Go", key="go", on_click=show, args=(None, jump), disabled=jump is None)
nav.button(f"Undo {STATUS_WORDS.get(last.action, last.action)} on item {last.position + 1} (Backspace)"
           if last else "Undo (Backspace)", key=f"undo-{last.decision_id if last else 0}",
           shortcut="Backspace", on_click=undo, args=(last.decision_id if last else 0,), disabled=last is None)

if view is None:
    st.session_state["shown"] = None
    st.success("Everything in this dataset is reviewed. Export it on the Data page, or go back to any item.")
else:
    state = STATUS_WORDS.get(view.status, "not reviewed yet")
    # the heading is filled in after the decision buttons are drawn and the buttons come before
    # the editor: once the item's number shows, its keys are live (never the last item's)
    title = st.empty()
    st.session_state["shown"] = (view.item_id, view.revision)  # what the decision buttons may decide
    value = edited(view, view.revision)
    draft = (view.item_id, view.revision) in st.session_state.get("drafts", {})
    buttons = st.container(horizontal=True, vertical_alignment="center")
    key = f"{view.item_id}-{view.revision}"
    changed = queue.keep_action(view, value.entities) == "edit"
    buttons.button("Save correction (A)" if changed else "Accept (A)", key=f"accept-{key}", type="primary",
                   shortcut="A", on_click=decide, args=(view.item_id, view.revision, "accept"))
    buttons.button("Reject (X)", key=f"reject-{key}", shortcut="X", on_click=decide,
                   args=(view.item_id, view.revision, "reject"))
    buttons.button("Skip (Space)", key=f"skip-{key}", shortcut="Space", on_click=decide,
                   args=(view.item_id, view.revision, "skip"))
    if changed:
        buttons.caption("corrected: Save stores the spans as shown" + (" (kept from before)" if draft else ""))
    title.markdown(f"#### Item {view.number} of {progress.total} · {literal(state)}")
    render_editor(editor_data(view, view.revision), key=EDITOR)
    if view.projection is not None and view.projection.candidates:
        with st.expander("Competing candidates (table)"):
            st.dataframe(candidate_rows(view.pair, view.projection), key=f"candidates-{key}")

with st.expander(f"All items ({progress.total})"):
    rows = queue.item_rows()
    picked = st.dataframe(rows, key="item_list", on_select="rerun", selection_mode="single-row", hide_index=True)
    chosen = picked.selection.rows if picked else []
    if chosen and (view is None or rows[chosen[0]]["item"] != view.number):
        st.button(f"Open item {rows[chosen[0]]['item']}", key="open_picked", on_click=show,
                  args=(None, rows[chosen[0]]["item"]))
    shared, agreement = queue.agreement()
    if shared:
        items = "1 item" if shared == 1 else f"{shared} items"
        st.caption(f"{items} reviewed by several annotators; they agree exactly on {agreement:.0%}.")
