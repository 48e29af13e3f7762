"""Back-translation refinement (METHOD §5, "enhancement 1").

The labelled source sentence is translated into the target language with every entity
wrapped in markers (``[ ... ]``), and each entity is translated alone. Each marked span
in the output takes the label of the entity whose translation is most similar to it
(difflib ratio > 0.5, the best one). That labelled target-language sentence is aligned
with the original target sentence (same language) and projected with an inner method.
It helps where words are not separated by spaces and hurts recall elsewhere, so it is
an option (method ``backtranslation``) and a candidate source, never the default.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from xner.alignment.base import Aligner
from xner.projection.base import Projector
from xner.text import detokenize, tokenize
from xner.types import Entity, ProjectionResult, SentencePair, Span, Words

OPEN, CLOSE = "[", "]"
_MARKED = re.compile(r"\[([^\[\]]*)\]")


def mark_entities(words: Sequence[str], entities: Sequence[Entity]) -> str:
    marked: list[str] = []
    starts = {e.start for e in entities}
    ends = {e.end for e in entities}
    for index, word in enumerate(words):
        if index in starts:
            marked.append(OPEN)
        marked.append(word)
        if index + 1 in ends:
            marked.append(CLOSE)
    return detokenize(marked)


def read_marked(translation: str, entity_translations: Sequence[str], labels: Sequence[str],
                threshold: float = 0.5) -> tuple[Words, tuple[Entity, ...]]:
    """Words of the marked translation and the labelled spans between its markers."""
    words: list[str] = []
    entities: list[Entity] = []
    position = 0
    for match in _MARKED.finditer(translation):
        words += _words(translation[position : match.start()])
        inner = _words(match.group(1))
        start = len(words)
        words += inner
        position = match.end()
        if not inner:
            continue
        text = " ".join(inner).lower()
        best, best_ratio = None, threshold
        for label, candidate in zip(labels, entity_translations):
            ratio = difflib.SequenceMatcher(None, text, " ".join(_words(candidate)).lower()).ratio()
            if ratio > best_ratio:  # the best above threshold (the published code took the last)
                best, best_ratio = label, ratio
        if best is not None:
            entities.append(Entity(start, len(words), best))
    words += _words(translation[position:])
    return tuple(words), tuple(entities)


def _words(text: str) -> list[str]:
    # Markers the MT left unpaired or nested are dropped before any word is counted, so
    # the entity offsets refer to the words that are returned.
    return [w for w in tokenize(text) if w not in (OPEN, CLOSE)]


@dataclass
class BackTranslationProjector(Projector):
    translator: object
    aligner: Aligner
    inner: Projector
    src_lang: str = "en"
    tgt_lang: str = "es"
    name: str = "backtranslation"
    _cache: dict = field(default_factory=dict, repr=False)

    _alignments: dict = field(default_factory=dict, repr=False)

    def prepare(self, pairs: Sequence[SentencePair]) -> None:
        """Translate (one translator call) and align (one aligner call) a whole dataset."""
        todo = list(dict.fromkeys((p.source_words, p.source_entities) for p in pairs
                                  if p.source_entities and (p.source_words, p.source_entities) not in self._cache))
        if todo:
            texts, counts = [], []
            for words, entities in todo:
                texts += [mark_entities(words, entities)] + [e.text(words) for e in entities]
                counts.append(1 + len(entities))
            outputs = self.translator.translate(texts, self.src_lang, self.tgt_lang)
            position = 0
            for (words, entities), n in zip(todo, counts):
                chunk = outputs[position : position + n]
                position += n
                self._cache[(words, entities)] = read_marked(chunk[0], chunk[1:], [e.label for e in entities])
        wanted = []
        for p in pairs:
            if p.source_entities:
                words, _ = self.labelled_translation(p)
                if words and (words, p.target_words) not in self._alignments:
                    wanted.append((words, p.target_words))
        wanted = list(dict.fromkeys(wanted))
        if wanted:
            self._alignments.update(zip(wanted, self.aligner.align(wanted)))

    def labelled_translation(self, pair: SentencePair) -> tuple[Words, tuple[Entity, ...]]:
        key = (pair.source_words, pair.source_entities)
        if key not in self._cache:
            self.prepare([pair])
        return self._cache[key]

    def project(self, pair: SentencePair) -> ProjectionResult:
        if not pair.source_entities:
            return ProjectionResult((), (), self.name)
        words, entities = self.labelled_translation(pair)
        if not words or not entities:
            return ProjectionResult((), (), self.name)
        key = (words, pair.target_words)
        if key not in self._alignments:
            self._alignments[key] = self.aligner.align([key])[0]
        inner = self.inner.project(SentencePair(words, pair.target_words, entities, alignment=self._alignments[key]))
        return ProjectionResult(inner.entities, inner.candidates, self.name)


@dataclass
class BackTranslationExtractor:
    """Back-translation projections as candidates for candidate matching."""

    projector: BackTranslationProjector
    name: str = "backtranslation"

    def prepare(self, pairs: Sequence[SentencePair]) -> None:
        self.projector.prepare(pairs)

    def extract(self, pair: SentencePair) -> list[list[Span]]:
        spans = [e.span for e in self.projector.project(pair).entities]
        return [spans for _ in pair.source_entities]
