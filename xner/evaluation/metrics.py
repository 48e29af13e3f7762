"""seqeval-based micro precision/recall/F1 (IOB2), per label, and ``proj_ratio``.

Entities are turned into IOB2 tags and handed to seqeval, so our figures are the ones
the field reports.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from xner.errors import MismatchError, count_mismatch, no_sentences, words_mismatch
from xner.io.conll import iter_conll_lines
from xner.io.tags import entities_to_tags
from xner.label_sets import LabelSet, parse_label_set
from xner.text import matching_form
from xner.types import Entity


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EvaluationReport:
    overall: Scores
    per_label: dict[str, Scores]
    proj_ratio: float
    sentences: int
    predicted: int
    labels: tuple[str, ...] = ()  # the labels scored: the label set's, else every label on either side

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self.overall),
            "proj_ratio": self.proj_ratio,
            "sentences": self.sentences,
            "predicted": self.predicted,
            "labels": list(self.labels),
            "per_label": {label: asdict(s) for label, s in sorted(self.per_label.items())},
        }


def proj_ratio(gold: Sequence[Sequence[Entity]], predicted: Sequence[Sequence[Entity]]) -> float:
    """Mean over sentences of #predicted / #gold (1 when both are 0, 0 when only gold is 0)."""
    if not gold:
        return 0.0
    ratios = []
    for g, p in zip(gold, predicted):
        if not g:
            ratios.append(1.0 if not p else 0.0)
        else:
            ratios.append(len(p) / len(g))
    return sum(ratios) / len(ratios)


def filter_labels(
    entities: Iterable[Entity], keep: set[str] | None = None, ignore: Iterable[str] = ()
) -> tuple[Entity, ...]:
    """Drop entities whose label is ignored or (when ``keep`` is given) not kept."""
    ignored = set(ignore)
    return tuple(e for e in entities if e.label not in ignored and (keep is None or e.label in keep))


def evaluate(
    gold: Sequence[Sequence[Entity]],
    predicted: Sequence[Sequence[Entity]],
    lengths: Sequence[int],
    *,
    restrict_to_gold_labels: bool = False,
    ignore: Iterable[str] = (),
    labels: LabelSet | str | None = None,
) -> EvaluationReport:
    """Score predicted against gold entities, sentence by sentence.

    ``restrict_to_gold_labels`` turns predicted labels that never occur in gold into O
    (e.g. MISC when scoring on PAN-X); ``ignore`` removes labels from both sides.
    """
    from seqeval.metrics import classification_report

    if not (len(gold) == len(predicted) == len(lengths)):
        raise MismatchError(
            f"gold has {len(gold)} sentences, predictions {len(predicted)}, lengths {len(lengths)}"
        )
    ignore = tuple(ignore)
    label_set = parse_label_set(labels)
    if label_set is not None:  # both sides in the target's labels (MasakhaNER: MISC predictions dropped)
        gold, predicted = [label_set.entities(g) for g in gold], [label_set.entities(p) for p in predicted]
    gold = [filter_labels(g, ignore=ignore) for g in gold]
    keep = {e.label for g in gold for e in g} if restrict_to_gold_labels else None
    predicted = [filter_labels(p, keep, ignore) for p in predicted]
    y_true = [entities_to_tags(n, g) for n, g in zip(lengths, gold)]
    y_pred = [entities_to_tags(n, p) for n, p in zip(lengths, predicted)]
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in predicted)
    per_label: dict[str, Scores] = {}
    overall = Scores(0.0, 0.0, 0.0, n_gold)
    if n_gold or n_pred:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # seqeval warns on labels with no support
            report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
        for label, row in report.items():
            scores = Scores(float(row["precision"]), float(row["recall"]), float(row["f1-score"]), int(row["support"]))
            if label == "micro avg":
                overall = scores
            elif not label.endswith(" avg"):
                per_label[label] = scores
    scored = tuple(label for label in label_set.labels if label not in ignore) if label_set is not None else \
        tuple(sorted({e.label for side in (gold, predicted) for s in side for e in s}))
    return EvaluationReport(overall, per_label, proj_ratio(gold, predicted), len(gold), n_pred, scored)


def evaluate_files(gold_path: str | Path, predicted_path: str | Path, **options: Any) -> EvaluationReport:
    """Evaluate two CoNLL files holding the same sentences with the same words."""
    gold = list(iter_conll_lines(gold_path))
    if not gold:
        raise no_sentences(gold_path)
    predicted = list(iter_conll_lines(predicted_path))
    if len(gold) != len(predicted):
        raise count_mismatch("gold and predicted files", (str(gold_path), len(gold)), (str(predicted_path), len(predicted)))
    for number, ((g, g_lines), (p, p_lines)) in enumerate(zip(gold, predicted), start=1):
        if len(g.words) != len(p.words):
            raise MismatchError(
                f"sentence {number} has {len(g.words)} words in {gold_path} (line {g_lines[0]}) but {len(p.words)} "
                f"in {predicted_path} (line {p_lines[0]}); both files must hold the same tokens"
            )
        for k, (gw, pw) in enumerate(zip(g.words, p.words)):
            if gw != pw and matching_form((gw,)) != matching_form((pw,)):  # NFD gold, NFC predictions: one word
                raise words_mismatch(number, k + 1, (str(gold_path), g_lines[k], gw),
                                     (str(predicted_path), p_lines[k], pw))
    return evaluate(
        [s.entities for s, _ in gold], [s.entities for s, _ in predicted], [len(s.words) for s, _ in gold], **options
    )
