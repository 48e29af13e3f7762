"""The settings of every projection method, each declared once (:mod:`xner.settings`).

The span-finishing settings are shared (:class:`SpanFinishing`); each method's class adds
its own and those that bring in a model. A method registers its class
(``@projectors.register("ngram", settings=NgramSettings)``); ``xner project``'s flags, which
flags apply to which method, the live page's widgets and the wording of errors come from
here. Defaults are the factories' (a test checks they agree).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xner.settings import FINISHING, MODEL, Setting, by_name, setting, settings_of

DERIVED_HELP = ("Labels for derived forms (one lower-case word from a name, e.g. 'finnischen'; in German also "
                "'Frankfurter' for Frankfurt): LOC=MISC,ORG=MISC (default), none (keep the name's label), or "
                "LOC=O,ORG=O,MISC=O to leave them unlabelled as CoNLL-2002 Spanish does.")


@dataclass(frozen=True)
class SpanFinishing:
    """How every method finishes a chosen span: its edges and its label."""

    trim_punctuation: bool = setting(True, "Keep commas, full stops etc. off span edges.", scope=FINISHING,
                                     label="Keep punctuation off span edges", key="trim")
    # the target language: its function words are trimmed off span edges unless aligned to the entity's content
    # words (its key is the library's; the command line calls it --tgt-lang)
    trim_stop_words: str | None = setting(
        None, "Language of TARGET (e.g. de): its function words are trimmed off span edges unless aligned to the "
        "entity's content words (recommended).", scope=FINISHING, flag="--tgt-lang", aliases=("--trim-stop-words",),
        label="Target language")
    src_lang: str = setting("en", "Language of SOURCE, for its function words.", scope=FINISHING,
                            label="Source (NER) language")
    derived_labels: str | Mapping[str, str] | None = setting(None, DERIVED_HELP, scope=FINISHING,
                                                             label="Derived-form labels")
    compound_labels: str | Mapping[str, str] | None = setting(
        None, "Labels for a compound that joins a name and other words in one hyphenated word ('CDU-Parteitag' for "
        "'CDU party conference'): none (default: the name's label, as German Europarl) or LOC=MISC,ORG=MISC,PER=MISC "
        "(German CoNLL-2003).", scope=FINISHING, label="Compound labels")
    learn_edges: bool = setting(
        True, "Trim the words this corpus's alignments show standing beside names (titles, particles) off span "
        "edges; learned per run, for languages with or without a word list.", scope=FINISHING,
        label="Learn edge words from the corpus")


@dataclass(frozen=True)
class HeuristicSettings(SpanFinishing):
    merge_distance: int = setting(1, "Merge ranges this many words apart.", label="Merge distance d",
                                  bounds=(0, 5, 1), key="d")
    threshold: float = setting(0.8, "Keep ranges with length ratio above this.", label="Length ratio threshold",
                               bounds=(0.0, 1.0, 0.05), widget_kind="slider")
    top_k: int | None = setting(None, "Keep only the k longest ranges (no limit).", label="Top-k ranges (0 = all)",
                                bounds=(0, 10, 1), zero_is_none=True)
    drop_punctuation: bool = setting(False, "Ignore punctuation-only target words.", label="Ignore punctuation",
                                     on_page=False)
    collision: str = setting("first", "On overlaps: first or longer wins.", label="On overlaps",
                             choices=("first", "longer"), on_page=False)


_SOLVER = dict(label="Solver", choices=("greedy", "exact"))
_MAX_NGRAM = dict(label="Max n-gram", bounds=(1, 20, 1))
NAME_HELP = ("Weight of the name score (target n-grams spelling a source entity, found even where the aligner "
             "missed them) beside the alignment's; 0 turns it off.")


@dataclass(frozen=True)
class NgramSettings(SpanFinishing):
    max_ngram: int = setting(10, "Longest candidate n-gram.", **_MAX_NGRAM)
    window: bool | None = setting(
        None, "--window: only n-grams between the aligned words (published); --no-window: every n-gram; default: "
        "the window wherever that changes no choice.", label="N-grams in the aligned window only", on_page=False)
    solver: str = setting("greedy", "greedy or exact.", **_SOLVER)
    name_weight: float = setting(1.0, NAME_HELP, label="Name score weight", bounds=(0.0, 5.0, 0.1), on_page=False)


_TARGET_NER = ("Target-language NER (spacy:MODEL, hf:MODEL, head:DIR) proposing and scoring spans.")


@dataclass(frozen=True)
class NerSpanSettings(SpanFinishing):
    target_ner: str | None = setting(None, _TARGET_NER, scope=MODEL, label="Target NER")
    solver: str = setting("greedy", "greedy or exact.", **_SOLVER)


@dataclass(frozen=True)
class FusedSettings(SpanFinishing):
    max_ngram: int = setting(10, "Longest candidate n-gram.", **_MAX_NGRAM)
    solver: str = setting("greedy", "greedy or exact.", **_SOLVER)
    target_ner: str | None = setting(None, _TARGET_NER, scope=MODEL, label="Target NER")
    translation_model: str | None = setting(
        None, "Seq2seq model (hub id or directory, e.g. NLLB) for the translation score; needs --tgt-lang.",
        scope=MODEL, label="Translation model for the translation score")
    weights: str | Mapping[str, float] | None = setting(
        None, "Score weights, e.g. alignment=0.5,ner=0.5,translation=1 (default: that, for the scores configured).",
        scope=MODEL, label="Score weights")
    ner_score: str = setting(
        "words", "NER score: words (published, from per-word probabilities; default) or whole (the exact probability "
        "that a candidate is one whole entity; needs a CRF head as --target-ner).", label="NER score",
        choices=("words", "whole"))
    ner_alone: bool = setting(
        True, "--no-ner-alone: never choose a candidate that only the NER score supports (no word of the source "
        "entity aligned to it); --ner-alone: as published.", label="A candidate only the NER score supports can be "
        "chosen")
    translation_prefilter: bool = setting(
        True, "Translation-score only the candidates the alignment or NER score supports (default, far fewer model "
        "calls); --no-translation-prefilter: every candidate, so one supported by the translation score alone can "
        "win.", label="Translation-score only supported candidates", on_page=False)
    name_weight: float = setting(0.0, NAME_HELP, label="Name score weight", bounds=(0.0, 5.0, 0.1), on_page=False)


@dataclass(frozen=True)
class BacktranslationSettings(SpanFinishing):
    """Back-translation finishes spans in its inner projection, onto the original target words."""

    translator: str = setting("apertium", "Translator into the target language (apertium, hf:MODEL).", scope=MODEL,
                              label="Back-translation translator", on_page=False)
    inner: str = setting("heuristic", "Projection of the back-translation onto the target: heuristic or ngram.",
                         label="Projection of the back-translation onto the target", choices=("heuristic", "ngram"))


def declared_settings() -> dict[str, Setting]:
    """Every setting any registered method declares, by name (the first declaration's flag and
    label): what the command line and the page call each one."""
    from xner.projection.base import projectors
    from xner.projection.methods import available_methods

    available_methods()  # registers the built-in methods
    return by_name(filter(None, (projectors.settings(name) for name in projectors.names())))


def alignment_only_methods() -> list[str]:
    """The methods that need nothing beside the alignment (no setting of theirs brings in a
    model): what a page can offer without asking for models. The default method first."""
    from xner.projection.base import DEFAULT_METHOD, projectors

    declared_settings()  # registers the built-in methods
    found = [name for name in projectors.names() if projectors.settings(name) is not None
             and not any(s.scope == MODEL for s in settings_of(projectors.settings(name)))]
    return sorted(found, key=lambda name: name != DEFAULT_METHOD)
