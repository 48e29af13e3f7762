"""The heuristic projection of a whole corpus at once: the entities
:meth:`HeuristicProjector.project` gives each pair, computed on arrays.

Per sentence the heuristic is a little arithmetic on some thirty links, and done through
Python objects (a set of targets per entity, a ``Span`` per range, a ``Candidate`` per
range) the objects cost far more than the arithmetic. Here the links of every sentence
that has entities become two integer arrays (joined as they are where an ``Alignment``
holds arrays, as the aligners make it), and matching links to entities, grouping
and merging target words into ranges, the length filter and collisions are array
operations over the whole corpus. Python runs per item only where the result depends on
the words (span finishing, ``drop_punctuation``, derived labels: off at the published
settings) and for the few sentences where two proposals overlap (the greedy choice is
sequential). What comes back holds the chosen spans as arrays; each sentence's
``Entity`` objects, and its reviewable candidates with their reasons, are built when read.

>>> from xner.projection.heuristic import HeuristicProjector
>>> from xner.types import Alignment, Entity, SentencePair
>>> pair = SentencePair(("Angela", "Merkel", "came"), ("Angela", "Merkel", "kam"),
...                     (Entity(0, 2, "PER"),), alignment=Alignment.of([(0, 0), (1, 1)]))
>>> HeuristicProjector().project_corpus([pair, pair]).entities(1)
(Entity(start=0, end=2, label='PER'),)
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from functools import cached_property
from itertools import chain, compress
from operator import attrgetter
from typing import TYPE_CHECKING, overload

import numpy as np

from xner.projection.labels import (BASE_NAME_LABELS, DERIVED_ENDINGS, NOT_AN_ENTITY, SOURCE_DERIVED_ENDINGS,
                                    projected_label, spells_base_name)
from xner.projection.spans import is_punctuation
from xner.types import Alignment, Entity, ProjectionResult, SentencePair, Span

if TYPE_CHECKING:
    from xner.projection.heuristic import HeuristicProjector

# marshal (format 2: no back-references) writes a list of 2-tuples of 32-bit ints as
# fixed 15-byte records after a 5-byte header; reading those is the cheapest way to get
# the ints of tens of thousands of link tuples out of Python (no Python loop, no
# per-item conversion). Anything else (other int types, huge values) fails the checks in
# :func:`_tuple_arrays` and takes the plain way.
_RECORD = np.dtype([("tuple", "u1"), ("size", "<i4"), ("i_type", "u1"), ("i", "<i4"), ("j_type", "u1"), ("j", "<i4")])
_HEADER = 5


def link_arrays(alignments: Sequence[Alignment | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each alignment's number of links, then the source and the target index of every
    link, the alignments one after another (each in its own order: sorted where it holds
    an array, else its set's; ``None`` has none). The arrays of alignments made from arrays
    are joined as they are; the links of the others are read out of their tuples, every
    run of such alignments at once."""
    try:  # every alignment holds an array: join their bytes (a C loop; np.concatenate costs ~5x more)
        pieces = list(map(attrgetter("link_array"), alignments))
        data = b"".join(pieces)
    except (AttributeError, TypeError, BufferError):  # None, or an alignment made from tuples
        pass
    else:
        counts = np.fromiter(map(len, pieces), np.int64, len(pieces))
        if len(data) == 8 * int(counts.sum()):  # 8 bytes a link: every array is int32
            links = np.frombuffer(data, np.int32).reshape(-1, 2)
            return counts, links[:, 0], links[:, 1]
    sizes: list[int] = []
    parts: list[np.ndarray] = []  # n × 2 arrays
    tuples: list[frozenset[tuple[int, int]]] = []
    for alignment in alignments:
        array = alignment.link_array if alignment is not None else None
        if array is None:
            links = alignment.links if alignment is not None else frozenset()
            sizes.append(len(links))
            tuples.append(links)
            continue
        sizes.append(len(array))
        if tuples:
            parts.append(np.stack(_tuple_arrays(tuples), axis=1))
            tuples = []
        parts.append(array)
    counts = np.array(sizes, dtype=np.int64)
    if not parts:
        return counts, *_tuple_arrays(tuples)
    if tuples:
        parts.append(np.stack(_tuple_arrays(tuples), axis=1))
    links = np.concatenate(parts)  # int32 unless some part needs int64
    return counts, links[:, 0], links[:, 1]


