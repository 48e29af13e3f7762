"""The whole method for one sentence or a dataset: translate → tag → align → project.

Two directions (METHOD §1):

- ``test`` (translate-test): target-language sentences come in; they are translated
  into the source language (usually English), tagged there, aligned back and the
  entities projected onto the *original* target words.
- ``train`` (translate-train): labelled source sentences come in; they are translated
  into the target language, aligned, and their gold entities projected: silver data.

Either way the result labels target-language words. Every input gives exactly one
result, in order; a sentence that cannot be processed carries an ``error`` and no
entities, and never stops the others. Stage times are accumulated in ``timings``;
translations and tags of repeated sentences are computed once. When a tagger and the
aligner read the same encoder, each sentence both need is encoded once for both
(``share_encoding``; counts in ``sharing``).

In translate-test, a translation may split a word the target writes whole: "Karl - Heinz
Schönberg" for "Karl-Heinz Schönberg" (hyphens set apart by the MT's tokenisation). An
English tagger, trained on text that keeps such words whole, then finds two names,
"Karl" and "Heinz Schönberg", and projection has to split the one German name between
them. :func:`rejoin_split_words` joins such neighbours again where the alignment shows
they are one target word. By default (``rejoin_split_words=None``) it does so for the
projectors that match candidates (n-gram, NER-span, fused), which then find the whole
name; the heuristic's length ratio counts the split words ("Karl - Heinz Schönberg" is
four words against two) and would drop the joined entity, so it gets them as tagged.

Translate-test can be combined with a tagger run on the target words themselves
(``combination``, e.g. ``confirm:0.6+relabel:0.8+complete:0.95``;
:mod:`xner.projection.combine`): its entities confirm, relabel or complete the projected
ones, weighed against the source NER's probability of each projected entity. That tagger
is ``target_tagger``, by default the source NER itself (a multilingual head tags the target language too).

Words are tagged, aligned and matched in one Unicode form (:func:`xner.text.matching_form`,
NFC), whatever form the input and the translations come in; the results hold the words as
they came (the input's, and the translation's as tokenized). A ``label_set``
(:mod:`xner.label_sets`) puts the projected entities in the target's labels: source
entities are projected and then mapped (MISC left out for MasakhaNER; :meth:`xner.label_sets.LabelSet.projection`).
A translation (a given one too) is tokenized with :func:`xner.text.tokenize`, or, with
``tokenize_translations=False``, split at spaces as it is.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from xner.alignment.base import Aligner
from xner.corpus import align_pairs, project_aligned
from xner.errors import ConfigError, XnerError
from xner.io.words import split_words
from xner.label_sets import LabelSet, parse_label_set
from xner.models.encoder import SharesEncoder, shared_passes
from xner.ner.base import TaggedSentence, Tagger
from xner.projection.base import Projector
from xner.projection.combine import Combination, combine, parse_combination, source_probabilities
from xner.projection.labels import HYPHENS
from xner.projection.matching import CandidateMatchingProjector
from xner.text import detokenize, in_matching_form, matching_form, pair_in_matching_form, tokenize
from xner.translation.base import Translator
from xner.types import Entity, ProjectionResult, Sentence, SentencePair, Words

DIRECTIONS = ("test", "train")


@dataclass(frozen=True)
class PipelineResult:
    """One input sentence after the pipeline.

    ``pair.source_*`` is the side the entities come from (the NER language),
    ``pair.target_*`` the side that gets labelled; ``gold`` holds entities that came
    with the input's target side (for evaluation), ``translation`` the raw MT output.
    """

    index: int
    pair: SentencePair
    projection: ProjectionResult | None
    translation: str = ""
    gold: tuple[Entity, ...] = ()
    error: str = ""

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self.projection.entities if self.projection is not None else ()

    @property
    def target_words(self) -> Words:
        return self.pair.target_words


@dataclass
class Pipeline:
    translator: Translator
    aligner: Aligner
    projector: Projector
    tagger: Tagger | None = None
    direction: str = "test"
    src_lang: str = "en"
    tgt_lang: str = "es"
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    share_encoding: bool = True
    sharing: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _translations: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)
    _tags: dict[Words, TaggedSentence] = field(default_factory=dict, repr=False)
    combination: Combination | str | None = None
    target_tagger: Tagger | None = None
    _target_tags: dict[Words, TaggedSentence] = field(default_factory=dict, repr=False)
    rejoin_split_words: bool | None = None
    label_set: LabelSet | str | None = None
    tokenize_translations: bool = True

    def __post_init__(self) -> None:
        self.label_set = parse_label_set(self.label_set)
        if self.direction not in DIRECTIONS:
            raise ConfigError(f"unknown direction {self.direction!r}; choose test (translate-test) or train (translate-train)")
        if self.direction == "test" and self.tagger is None:
            raise ConfigError("translate-test needs a source-language NER model ({ner})", settings=("ner",))
        self.combination = parse_combination(self.combination)
        if self.combination is not None and self.direction != "test":
            raise ConfigError("combining with a target tagger ({combination}) is for translate-test "
                              "({direction} test): translate-train has gold source entities to project",
                              settings=("combination", "direction"))

    @contextmanager
    def _timed(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] += time.perf_counter() - start

    # -- stages ---------------------------------------------------------------------

    def _translate(self, texts: Sequence[str], src: str, tgt: str) -> list[str | Exception]:
        """Translations of ``texts``; a failure is returned in place of its translation."""
        missing = list(dict.fromkeys(t for t in texts if (src, tgt, t) not in self._translations))
        if missing:
            try:
                for text, out in zip(missing, self.translator.translate(missing, src, tgt)):
                    self._translations[(src, tgt, text)] = out
            except XnerError:
                raise
            except Exception:  # noqa: BLE001 - isolate the sentence(s) the backend chokes on
                for text in missing:
                    try:
                        self._translations[(src, tgt, text)] = self.translator.translate([text], src, tgt)[0]
                    except Exception as error:  # noqa: BLE001
                        self._translations[(src, tgt, text)] = error  # type: ignore[assignment]
        return [self._translations[(src, tgt, t)] for t in texts]

    @property
    def _combining_tagger(self) -> Tagger:
        return self.target_tagger or self.tagger

    def target_tags(self, sentences: Sequence[Words]) -> list[TaggedSentence]:
        """The combining tagger's output on target sentences (each tagged once per pipeline)."""
        return _tagged_once(self._combining_tagger, self._target_tags, sentences)

    def _combined(self, result: PipelineResult) -> PipelineResult:
        """``result`` with its projected entities combined with the target tagger's (if asked)."""
        if self.combination is None or result.projection is None:
            return result
        tagged, = self.target_tags([result.target_words])
        source = self._tags.get(result.pair.source_words)  # the source NER's output, as tagged in run()
        sources = source_probabilities(result.projection, result.pair, source) if source is not None else {}
        entities = combine(result.projection.entities, tagged, self.combination, sources)
        projection = replace(result.projection, entities=entities,
                             method=f"{result.projection.method}+{self.combination.name}")
        return replace(result, projection=self._in_target_labels(projection))

    def _in_target_labels(self, projection: ProjectionResult) -> ProjectionResult:
        return projection if self.label_set is None else self.label_set.projection(projection)

    def _words(self, translation: str) -> Words:
        """A translation's words, as they are written out (before :func:`matching_form`); a
        tokenized translation has its language's clitics apart ("Uganda 's", as the NER was trained)."""
        lang = self.src_lang if self.direction == "test" else self.tgt_lang
        return tokenize(translation, lang) if self.tokenize_translations else split_words(translation)

    def _tag(self, sentences: Sequence[Words]) -> list[TaggedSentence]:
        return _tagged_once(self.tagger, self._tags, sentences)

    @contextmanager
    def _shared_encoding(self, inputs: Sequence[Sentence], ready: list[tuple[int, Words, str]]):
        """A scope in which each sentence that both the aligner and a tagger read from the same
        encoder (the NER head beside the embedding aligner) goes through it once: the
        translations the source NER tags in translate-test, the target sentences a target NER
        tags (ner-span, fused). Nothing is shared where the two differ in model, precision or
        device; what was kept for the second reader is released when the run ends."""
        taggers = [(self.tagger, "source")] if self.direction == "test" else []
        taggers += [(tagger, "target") for tagger in self.projector.target_taggers()]
        if self.combination is not None:
            taggers.append((self._combining_tagger, "target"))
        taggers = [(tagger, side) for tagger, side in taggers if isinstance(tagger, SharesEncoder)]
        if not (self.share_encoding and ready and taggers and isinstance(self.aligner, SharesEncoder)):
            yield None
            return
        translated = [words for _, words, _ in ready]
        originals = [tuple(inputs[k].words) for k, _, _ in ready]
        sides = {"source": translated, "target": originals} if self.direction == "test" else \
            {"source": originals, "target": translated}
        with self._timed("load"):  # models the stages would load anyway, and a one-off check that they agree
            uses = [self.aligner.encoder_use(), *(tagger.encoder_use() for tagger, _ in taggers)]
        sentences = [words for tagger, side in taggers for words in sides[side]
                     if not (tagger is self.tagger and words in self._tags)]  # tags already known: not encoded
        with shared_passes(uses, sentences) as share:
            try:
                yield share
            finally:
                for name, count in (share.stats.items() if share is not None else ()):
                    self.sharing[name] += count

    # -- public ---------------------------------------------------------------------

    def run(self, inputs: Sequence[Sentence], progress: Callable[[int], None] | None = None) -> list[PipelineResult]:
        """Process a dataset. For ``test`` the inputs are target sentences (their entities, if
        any, are kept as gold); for ``train`` labelled source sentences."""
        given, inputs = inputs, in_matching_form(inputs)
        return [self._as_given(r, given[r.index]) for r in self._run(inputs, progress)]

    def _as_given(self, result: PipelineResult, given: Sentence) -> PipelineResult:
        """``result`` with the words as they came: the input's, and the translation's before
        :func:`matching_form` (positions are the same in both forms)."""
        pair = result.pair
        translated = self._words(result.translation) if result.translation else ()
        input_side, other_side = ("target_words", "source_words") if self.direction == "test" else \
            ("source_words", "target_words")
        words = {}
        if getattr(pair, input_side) and getattr(pair, input_side) != tuple(given.words):
            words[input_side] = tuple(given.words)
        if getattr(pair, other_side) and len(translated) == len(getattr(pair, other_side)) \
                and translated != getattr(pair, other_side):
            words[other_side] = translated
        return replace(result, pair=replace(pair, **words)) if words else result

    def _run(self, inputs: Sequence[Sentence], progress: Callable[[int], None] | None) -> list[PipelineResult]:
        results: list[PipelineResult | None] = [None] * len(inputs)
        todo = []
        for k, sentence in enumerate(inputs):
            if not any(w.strip() for w in sentence.words):
                results[k] = self._failed(k, sentence, "empty sentence: nothing to label")
            else:
                todo.append(k)
        src, tgt = (self.tgt_lang, self.src_lang) if self.direction == "test" else (self.src_lang, self.tgt_lang)
        with self._timed("translate"):
            if getattr(self.translator, "name", "") == "given":
                # given translations are positional: line k translates input k
                given = self.translator.translate([detokenize(s.words) for s in inputs], src, tgt)
                translations = [given[k] for k in todo]
            else:
                translations = self._translate([detokenize(inputs[k].words) for k in todo], src, tgt)

        ready: list[tuple[int, Words, str]] = []  # (input, translated words, raw translation)
        for k, translation in zip(todo, translations):
            if isinstance(translation, Exception):
                results[k] = self._failed(k, inputs[k], f"translation failed: {translation}")
            elif not self._words(translation or ""):
                results[k] = self._failed(k, inputs[k], "the translator returned nothing", translation or "")
            else:
                ready.append((k, matching_form(self._words(translation)), translation))

        with self._shared_encoding(inputs, ready):
            self._tag_align_project(inputs, ready, results, progress)
        return [r for r in results if r is not None]

    def _tag_align_project(self, inputs: Sequence[Sentence], ready: list[tuple[int, Words, str]],
                           results: list[PipelineResult | None], progress: Callable[[int], None] | None) -> None:
        if self.direction == "test":
            with self._timed("tag"):
                tagged = self._tag([words for _, words, _ in ready])
            pairs = [
                SentencePair(words, tuple(inputs[k].words), t.entities, id=str(k))
                for (k, words, _), t in zip(ready, tagged)
            ]
        else:
            pairs = [
                SentencePair(tuple(inputs[k].words), words, tuple(inputs[k].entities), id=str(k))
                for k, words, _ in ready
            ]
        wrong_links: dict[int, str] = {}
        with self._timed("align"):
            pairs = align_pairs(pairs, self.aligner, wrong_links)  # one batch, links checked
        with self._timed("project"):
            if self.direction == "test":
                pairs = [pair_for(self.projector, pair, self.rejoin_split_words) for pair in pairs]
            # the projector sees the corpus first, e.g. to tag all target sentences in one batch
            projections = project_aligned(self.projector, pairs, label_set=self.label_set)
            for m, ((k, _, translation), pair) in enumerate(zip(ready, pairs)):
                gold = tuple(inputs[k].entities) if self.direction == "test" else ()
                try:
                    if m in wrong_links:
                        raise XnerError(wrong_links[m])
                    results[k] = PipelineResult(k, pair, projections[m][1], translation, gold)
                except Exception as error:  # noqa: BLE001 - one bad pair never stops the run
                    results[k] = PipelineResult(k, pair, None, translation, gold, f"projection failed: {error}")
                if progress is not None:
                    progress(1)
        if self.combination is not None:
            with self._timed("combine"):
                done = [k for k, _, _ in ready if results[k].projection is not None]
                self.target_tags([results[k].target_words for k in done])  # one batch
                for k in done:
                    results[k] = self._combined(results[k])

    def run_one(self, words: Sequence[str], entities: Sequence[Entity] = ()) -> PipelineResult:
        """One sentence (live use): target words for ``test``, labelled source words for ``train``."""
        return self.run([Sentence(tuple(words), tuple(entities))])[0]

    def reproject(self, result: PipelineResult, projector: Projector) -> PipelineResult:
        """Project again with other settings, reusing translation, tags and alignment (and
        combine with the target tagger as the pipeline does)."""
        if result.pair.alignment is None:
            return result
        given = result.pair
        with self._timed("project"):
            pair = pair_in_matching_form(given)
            if self.direction == "test":
                pair = pair_for(projector, self._as_tagged(pair), self.rejoin_split_words)
            result = replace(result, pair=pair, projection=self._in_target_labels(projector.project(pair)))
        if self.combination is not None:
            with self._timed("combine"):
                result = self._combined(result)
        if result.pair.source_words == given.source_words and result.pair.target_words == given.target_words:
            return result
        return replace(result, pair=replace(result.pair, source_words=given.source_words,
                                            target_words=given.target_words))

    def _as_tagged(self, pair: SentencePair) -> SentencePair:
        """``pair`` with its source entities as this pipeline's tagger found them, when they are
        those or those rejoined (so a projector that wants them apart gets them apart);
        entities a caller put there instead are left as they are."""
        tagged = self._tags.get(pair.source_words)
        if tagged is None or pair.source_entities == tagged.entities:
            return pair
        as_tagged = replace(pair, source_entities=tagged.entities)
        return as_tagged if rejoin_split_words(as_tagged).source_entities == pair.source_entities else pair

    def _failed(self, k: int, sentence: Sentence, error: str, translation: str = "") -> PipelineResult:
        words = tuple(sentence.words)
        if self.direction == "test":
            pair = SentencePair((), words, id=str(k))
            return PipelineResult(k, pair, None, translation, tuple(sentence.entities), error)
        return PipelineResult(k, SentencePair(words, (), tuple(sentence.entities), id=str(k)), None, translation, (), error)


