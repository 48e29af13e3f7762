"""String-keyed registries, so a config file, a CLI flag or a dropdown can name a part.

>>> aligners = Registry("aligner")
>>> @aligners.register("null")
... def _null(layer: int = 7): return "an aligner"
>>> aligners.create("null")
'an aligner'

Options are checked against the factory's signature (and, for a factory that passes
``**params`` on, against the class it returns), so a misspelt option is an error
instead of being ignored:

>>> aligners.create("null", layr=7)
Traceback (most recent call last):
...
xner.errors.ConfigError: aligner 'null' has no option 'layr'; it takes: layer
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from xner.errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}
        self._help: dict[str, str] = {}
        self._settings: dict[str, type] = {}

    def register(self, name: str, help: str = "", settings: type | None = None,
                 ) -> Callable[[Callable[..., T]], Callable[..., T]]:
        """Register ``factory`` under ``name``; ``settings``: the frozen dataclass declaring its
        options (:mod:`xner.settings`), from which flags, widgets and wording are derived."""
        def decorate(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._factories:
                raise ValueError(f"{self.kind} {name!r} is registered twice")
            self._factories[name] = factory
            if settings is not None:
                self._settings[name] = settings
            doc_lines = (factory.__doc__ or "").strip().splitlines()
            self._help[name] = help or (doc_lines[0] if doc_lines else "")
            return factory

        return decorate

    def names(self) -> list[str]:
        return sorted(self._factories)

    def describe(self, name: str) -> str:
        return self._help.get(name, "")

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def create(self, name: str, **params: Any) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            raise ConfigError(
                f"unknown {self.kind} {name!r}; choose one of: {', '.join(self.names())}"
            ) from None
        accepted = options_of(factory)
        unknown = [k for k in params if accepted is not None and k not in accepted]
        if unknown:
            raise ConfigError(
                f"{self.kind} {name!r} has no option {', '.join(map(repr, unknown))}; it takes: "
                f"{', '.join(sorted(accepted)) or '(none)'}"
            )
        return factory(**params)

    def settings(self, name: str) -> type | None:
        """The settings class ``name`` declared when it registered (``None``: none)."""
        return self._settings.get(name)

    def unregister(self, name: str) -> None:
        """Forget ``name`` (a test's component, registered for the test only)."""
        self._factories.pop(name, None)
        self._help.pop(name, None)
        self._settings.pop(name, None)

    def options(self, name: str) -> frozenset[str] | None:
        """The option names ``name`` accepts (``None``: not known from its signature)."""
        return options_of(self._factories[name])


_VARIADIC = (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)


def options_of(factory: Callable[..., Any]) -> frozenset[str] | None:
    """Keyword options of ``factory``: its named parameters, plus those of the class it
    returns when it passes ``**params`` on (``def f(**params) -> Cls: return Cls(**params)``)."""
    parameters = inspect.signature(factory).parameters.values()
    named = {p.name for p in parameters if p.kind not in _VARIADIC}
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return frozenset(named)
    try:
        returned = typing.get_type_hints(factory).get("return")
    except Exception:  # noqa: BLE001 - an annotation that cannot be resolved: nothing to check against
        return None
    if not inspect.isclass(returned):
        return None
    inner = inspect.signature(returned).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in inner):
        return None
    return frozenset(named | {p.name for p in inner if p.kind not in _VARIADIC})