def _tuple_arrays(link_sets: Sequence[frozenset[tuple[int, int]]]) -> tuple[np.ndarray, np.ndarray]:
    """The source and the target index of every link of the sets, one set after another."""
    flat: list[tuple[int, int]] = []
    for links in link_sets:  # list.extend copies a set in one C loop: faster than chain.from_iterable
        flat.extend(links)
    try:
        data = marshal.dumps(flat, 2)
    except ValueError:  # a link holds something marshal cannot write
        data = b""
    if len(data) == _HEADER + _RECORD.itemsize * len(flat):
        rows = np.frombuffer(data, _RECORD, offset=_HEADER)
        if ((rows["tuple"] == ord("(")) & (rows["size"] == 2)
                & (rows["i_type"] == ord("i")) & (rows["j_type"] == ord("i"))).all():
            return rows["i"], rows["j"]  # views into the bytes, 32-bit: every later key widens to 64
    plain = np.array([(int(i), int(j)) for i, j in flat], dtype=np.int64).reshape(-1, 2)
    return plain[:, 0], plain[:, 1]


class CorpusProjection(Sequence[ProjectionResult]):
    """The heuristic projection of every pair of a corpus.

    ``entities(k)`` is what ``projector.project(pairs[k]).entities`` is; ``self[k]`` is
    the whole result of ``projector.project(pairs[k])``, candidates and reasons
    included, computed when read. The chosen spans are kept as arrays: ``sentence``
    (index into ``pairs``, ascending), ``start``, ``end``, and ``source`` (the source
    entity each was projected from, as an index into :attr:`source_entities`), whose
    label it carries unless ``relabelled`` (row → label: the rows whose label
    :func:`~xner.projection.labels.projected_label` gave) says otherwise; the other rows'
    labels follow the base-name rule, asked when read.
    """

    def __init__(self, projector: HeuristicProjector, pairs: Sequence[SentencePair],
                 source_entities: Sequence[Entity], sentence: np.ndarray, start: np.ndarray,
                 end: np.ndarray, source: np.ndarray, relabelled: dict[int, str]) -> None:
        self.projector, self.pairs, self.source_entities = projector, pairs, source_entities
        self.sentence, self.start, self.end, self.source = sentence, start, end, source
        self.relabelled = relabelled
        self.offsets = np.searchsorted(sentence, np.arange(len(pairs) + 1))

    def __len__(self) -> int:
        return len(self.pairs)

    @overload
    def __getitem__(self, index: int) -> ProjectionResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[ProjectionResult]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[k] for k in range(len(self))[index]]
        return self.projector.project(self.pairs[index])

    @cached_property
    def _rows(self) -> tuple[list[int], list[int], list[str]]:
        sources = self.source.tolist()
        labels = [self.source_entities[e].label for e in sources]
        starts, ends = self.start.tolist(), self.end.tolist()
        for row, label in self.relabelled.items():
            labels[row] = label
        # the one rule left for reading (it never unlabels, so the choice did not depend on it): a source
        # entity labelled as a derived form ("Sri Lankan", MISC) projected onto the name it derives from
        # ("Sri Lanka") takes the name's label (labels.BASE_NAME_LABELS), whatever the mappings
        projector = self.projector
        if SOURCE_DERIVED_ENDINGS.get(projector.src_lang or ""):
            for row, (e, sentence) in enumerate(zip(sources, self.sentence.tolist())):
                label = labels[row]
                if label in BASE_NAME_LABELS and row not in self.relabelled:  # projected_label did not ask it
                    pair, source = self.pairs[sentence], self.source_entities[e]
                    if spells_base_name(pair.target_words[starts[row]:ends[row]],
                                        pair.source_words[source.start:source.end], projector.src_lang):
                        labels[row] = BASE_NAME_LABELS[label]
        return starts, ends, labels

    @cached_property
    def _bounds(self) -> list[int]:
        return self.offsets.tolist()

    def entities(self, index: int) -> tuple[Entity, ...]:
        """The entities projected onto pair ``index`` (sorted, as :class:`ProjectionResult` holds them)."""
        index = range(len(self))[index]
        first, last = self._bounds[index], self._bounds[index + 1]
        starts, ends, labels = self._rows
        return tuple(Entity(starts[r], ends[r], labels[r]) for r in range(first, last))

    def entities_per_pair(self) -> list[tuple[Entity, ...]]:
        """``[self.entities(k) for k in range(len(self))]``, built in one sweep."""
        found = list(map(Entity, *self._rows))
        bounds = self._bounds
        return [tuple(found[a:b]) for a, b in zip(bounds, bounds[1:])]


