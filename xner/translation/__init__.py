"""Machine translation behind one interface: Apertium, transformers seq2seq, given text."""

from xner.translation.base import Translator, build_translator, translators

__all__ = ["Translator", "build_translator", "translators"]
