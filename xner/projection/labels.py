"""The label a projected span gets.

Usually the source entity's. One exception follows the CoNLL annotation guidelines:
words *derived* from a name — nationality and other adjectives like "finnischen" for
"Finland" or "comunitarias" for "Community" — are MISC, not LOC or ORG. Languages often
render a source name as such a derived word ("in Belgium, Finland" → "in belgischen,
finnischen Häfen"), and in the many languages that write adjectives in lower case it
shows: a single lower-case target word projected from a capitalised source name is a
derived form. :func:`projected_label` relabels exactly that case through a mapping
(``LOC/ORG → MISC`` by default; adjectives from person names are rare, and a person
projected onto a lower-case word is more likely a wrong link). Labels outside the
mapping (other tag sets) never change and an empty mapping turns the rule off. A
mapping to ``O`` leaves the derived form unlabelled, as guidelines that do not annotate
such adjectives want (CoNLL-2002 Spanish: "español", "europeo" are O; English CoNLL-2003
labels "Spanish" MISC): ``LOC=O,ORG=O,MISC=O``. The rule needs a script with case: in
Arabic, Chinese, Thai, ... every word lacks upper-case letters, names included, so a word
there is never taken for a derived form.

German writes one kind of derived form with a capital: place adjectives and demonyms in
*-er* ("Frankfurter Polizei", "die Kölner", "Bad Homburger"), MISC in German CoNLL-2003
like their lower-case kin. For a target language with such endings
(:data:`DERIVED_ENDINGS`), a span that spells the source name plus one of them is a
derived form too ("Frankfurt" → "Frankfurter"; case and diacritics aside, and the name
may lose up to two final letters: "Bremen" → "Bremer", "Darmstadt" → "Darmstädter").

The converse happens too: the source writes a derived form where the target writes the name
itself ("Nigerian police" → "Nigeria police", "South African police" → "poliisi y'e South
Africa"). English CoNLL labels "Nigerian" MISC; the target span is the place's name, LOC. A
source entity labelled as in :data:`BASE_NAME_LABELS` whose target span is capitalised and
spells the source word less one of the source language's derived-form endings
(:data:`SOURCE_DERIVED_ENDINGS`: "Nigeria" + "n", "Turk(ey)" + "ish") gets the name's label.

A second convention concerns *compounds*: German joins a name and a common noun into one
word ("CDU-Parteitag" for "CDU party conference", "US-Soldaten" for "US soldiers").
Guidelines differ: German CoNLL-2003 labels such a word MISC, the German Europarl corpus
mostly keeps the name's label ("EU-Recht" ORG). :func:`projected_label` relabels a
compound only through an explicit mapping (``compounds``, empty by default): a span of one
hyphenated word that is also aligned to a source content word outside the entity.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from xner.errors import ConfigError
from xner.projection.boundaries import BoundaryTrimmer, is_edge_punctuation, is_function_word
from xner.reasons import Chosen, LeftUnlabelled, OnlyEdgeWords, Reason
from xner.types import Entity, SentencePair, Span

DERIVED_LABELS: Mapping[str, str] = {"LOC": "MISC", "ORG": "MISC"}
# target languages that write derived forms with a capital, and the endings that make them
DERIVED_ENDINGS: Mapping[str, tuple[str, ...]] = {"de": ("er", "ern", "ers")}
# source languages' endings that derive an adjective or demonym from a place name, and the label of the
# place: "Nigerian" (MISC) projected onto "Nigeria" is LOC
SOURCE_DERIVED_ENDINGS: Mapping[str, tuple[str, ...]] = {
    "en": ("n", "an", "ian", "ean", "ese", "ish", "i", "ns", "ans", "ians", "eans", "is")}
# a target ending so writes a demonym itself ("Germans" → "German", "Somalis" → "Somali"), not the place
DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "ans", "ns")
BASE_NAME_LABELS: Mapping[str, str] = {"MISC": "LOC"}
COMPOUND_MISC = "LOC=MISC,ORG=MISC,PER=MISC"  # German CoNLL-2003: a word joining a name and a noun is MISC
NOT_AN_ENTITY = "O"  # a derived form mapped to this is left unlabelled
HYPHENS = frozenset("-\u2010\u2011")  # hyphen-minus, hyphen, non-breaking hyphen


def projected_label(pair: SentencePair, entity_index: int, span: Span,
                    derived: Mapping[str, str] = DERIVED_LABELS, compounds: Mapping[str, str] | None = None,
                    lang: str | None = None, src_lang: str | None = "en") -> str:
    """The label for ``span`` projected from source entity ``entity_index``: ``derived`` maps
    the label of a derived form, ``compounds`` that of a compound word; ``lang`` is the
    target language (its capitalised derived forms, :data:`DERIVED_ENDINGS`), ``src_lang``
    the source language (its function words do not make a word a compound)."""
    return label_rule(pair, entity_index, span, derived, compounds, lang, src_lang)[0]


def label_rule(pair: SentencePair, entity_index: int, span: Span,
               derived: Mapping[str, str] = DERIVED_LABELS, compounds: Mapping[str, str] | None = None,
               lang: str | None = None, src_lang: str | None = "en") -> tuple[str, str | None]:
    """:func:`projected_label` and the rule that gave it: ``derived form``, ``compound``,
    ``base name`` (the name a derived source word comes from), or ``None`` (the source
    entity's own label)."""
    entity: Entity = pair.source_entities[entity_index]
    label = entity.label
    source = pair.source_words[entity.start:entity.end]
    if label in derived and any(ch.isupper() for word in source for ch in word):
        target = pair.target_words[span.start:span.end]
        if len(span) == 1 and is_written_in_lower_case(target[0]) or spells_derived_form(target, source, lang):
            return derived[label], "derived form"
    if compounds and label in compounds and len(span) == 1 and is_compound(pair, entity, span.start, src_lang):
        return compounds[label], "compound"
    if label in BASE_NAME_LABELS and spells_base_name(pair.target_words[span.start:span.end], source, src_lang):
        return BASE_NAME_LABELS[label], "base name"
    return label, None


def _folded(words) -> str:
    """Lower case without diacritics: "Darmstädter" → "darmstadter"."""
    lowered = " ".join(words).lower()
    if lowered.isascii():  # nothing to decompose (the common case, and called per projected name)
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def spells_derived_form(target, source, lang: str | None) -> bool:
    """Whether the ``target`` words spell the ``source`` name with one of ``lang``'s
    derived-form endings ("Bad Homburger" for "Bad Homburg"; "Bremer" for "Bremen")."""
    endings = DERIVED_ENDINGS.get(lang or "", ())
    if not endings or len(target) != len(source):
        return False
    word, name = _folded(target), _folded(source)
    if word.startswith(name):  # the whole name and more: that more must be an ending ("Niger", "Bayers": no)
        return word[len(name):] in endings
    return any(len(name) - cut >= 3 and word.startswith(name[:len(name) - cut]) and word[len(name) - cut:] in endings
               for cut in (1, 2))


def spells_base_name(target, source, src_lang: str | None) -> bool:
    """Whether the ``target`` words write the name that the ``source`` words derive from
    ("Nigeria" for "Nigerian", "Turkey" for "Turkish", "South Africa" for "South African"):
    the target capitalised, and the source its spelling (less up to two final letters) plus
    one of ``src_lang``'s derived-form endings."""
    endings = SOURCE_DERIVED_ENDINGS.get(src_lang or "", ())
    if not endings or not target or not (target[0][:1].isupper() or target[0][:1].istitle()):
        return False
    name, word = _folded(target).replace(" ", ""), _folded(source).replace(" ", "")
    if len(name) >= len(word) or word == name + "s" or name.endswith(DEMONYM_ENDINGS):
        return False  # the target writes the derived form too ("Nigerians", "Germans" → "German")
    return any(len(name) - cut >= 3 and word.startswith(name[:len(name) - cut]) and word[len(name) - cut:] in endings
               for cut in (0, 1, 2))


def is_compound(pair: SentencePair, entity: Entity, position: int, src_lang: str | None = "en") -> bool:
    """Whether target word ``position``, projected from ``entity``, joins the name with other
    words: written with an inner hyphen ("CDU-Parteitag") and aligned to a source content
    word outside every source entity ("party" in "CDU party conference"; not "the", not
    punctuation, not "Heinz" of another name in "Karl - Heinz")."""
    word = pair.target_words[position].strip("".join(HYPHENS))
    if not any(ch in HYPHENS for ch in word) or pair.alignment is None:
        return False
    named = {i for e in pair.source_entities for i in e.span.indices()}  # another name is no common noun
    outside = (pair.source_words[i] for i in pair.alignment.sources_of([position]) if i not in named)
    return any(not is_edge_punctuation(w) and w not in HYPHENS and not is_function_word(w, src_lang) for w in outside)


def is_written_in_lower_case(word: str) -> bool:
    """A word of a cased script written in lower case ("finnischen", "ευρωπαϊκή"); false
    for words of scripts without case ("فنلندا", "芬兰", "ฟินแลนด์"), whose letters are
    neither upper nor lower case."""
    return any(ch.islower() for ch in word) and not any(ch.isupper() or ch.istitle() for ch in word)


def projected_entity(pair: SentencePair, entity_index: int, span: Span, boundaries: BoundaryTrimmer | None,
                     derived: Mapping[str, str] = DERIVED_LABELS,
                     compounds: Mapping[str, str] | None = None) -> tuple[Entity | None, Reason]:
    """The entity a chosen ``span`` becomes: edges refined, label from :func:`label_rule`
    (the target language read from ``boundaries``), with the candidate's reason saying what
    finishing did; or ``None`` and the reason why there is none (trimming left nothing, or
    a derived form mapped to ``O``)."""
    refined = span
    if boundaries is not None:
        refined = boundaries.refine(pair, entity_index, span)
        if refined is None:
            return None, OnlyEdgeWords(chosen=True)
    label, rule = label_rule(pair, entity_index, refined, derived, compounds,
                             lang=boundaries.lang if boundaries else None,
                             src_lang=boundaries.source_lang if boundaries else "en")
    if label == NOT_AN_ENTITY:
        return None, LeftUnlabelled(pair.target_words[refined.start])
    words = pair.target_words
    trimmed = (*words[span.start:refined.start], *words[refined.end:span.end])
    relabelled = rule is not None and label != pair.source_entities[entity_index].label
    return Entity(refined.start, refined.end, label), Chosen(trimmed, rule if relabelled else None,
                                                             label if relabelled else None)


def parse_compound_labels(text: str | Mapping[str, str] | None) -> Mapping[str, str]:
    """Like :func:`parse_derived_labels`, for compound words; off (empty) by default.

    >>> parse_compound_labels("LOC=MISC,ORG=MISC"), parse_compound_labels(None)
    ({'LOC': 'MISC', 'ORG': 'MISC'}, {})
    """
    return {} if text is None else parse_derived_labels(text, what="compound labels")


def parse_derived_labels(text: str | Mapping[str, str] | None, what: str = "derived labels") -> Mapping[str, str]:
    """``"LOC=MISC,ORG=MISC"`` (or a mapping) → mapping; ``"none"`` or ``""`` → no relabelling;
    a target ``O`` leaves derived forms of that label unlabelled.

    >>> parse_derived_labels("LOC=o, ORG=O,MISC=O")
    {'LOC': 'O', 'ORG': 'O', 'MISC': 'O'}
    """
    if text is None:
        return DERIVED_LABELS
    if not isinstance(text, str):
        return dict(text)
    if text.strip().lower() in ("", "none", "off"):
        return {}
    mapping = {}
    for item in text.split(","):
        source, sep, target = (part.strip() for part in item.partition("="))
        if not sep or not source or not target:
            raise ConfigError(
                f"{what}: {item.strip()!r} is not SOURCE=TARGET; write e.g. LOC=MISC,ORG=MISC or none"
            )
        mapping[source] = NOT_AN_ENTITY if target.upper() == NOT_AN_ENTITY else target
    return mapping