def project_corpus(projector: HeuristicProjector, pairs: Sequence[SentencePair]) -> CorpusProjection:
    """Project every pair with ``projector`` at once (see the module docstring)."""
    # map/compress with attrgetter: loops in C over every pair and entity, which on a whole
    # corpus cost more than the array work that follows
    entity_lists = list(map(attrgetter("source_entities"), pairs))
    with_entities = list(compress(range(len(pairs)), entity_lists))
    chosen = list(compress(pairs, entity_lists))
    per_sentence = list(filter(None, entity_lists))
    source_entities = list(chain.from_iterable(per_sentence))
    counts = np.fromiter(map(len, per_sentence), np.int64, len(per_sentence))
    ent_sentence = np.repeat(np.arange(len(chosen)), counts)
    ent_first = np.cumsum(counts) - counts  # each sentence's first entity
    ent_start = np.fromiter(map(attrgetter("start"), source_entities), np.int64, len(source_entities))
    ent_end = np.fromiter(map(attrgetter("end"), source_entities), np.int64, len(source_entities))

    link_counts, link_source, link_target = link_arrays(list(map(attrgetter("alignment"), chosen)))
    link_sentence = np.repeat(np.arange(len(chosen)), link_counts)
    if len(link_source) and (link_source.min() < 0 or link_target.min() < 0):
        # such a link either never reaches an entity or makes the per-pair projection
        # fail (a negative span); let it fail the same way, then leave those links out
        negative = (link_source < 0) | (link_target < 0)
        for s in np.unique(link_sentence[negative]).tolist():
            projector.project(chosen[s])
        link_sentence, link_source, link_target = (a[~negative] for a in (link_sentence, link_source, link_target))

    entity, target = _linked(link_sentence, link_source, link_target, ent_sentence, ent_start, ent_end)
    if projector.drop_punctuation and len(entity):
        words = [chosen[s].target_words for s in ent_sentence[entity].tolist()]
        keep = [not is_punctuation(w[j]) for w, j in zip(words, target.tolist())]
        entity, target = entity[keep], target[keep]
    r_ent, r_start, r_end = _merged_ranges(entity, target, projector.merge_distance)
    ent_len = ent_end - ent_start
    kept = (r_end - r_start) / ent_len[r_ent] > projector.threshold
    p_ent, p_start, p_end = r_ent[kept], r_start[kept], r_end[kept]

    trimmer = projector.trimmer()
    if trimmer is not None:
        refined = [trimmer.refine(chosen[s], e - f, Span(a, b)) for s, e, f, a, b in zip(
            ent_sentence[p_ent].tolist(), p_ent.tolist(), ent_first[ent_sentence[p_ent]].tolist(),
            p_start.tolist(), p_end.tolist())]
        survived = np.array([span is not None for span in refined], dtype=bool)
        p_ent = p_ent[survived]
        p_start = np.fromiter((span.start for span in refined if span is not None), np.int64, len(p_ent))
        p_end = np.fromiter((span.end for span in refined if span is not None), np.int64, len(p_ent))
    if projector.top_k is not None:
        order = np.lexsort((p_start, p_start - p_end, p_ent))  # per entity, longest first
        rank = np.arange(len(order)) - np.searchsorted(p_ent[order], p_ent[order])
        order = order[rank < projector.top_k]
        p_ent, p_start, p_end = p_ent[order], p_start[order], p_end[order]
    p_sentence = ent_sentence[p_ent]
    if projector.collision == "longer":
        order = np.lexsort((p_start, p_ent, p_start - p_end, p_sentence))
        p_ent, p_start, p_end, p_sentence = p_ent[order], p_start[order], p_end[order], p_sentence[order]

    won = _winners(p_sentence, p_start, p_end)
    c_ent, c_start, c_end = p_ent[won], p_start[won], p_end[won]
    relabelled = {}
    relabels = set(projector.derived_labels) | set(projector.compound_labels)
    if relabels:
        # one-word spans can be derived forms or compounds; longer ones only derived forms spelt with an ending
        longer = bool(projector.derived_labels) and projector.trim_stop_words in DERIVED_ENDINGS
        rows = range(len(c_ent)) if longer else np.flatnonzero(c_end - c_start == 1).tolist()
        ents, starts, ends = c_ent.tolist(), c_start.tolist(), c_end.tolist()
        sentences, firsts = ent_sentence.tolist(), ent_first.tolist()
        for row in rows:
            e = ents[row]
            label = source_entities[e].label
            if label not in relabels:  # at most the base-name rule applies, which is asked when read
                continue
            s = sentences[e]
            projected = projected_label(chosen[s], e - firsts[s], Span(starts[row], ends[row]),
                                        projector.derived_labels, projector.compound_labels,
                                        lang=projector.trim_stop_words, src_lang=projector.src_lang)
            relabelled[row] = projected  # asked, so its label stands (the base-name rule included)
    unlabelled = [row for row, label in relabelled.items() if label == NOT_AN_ENTITY]
    if unlabelled:  # derived forms mapped to O: chosen (they won their collisions), then left unlabelled
        keep = np.ones(len(c_ent), dtype=bool)
        keep[unlabelled] = False
        row_after = np.cumsum(keep) - 1
        relabelled = {int(row_after[row]): label for row, label in relabelled.items() if keep[row]}
        c_ent, c_start, c_end = c_ent[keep], c_start[keep], c_end[keep]
    sentence = np.asarray(with_entities, dtype=np.int64)[ent_sentence[c_ent]]
    return CorpusProjection(projector, pairs, source_entities, sentence, c_start, c_end, c_ent, relabelled)


