"""Stage 1: the study's inputs. The labelled source (or an untagged one, tagged prefix by
prefix and timed), read in the target's labels with words in their matching form; gold
sets come from :func:`xner.io.datasets.read_labelled` (a file or ``hub:NAME[/CONFIG]:SPLIT``)."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from xner.errors import count_mismatch
from xner.io.datasets import read_labelled
from xner.io.parallel import read_sentences
from xner.scaling.config import Log, SweepConfig, cache_root
from xner.scaling.features import FeatureBank
from xner.types import Sentence


def head_on_features(config: SweepConfig):
    """``(head config, network)`` when the source NER is a head that reads the features the
    study extracts anyway (the same encoder, its layers among those extracted): it then tags
    from them, instead of encoding the same sentences a second time; else ``None``."""
    if not (config.source_ner or "").startswith("head:"):
        return None
    from xner.models.encoder import resolve_model
    from xner.ner.head_tagger import cached_head

    head = cached_head(config.source_ner[5:])
    same = resolve_model(head[0].encoder) == resolve_model(config.encoder)
    return head if same and set(head[0].layers) <= set(config.feature_layers) else None


def warm_head(config: SweepConfig) -> str | None:
    """The source NER's head directory, where the warm-started curve can start from it: an
    untagged source tagged by a head on the study's encoder (:func:`head_on_features`)."""
    if config.source_ner is None or head_on_features(config) is None:
        return None
    return config.source_ner[5:]


def tag_from_bank(head, bank: FeatureBank, indices: Sequence[int]) -> list[tuple]:
    """The entities ``head`` (from :func:`head_on_features`) finds in sentences ``indices`` of
    ``bank``, decoded as :class:`xner.ner.head_tagger.HeadTagger` decodes them."""
    from xner.io.tags import tags_to_entities
    from xner.ner.head_tagger import predict

    head_config, network = head
    indices = list(indices)
    features = bank.gather(indices, head_config.layers)  # the non-empty sentences, in order
    decoded = iter(predict(network, [features.sentence(i) for i in range(len(features))], head_config.tags))
    return [tuple(tags_to_entities(next(decoded).tags)) if bank.words[k] else () for k in indices]


def read_source(config: SweepConfig, pairs: int, log: Log = print, grid: Sequence[int] | None = None
                ) -> tuple[list[Sentence], dict[int, float], FeatureBank | None]:
    """The labelled source sentences (in the target's labels, words in their matching form);
    for an untagged source also the cumulative seconds its NER took to tag each prefix of the
    grid (only as far as the grid reaches) and, where the NER is a head on the study's features
    (:func:`head_on_features`), the feature bank it read (features extracted once, paid for as
    tagging); ``pairs``: how many translations there are."""
    from xner.label_sets import restrict
    from xner.text import in_matching_form, matching_form

    if config.source_ner is None:
        source = restrict(in_matching_form(read_labelled(config.source)), config.labels)
        if len(source) != pairs:
            raise count_mismatch("source and translations", (str(config.source), len(source)),
                                 (str(config.translations), pairs))
        return source, {}, None
    from xner.ner.base import build_tagger

    words = [matching_form(w) for w in read_sentences(config.source, tokenize=config.tokenize, log=log, lang="en")]
    if len(words) != pairs:
        raise count_mismatch("parallel files", (str(config.source), len(words)), (str(config.translations), pairs))
    top = min(max(config.grid), len(words))
    grid = sorted({min(n, top) for n in config.grid})
    head = head_on_features(config)
    bank = tagger = None
    if head is not None:  # blocks cut as the translations' are, so each prefix's seconds are known
        bank = FeatureBank(words[:top], config.encoder, config.feature_layers, config.cache, boundaries=grid,
                           block=config.block, log=log)
    else:
        tagger = build_tagger(config.source_ner)
    sentences: list[Sentence] = []
    tag_at: dict[int, float] = {}
    total, previous = 0.0, 0
    for n in grid:
        if bank is not None:
            entities, seconds = cached_tags(words[previous:n], config.source_ner,
                                            functools.partial(tag_from_bank, head, bank, range(previous, n)),
                                            config.cache)
            total += seconds
            tag_at[n] = total + bank.seconds_at(n)
        else:
            entities, seconds = cached_tags(words[previous:n], config.source_ner,
                                            functools.partial(tag_words, tagger, words[previous:n]), config.cache)
            total += seconds
            tag_at[n] = total
        sentences += [Sentence(w, e) for w, e in zip(words[previous:n], entities)]
        log(f"tagged {n} source sentences with {config.source_ner} ({tag_at[n]:.0f}s tagging)")
        previous = n
    return restrict(sentences, config.labels), tag_at, bank


def tag_words(tagger, sentences: Sequence[Sequence[str]]) -> list[tuple]:
    """The entities ``tagger`` finds in each of ``sentences`` (none in an empty one)."""
    nonempty = [k for k, words in enumerate(sentences) if words]
    entities: list[tuple] = [()] * len(sentences)
    for k, tagged in zip(nonempty, tagger.tag([tuple(sentences[k]) for k in nonempty]) if nonempty else []):
        entities[k] = tagged.entities
    return entities


def cached_tags(sentences: Sequence[Sequence[str]], spec: str, tag: Callable[[], list[tuple]],
                cache: Path | None = None):
    """The entities the NER ``spec`` finds in ``sentences`` (``tag()`` finds them, in order) and
    the seconds it took, read back from ``CACHE/tagged`` when the same model tagged the same
    sentences before (a head is known by its configuration file, so a retrained one tags again)."""
    import hashlib

    from xner.types import Entity

    digest = hashlib.sha256(spec.encode())
    if spec.startswith("head:"):
        from xner.ner.head_model import CONFIG_FILE

        config = Path(spec[5:]) / CONFIG_FILE
        digest.update(config.read_bytes() if config.is_file() else b"")
    for words in sentences:
        digest.update("\x1f".join(words).encode() + b"\x1e")
    path = cache_root(cache) / "tagged" / f"{digest.hexdigest()[:24]}.json"
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if len(stored["entities"]) == len(sentences):
            return [tuple(Entity(*e) for e in found) for found in stored["entities"]], float(stored["seconds"])
    start = time.perf_counter()
    entities = tag()
    seconds = time.perf_counter() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"model": spec, "seconds": seconds,
                                "entities": [[[e.start, e.end, e.label] for e in found] for found in entities]}),
                    encoding="utf-8")
    return entities, seconds
