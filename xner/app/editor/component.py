"""The Streamlit side of the projection editor: one ``st.components.v2`` component.

The frontend is plain JavaScript and CSS in ``frontend/`` (no build step, nothing fetched
from a CDN), registered once per process and mounted with the JSON from
:func:`xner.app.editor.model.editor_input`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from xner.app.editor.model import EditorValue, editor_input, read_value
from xner.types import Entity, ProjectionResult, SentencePair

FRONTEND = Path(__file__).with_name("frontend")


@cache
def _component() -> Callable[..., Any]:
    import streamlit as st

    return st.components.v2.component(
        "xner_projection_editor",
        js=(FRONTEND / "editor.js").read_text(encoding="utf-8"),
        css=(FRONTEND / "editor.css").read_text(encoding="utf-8"),
    )


def render_editor(data: Mapping[str, Any], *, key: str = "projection_editor",
                  on_change: Callable[[], None] | None = None) -> EditorValue:
    """Draw the editor for ``data`` (from :func:`editor_input`) and return its value.

    ``on_change`` runs (as a widget callback, before the rerun) after each edit; read the
    new value with the return value of this call in that rerun.
    """
    import streamlit as st

    # One widget for every item: a key per item would mount a new element per item (and
    # Streamlit can show the old one beside it until the run ends). Each time the item or
    # revision changes the visit number grows, and whatever was sent during another visit
    # is ignored, here and in the browser: coming back to an item starts it afresh.
    visits = st.session_state.setdefault("_xner_editor_visits", {})
    seen = visits.get(key)
    if seen is None or tuple(seen[:2]) != (data["item"], data["revision"]):
        seen = (data["item"], data["revision"], seen[2] + 1 if seen else 0)
        visits[key] = seen
    current = None
    try:
        current = (st.session_state[key] or {}).get("value")
    except (KeyError, AttributeError, TypeError):
        pass
    # The current value travels back in: a remounted component (layout change) resumes
    # the edits instead of starting over from the given entities.
    payload = {**data, "visit": seen[2], "current": current if isinstance(current, dict) else None}
    result = _component()(key=key, data=payload, on_value_change=on_change or _ignore)
    return read_value(result.get("value"), payload)


def editor_value(data: Mapping[str, Any], *, key: str = "projection_editor") -> EditorValue:
    """What the editor for ``data`` holds now, as the browser last sent it, without drawing
    it: for a button drawn before the editor, or a callback that runs before the rerun.

    The given entities when the editor last showed another item or revision.
    """
    import streamlit as st

    seen = st.session_state.get("_xner_editor_visits", {}).get(key)
    if seen is None or tuple(seen[:2]) != (data["item"], data["revision"]):
        return read_value(None, data)
    try:
        current = (st.session_state[key] or {}).get("value")
    except (KeyError, AttributeError, TypeError):
        current = None
    return read_value(current if isinstance(current, dict) else None, {**data, "visit": seen[2]})


def reset_editor(key: str = "projection_editor") -> None:
    """Start the editor afresh from its given entities (edits discarded on purpose): the
    next draw counts as a new visit, so the browser drops what it holds."""
    import streamlit as st

    visits = st.session_state.setdefault("_xner_editor_visits", {})
    seen = visits.get(key)
    if seen is not None:
        visits[key] = (seen[0], seen[1], seen[2] + 1)


def projection_editor(pair: SentencePair, result: ProjectionResult | None = None, *,
                      entities: Sequence[Entity] | None = None, labels: Sequence[str] | None = None,
                      item: str | None = None, revision: int = 0, key: str = "projection_editor",
                      max_candidates: int = 9, on_change: Callable[[], None] | None = None,
                      weights: Mapping[str, float] | None = None) -> EditorValue:
    """Draw ``pair`` with its projection in the editor and return the edited target entities.

    ``entities`` start the editor (default: ``result.entities``); edits live until
    ``item`` (default: ``pair.id``) or ``revision`` changes. Nothing is saved: the caller
    decides what to do with the returned :class:`EditorValue`. ``weights``: those that
    fused the candidates' scores, so each is shown as a 0–1 score (see
    :func:`~xner.app.editor.model.shown_score`; default: read back from the candidates).
    """
    data = editor_input(pair, result, entities=entities, labels=labels, item=item, revision=revision,
                        max_candidates=max_candidates, weights=weights)
    return render_editor(data, key=key, on_change=on_change)


def _ignore() -> None:
    """A value callback is what makes ``value`` a state of the component; nothing to do."""