def _linked(link_sentence: np.ndarray, link_source: np.ndarray, link_target: np.ndarray,
            ent_sentence: np.ndarray, ent_start: np.ndarray, ent_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every distinct (entity, target word) pair a link joins, sorted by entity then word."""
    if not len(link_source) or not len(ent_start):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # a source word is (sentence, index), one integer; no entity reaches index stride - 1,
    # where every index past the entities goes (however large, it stays in its sentence)
    stride = int(ent_end.max()) + 1
    ent_len = ent_end - ent_start
    word_entity = np.repeat(np.arange(len(ent_start)), ent_len)
    word_key = (np.repeat(ent_sentence * stride + ent_start, ent_len)
                + np.arange(len(word_entity)) - np.repeat(np.cumsum(ent_len) - ent_len, ent_len))
    link_key = link_sentence * stride + np.minimum(link_source, stride - 1)
    size = (int(ent_sentence[-1]) + 1) * stride
    table = np.full(size, -1, np.int64) if size <= 8 * (len(link_key) + len(word_key)) + 1024 else None
    if table is not None:
        table[word_key] = word_entity
    if table is not None and (table[word_key] == word_entity).all():  # no word in two entities
        entity = table[link_key]
        linked = entity >= 0
        entity, target = entity[linked], link_target[linked]
    else:  # entities overlap (or the keys are too sparse for a table): join by sorting
        order = np.argsort(word_key, kind="stable")
        keys, owners = word_key[order], word_entity[order]
        low, high = np.searchsorted(keys, link_key, "left"), np.searchsorted(keys, link_key, "right")
        count = high - low
        at = np.repeat(low - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
        entity, target = owners[at], np.repeat(link_target, count)
    if not len(entity):
        return entity, target
    width = int(target.max()) + 1
    pair_key = np.sort(entity * width + target)
    distinct = np.ones(len(pair_key), dtype=bool)
    distinct[1:] = pair_key[1:] != pair_key[:-1]  # np.unique does this too, with more overhead
    pair_key = pair_key[distinct]
    return pair_key // width, pair_key % width


def _merged_ranges(entity: np.ndarray, target: np.ndarray, distance: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per entity, its target words grouped into runs and runs at most ``distance`` words
    apart merged (``merge_ranges(contiguous_ranges(...))``): a range breaks where the next
    word is more than ``distance + 1`` further on."""
    if not len(entity):
        return entity, target, target
    opens = np.ones(len(entity), dtype=bool)
    opens[1:] = (entity[1:] != entity[:-1]) | (target[1:] - target[:-1] > distance + 1)
    first = np.flatnonzero(opens)
    last = np.append(first[1:], len(entity)) - 1
    return entity[first], target[first], target[last] + 1


def _winners(sentence: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The proposals that win, taken in order, each unless it overlaps one already taken
    in its sentence; as indices in sentence then start order. Proposals come sentence by
    sentence; only sentences where two overlap need the sequential pass."""
    if not len(start):
        return np.zeros(0, np.int64)
    width = int(end.max()) + 1  # a position is (sentence, word), one integer
    first, last = sentence * width + start, sentence * width + end
    by_start = np.argsort(first, kind="stable")
    reach = np.maximum.accumulate(last[by_start])
    clashing = by_start[1:][first[by_start][1:] < reach[:-1]]
    if not len(clashing):
        return by_start
    won = np.ones(len(start), dtype=bool)
    for s in np.unique(sentence[clashing]).tolist():
        taken: list[tuple[int, int]] = []
        for p in np.flatnonzero(sentence == s).tolist():
            a, b = int(start[p]), int(end[p])
            if any(a < e and s2 < b for s2, e in taken):
                won[p] = False
            else:
                taken.append((a, b))
    return by_start[won[by_start]]
