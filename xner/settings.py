"""Settings declared once: a component's options as the fields of a frozen dataclass.

A registered component (a projection method) names its settings class when it registers
(``projectors.register("ngram", settings=NgramSettings)``); each field is one setting, made
with :func:`setting`: its type (the annotation), default, help, scope, and how the command
line and the app name it. Everything else is derived from that one declaration: the flags
of ``xner project`` (:func:`xner.cli.project`), which options apply to which method, the
sidebar widgets of the live page and the wording of a :class:`~xner.errors.ConfigError`
that names a setting (:func:`flag`, :func:`label`). Adding an option to a method is one
field here plus its test.

"Not set" has one spelling, ``None`` (:data:`NOT_SET`): the component's own default applies.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo:
...     window: int = setting(3, "Words either side.", label="Window (words)")
>>> [(s.name, s.type, s.default, s.flag, s.scope) for s in settings_of(Demo)]
[('window', <class 'int'>, 3, '--window', 'method')]
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

NOT_SET = None  # the one "not set": the component's own default applies

# A setting's scope: shared span finishing (every method finishes its spans alike), the
# method's own, or one that brings in a model (and, on the live page, is checked against
# the models the server offers).
FINISHING, METHOD, MODEL = "span finishing", "method", "model"
SCOPES = (FINISHING, METHOD, MODEL)


@dataclass(frozen=True)
class Setting:
    """One declared setting, read back from its field (see :func:`setting`)."""

    name: str
    type: type
    default: Any
    help: str
    scope: str = METHOD
    flag: str = ""  # the command line's flag ("--max-ngram"; a bool also takes "--no-...")
    aliases: tuple[str, ...] = ()  # older flags still accepted
    label: str = ""  # the live page's widget label
    choices: tuple[Any, ...] = ()  # the values a select box offers (empty: free input)
    bounds: tuple[float, float, float] | None = None  # (lowest, highest, step) for a number widget
    widget: dict[str, Any] = dataclasses.field(default_factory=dict)  # the page's extra widget options (key …)


def setting(default: Any, help: str, *, scope: str = METHOD, flag: str = "", aliases: tuple[str, ...] = (),
            label: str = "", choices: tuple[Any, ...] = (), bounds: tuple[float, float, float] | None = None,
            **widget: Any) -> Any:
    """A dataclass field declaring one setting (its type is the field's annotation)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; choose one of: {', '.join(SCOPES)}")
    metadata = dict(help=help, scope=scope, flag=flag, aliases=aliases, label=label, choices=choices, bounds=bounds,
                    widget=widget)
    return dataclasses.field(default=default, metadata={"xner": metadata})


def settings_of(schema: type) -> list[Setting]:
    """The settings a schema class declares, in declaration order (inherited ones first)."""
    hints = typing.get_type_hints(schema)
    found = []
    for field in dataclasses.fields(schema):
        meta = field.metadata.get("xner")
        if meta is None:
            continue
        found.append(Setting(field.name, _plain(hints[field.name]), field.default, meta["help"], meta["scope"],
                             meta["flag"] or "--" + field.name.replace("_", "-"), meta["aliases"],
                             meta["label"] or field.name.replace("_", " ").capitalize(), meta["choices"],
                             meta["bounds"], meta["widget"]))
    return found


def _plain(annotation: Any) -> type:
    """``int | None`` → ``int``: the type a flag or widget reads (``None`` is "not set")."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def by_name(schemas: Iterable[type]) -> dict[str, Setting]:
    """Every setting the schemas declare, by name; the first declaration names it."""
    named: dict[str, Setting] = {}
    for schema in schemas:
        for s in settings_of(schema):
            named.setdefault(s.name, s)
    return named


def flag(name: str, declared: dict[str, Setting] | None = None) -> str:
    """The command-line flag of setting ``name``: its declared flag, else ``--`` and the name
    with dashes (``target_ner`` → ``--target-ner``)."""
    found = (declared or {}).get(name)
    return found.flag if found is not None else "--" + name.replace("_", "-")


def label(name: str, declared: dict[str, Setting] | None = None) -> str:
    """The live page's label of setting ``name`` (its name, spaced, where none is declared)."""
    found = (declared or {}).get(name)
    return found.label if found is not None else name.replace("_", " ").capitalize()