def rejoin_split_words(pair: SentencePair) -> SentencePair:
    """``pair`` with each two source entities of one label that only a hyphen separates
    ("Karl", "-", "Heinz Schönberg") joined into one, where the words on either side of the
    hyphen are aligned to the same target word ("Karl-Heinz"): the source split a word that
    the target writes whole. Entities a hyphen separates in the target too ("VfR
    Ilbenstadt - TSG Wölfersheim", a match) stay apart.

    >>> from xner.types import Alignment
    >>> pair = SentencePair(("Karl", "-", "Heinz", "Lange"), ("Karl-Heinz", "Lange"),
    ...                     (Entity(0, 1, "PER"), Entity(2, 4, "PER")),
    ...                     alignment=Alignment.of([(0, 0), (1, 0), (2, 0), (3, 1)]))
    >>> rejoin_split_words(pair).source_entities
    (Entity(start=0, end=4, label='PER'),)
    """
    alignment, words = pair.alignment, pair.source_words
    if alignment is None or len(pair.source_entities) < 2:
        return pair
    joined: list[Entity] = []
    for entity in sorted(pair.source_entities):
        last = joined[-1] if joined else None
        if (last is not None and entity.start == last.end + 1 and words[last.end] in HYPHENS
                and entity.label == last.label and alignment.targets_of([last.end - 1]) & alignment.targets_of([entity.start])):
            joined[-1] = Entity(last.start, entity.end, entity.label)
        else:
            joined.append(entity)
    if len(joined) == len(pair.source_entities):
        return pair
    return replace(pair, source_entities=tuple(joined))


def pair_for(projector: Projector, pair: SentencePair, rejoin: bool | None = None) -> SentencePair:
    """The translate-test ``pair`` as ``projector`` gets it: split words rejoined
    (:func:`rejoin_split_words`) when ``rejoin`` says so, by default (``None``) for the
    projectors that match candidates and not for the heuristic, whose length ratio counts
    the split words. Rejoining a pair twice changes nothing."""
    if rejoin is None:
        rejoin = isinstance(projector, CandidateMatchingProjector)
    return rejoin_split_words(pair) if rejoin else pair


def _tagged_once(tagger: Tagger, cache: dict[Words, TaggedSentence],
                 sentences: Sequence[Words]) -> list[TaggedSentence]:
    """``tagger``'s output on ``sentences``, tagging (in one batch) only those not in ``cache`` yet."""
    missing = list(dict.fromkeys(s for s in sentences if s not in cache))
    if missing:
        cache.update(zip(missing, tagger.tag(missing)))
    return [cache[s] for s in sentences]
