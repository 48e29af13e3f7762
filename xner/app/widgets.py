"""A declared setting (:mod:`xner.settings`) as a sidebar widget of the live page.

The widget follows from the declaration: a yes/no setting is a checkbox, one with choices a
select box, one with bounds a number input (or slider), any other a text box; its label,
default, help and key (the setting's name unless declared) too. So a method's option
declared once appears on the page without the page naming it.
"""

from __future__ import annotations

from typing import Any

from xner.settings import METHOD, Setting, settings_of


def page_settings(schema: type | None, scope: str = METHOD) -> list[Setting]:
    """The settings of ``schema`` in ``scope`` that the page shows (``on_page`` not declared false)."""
    if schema is None:
        return []
    return [s for s in settings_of(schema) if s.scope == scope and s.widget.get("on_page", True)]


def setting_widget(st, s: Setting, **options: Any) -> Any:
    """Draw ``s`` with Streamlit (``st``) and return its value (``None``: not set, where a
    number widget's 0 means "no limit", ``zero_is_none``); ``options`` go to the widget
    (e.g. ``persist_state``)."""
    key = s.widget.get("key", s.name)
    common = dict(key=key, help=s.help, **options)
    if s.type is bool:
        return st.checkbox(s.label, bool(s.default), **common)
    if s.choices:
        choices = list(s.choices)
        return st.selectbox(s.label, choices, index=choices.index(s.default) if s.default in choices else 0,
                            **common)
    if s.bounds is not None:
        low, high, step = s.bounds
        number = float if s.type is float else int
        default = number(s.default if s.default is not None else low)
        if s.widget.get("widget_kind") == "slider":
            value = st.slider(s.label, number(low), number(high), default, number(step), **common)
        else:
            value = st.number_input(s.label, number(low), number(high), default, number(step), **common)
        return None if s.widget.get("zero_is_none") and value == 0 else value
    return st.text_input(s.label, "" if s.default is None else str(s.default), **common).strip() or None
