"""Keyboard shortcuts for the review page: a key clicks the button whose label ends in
``(KEY)`` — ``Accept (A)``, ``Reject (X)``, ``Skip (Space)``, ``Undo (Backspace)``, and
``(1)`` … ``(9)`` for the candidates.
Keys typed into a text field are left alone."""

from __future__ import annotations

SCRIPT = """
<script>
const doc = window.parent.document;
if (!doc.xnerShortcuts) {
  doc.xnerShortcuts = true;
  const names = {"a": "A", "x": "X", " ": "Space", "Backspace": "Backspace",
                 "1": "1", "2": "2", "3": "3", "4": "4", "5": "5", "6": "6", "7": "7", "8": "8", "9": "9"};
  doc.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) return;
    const name = names[event.key] || names[event.key.toLowerCase()];
    if (!name) return;
    const button = Array.from(doc.querySelectorAll("button")).find(
      (b) => b.innerText.trim().endsWith("(" + name + ")"));
    if (button) { event.preventDefault(); button.click(); }
  });
}
</script>
"""


def install_shortcuts() -> None:
    import streamlit.components.v1 as components

    components.html(SCRIPT, height=0)
