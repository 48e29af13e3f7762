"""The projection editor: source above target, alignment links between them, spans edited
with the mouse and the keyboard, the edited target entities returned to Python.

``editor_input`` and ``read_value`` are plain Python (tested without a browser);
``projection_editor`` draws the Streamlit component (streamlit is imported on first use).
"""

from xner.app.editor.component import editor_value, projection_editor, render_editor, reset_editor
from xner.app.editor.model import LABELS, EditorValue, editor_input, link_sources, read_value

__all__ = ["LABELS", "EditorValue", "editor_input", "link_sources", "projection_editor", "read_value",
           "editor_value", "render_editor", "reset_editor"]
