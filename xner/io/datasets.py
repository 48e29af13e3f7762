"""Sentences from a local CoNLL/text file or a Hugging Face dataset (``datasets``).

A dataset id (``wikiann`` with config ``yo``, ``masakhane/masakhaner2`` with config
``yor``) or a local dataset directory is read with ``datasets.load_dataset``; its
``tokens`` column gives the words and its tag column (``ner_tags`` by default) the
entities, whether stored as class ids with names or as strings.
"""

from __future__ import annotations

from pathlib import Path

from xner.errors import ConfigError, InputFormatError, MissingDependencyError, XnerError, no_sentences
from xner.io.tags import tags_to_entities
from xner.types import Sentence


def load_hf_sentences(
    name: str, config: str | None = None, split: str = "test", tokens: str = "tokens", tags: str = "ner_tags",
) -> list[Sentence]:
    try:
        import datasets
    except ImportError:
        raise MissingDependencyError("the datasets library", "pip install datasets") from None
    try:
        data = datasets.load_dataset(name, config, split=split)
    except (FileNotFoundError, ConnectionError, OSError, ValueError) as error:
        raise XnerError(
            f"dataset {name!r} (config {config!r}, split {split!r}) could not be loaded: "
            f"{str(error).splitlines()[0][:200]}. Without internet use a local CoNLL file or dataset directory"
        ) from None
    for column in (tokens, tags):
        if column not in data.column_names:
            raise ConfigError(f"dataset {name!r} has no column {column!r}; columns: {', '.join(data.column_names)}")
    feature = data.features[tags]
    names = getattr(getattr(feature, "feature", None), "names", None)
    sentences = []
    for row, (words, labels) in enumerate(zip(data[tokens], data[tags])):
        labels = [names[t] for t in labels] if names else [str(t) for t in labels]
        try:
            entities = tuple(tags_to_entities(labels))
        except ValueError as error:
            raise XnerError(f"dataset {name!r}, row {row}: {error}") from None
        sentences.append(Sentence(tuple(words), entities))
    return sentences


def load_sentences(spec: str | Path, *, config: str | None = None, split: str = "test",
                   require_tags: bool = True, tokenize: str = "no", log=None) -> list[Sentence]:
    """A CoNLL or text file by path, else a dataset directory or hub id through ``datasets``;
    ``tokenize`` and ``log`` apply to a text file (:func:`xner.io.parallel.read_text`)."""
    from xner.io.conll import parse_conll_lines
    from xner.io.files import open_text
    from xner.io.parallel import CONLL_SUFFIXES, TEXT_SUFFIXES, sniff_format, split_text_lines

    path = Path(spec)
    if not path.exists() and (path.suffix.lower() in CONLL_SUFFIXES | TEXT_SUFFIXES
                              or str(spec).startswith(("/", ".", "~"))):
        # a file name, not a hub id: say so instead of asking the Hub for it
        raise InputFormatError(path, None, "no such file", "check the path")
    if path.exists() and not path.is_dir():
        with open_text(path) as handle:  # read once: a pipe cannot be opened again
            lines = list(handle)
        if sniff_format(path, lines) == "conll":
            return [s for s, _ in parse_conll_lines(path, lines, require_tags=require_tags)]
        if require_tags:
            raise ConfigError(f"{path}: labelled sentences are needed here, in CoNLL format")
        return [Sentence(words) for words in split_text_lines(path, lines, tokenize, log)]
    return load_hf_sentences(str(spec), config, split)


def read_labelled(spec: str | Path) -> list[Sentence]:
    """A CoNLL file, or ``hub:NAME[/CONFIG]:SPLIT`` (tokens + IOB tags, e.g. ``hub:wikiann/es:test``)."""
    from xner.io.conll import read_conll

    text = str(spec)
    if not text.startswith("hub:"):
        sentences = read_conll(spec)
        if not sentences:
            raise no_sentences(spec)
        return sentences
    return read_hub(text[4:])


def read_hub(dataset_id: str) -> list[Sentence]:
    """``NAME[/CONFIG]:SPLIT`` (e.g. ``wikiann/es:test``) through :func:`load_hf_sentences`;
    whatever keeps it from loading is a :class:`ConfigError` naming the id."""
    name, _, split = dataset_id.partition(":")
    name, _, subset = name.partition("/")
    if not name or not split:
        raise ConfigError(f"hub dataset {dataset_id!r}: write hub:NAME[/CONFIG]:SPLIT, e.g. hub:wikiann/es:test")
    try:
        return load_hf_sentences(name, subset or None, split)
    except ConfigError:
        raise  # a column missing: the message names the dataset and its columns
    except Exception as error:  # offline, unknown id, no such split, no datasets package: all the user's to fix
        raise ConfigError(f"could not load the hub dataset {dataset_id!r} ({type(error).__name__}: {error}). "
                          "It needs the model hub (or a local copy in the datasets cache); offline, give "
                          "CoNLL files instead") from None
