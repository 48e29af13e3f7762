"""The models a shared server offers: the installed ones and an administrator's allow-list.

A page that takes a model by name would otherwise load whatever folder a visitor types
(``/etc``, ``/root/.ssh``) and, in failing, tell them what it found there. The live page
checks every model setting against :func:`offered_models` before anything is loaded; a
name that is not offered is refused the same way whether or not it exists, so the
refusal says nothing about the server's folders.

Offered: the defaults (the offline encoder, written as an empty setting; Apertium; the
source NER ``xner models install`` set up) and every spec listed in ``XNER_MODELS``,
comma-separated, exactly as it is typed in the page (``hf:Davlan/xlm-roberta-base-ner-hrl``,
``head:/srv/xner/de-head``, ``/srv/xner/nllb-600M``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from xner.errors import ConfigError

MODELS_ENV = "XNER_MODELS"


def offered_models() -> tuple[str, ...]:
    """The model specs this server offers, defaults first."""
    from xner.ner.base import default_source_ner

    listed = [spec.strip() for spec in os.environ.get(MODELS_ENV, "").split(",") if spec.strip()]
    return tuple(dict.fromkeys(["apertium", default_source_ner(), *listed]))


def check_offered(settings: Mapping[str, str]) -> None:
    """Refuse (a :class:`ConfigError` naming the setting) a model setting that is not offered;
    an empty setting (the default, or none) always is."""
    offered = offered_models()
    for key, spec in settings.items():
        if spec.strip() and spec.strip() not in offered:
            raise ConfigError("{" + key + "}: {spec!r} is not one of the models this server offers ({offered}); "
                              "an administrator adds models with " + MODELS_ENV,
                              settings=(key,), spec=spec.strip(), offered=", ".join(offered))
