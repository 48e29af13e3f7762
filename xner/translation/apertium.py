"""Apertium, the rule-based translator from Debian's packages: fully offline.

Installed language pairs are discovered from Apertium's mode files. Language codes may
be given as ISO 639-1 (``en``) or as Apertium's three-letter codes (``eng``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xner.errors import ConfigError, MissingDependencyError, XnerError
from xner.translation.base import translators

MODES_DIRS = (Path("/usr/share/apertium/modes"), Path("/usr/local/share/apertium/modes"))
ISO_TO_APERTIUM = {
    "en": "eng", "es": "spa", "ca": "cat", "gl": "glg", "eu": "eus", "is": "isl", "eo": "epo",
    "fr": "fra", "pt": "por", "it": "ita", "de": "deu", "nl": "nld", "mk": "mkd", "hbs": "hbs",
    "sh": "hbs", "oc": "oci", "ro": "ron", "ru": "rus", "sv": "swe", "da": "dan", "nb": "nob",
}
# Debian packages for pairs with English (what `apt-get install` needs)
DEBIAN_PACKAGES = {
    frozenset({"eng", "spa"}): "apertium-eng-spa", frozenset({"eng", "cat"}): "apertium-eng-cat",
    frozenset({"eng", "glg"}): "apertium-en-gl", frozenset({"eng", "eus"}): "apertium-eu-en",
    frozenset({"eng", "isl"}): "apertium-isl-eng", frozenset({"eng", "epo"}): "apertium-eo-en",
    frozenset({"eng", "hbs"}): "apertium-hbs-eng", frozenset({"eng", "mkd"}): "apertium-mk-en",
}


def apertium_code(lang: str) -> str:
    return ISO_TO_APERTIUM.get(lang, lang)


def installed_pairs(modes_dirs: Sequence[Path] = MODES_DIRS) -> list[str]:
    """Names of the installed translation modes, e.g. ``eng-spa``."""
    pairs = set()
    for directory in modes_dirs:
        if directory.is_dir():
            pairs.update(p.stem for p in directory.glob("*.mode"))
    return sorted(pairs)


@dataclass(frozen=True)
class ApertiumTranslator:
    binary: str = "apertium"
    timeout: float = 120.0
    modes_dirs: tuple[Path, ...] = field(default=MODES_DIRS)
    name: str = "apertium"

    def mode(self, src_lang: str, tgt_lang: str) -> str:
        if shutil.which(self.binary) is None:
            raise MissingDependencyError("Apertium", "apt-get install apertium apertium-eng-spa")
        wanted = f"{apertium_code(src_lang)}-{apertium_code(tgt_lang)}"
        pairs = installed_pairs(self.modes_dirs)
        if wanted in pairs:
            return wanted
        package = DEBIAN_PACKAGES.get(frozenset({apertium_code(src_lang), apertium_code(tgt_lang)}),
                                      f"apertium-{apertium_code(src_lang)}-{apertium_code(tgt_lang)} (if Debian has it)")
        raise ConfigError(
            f"Apertium has no {src_lang}→{tgt_lang} pair installed ({wanted}); installed: "
            f"{', '.join(pairs) or 'none'}; add it with: apt-get install {package}"
        )

    def translate(self, texts: Sequence[str], src_lang: str, tgt_lang: str) -> list[str]:
        mode = self.mode(src_lang, tgt_lang)
        if not texts:
            return []
        # One sentence a line; Apertium keeps line breaks, so the lines map back 1:1.
        lines = [" ".join(t.split()) for t in texts]
        output = self._run(mode, "\n".join(lines) + "\n").split("\n")
        output = [line.strip() for line in output[: len(lines)]]
        if len(output) != len(lines):  # pragma: no cover - defensive: translate one by one
            output = [self._run(mode, line + "\n").strip() for line in lines]
        return output

    def _run(self, mode: str, text: str) -> str:
        try:
            done = subprocess.run([self.binary, "-u", mode], input=text, capture_output=True, text=True,
                                  timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:
            raise XnerError(f"Apertium ({mode}) took longer than {self.timeout:.0f} s") from None
        if done.returncode != 0:
            raise XnerError(f"Apertium ({mode}) failed: {done.stderr.strip()[:300]}")
        return done.stdout


@translators.register("apertium")
def _apertium(**params) -> ApertiumTranslator:
    """Apertium rule-based MT (Debian packages), offline."""
    return ApertiumTranslator(**params)
