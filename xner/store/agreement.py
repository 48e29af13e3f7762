"""Agreement between annotators, per pair: Cohen's kappa on their decisions and span F1 on
their entities, with the items where they differ (what a curator adjudicates).

>>> cohen_kappa(["accept", "reject", "accept", "edit"], ["accept", "reject", "edit", "edit"])
0.6363636363636364
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from sqlalchemy import select

from xner.review.rules import KEPT, REVIEWED
from xner.store.schema import Item, ItemState

if TYPE_CHECKING:
    from xner.store.store import Store


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two raters' labels on the same items; 1.0 when both always give the
    same single label (no disagreement to correct for chance)."""
    n = len(a)
    if n == 0 or n != len(b):
        raise ValueError("kappa needs two equally long, non-empty lists of decisions")
    observed = sum(x == y for x, y in zip(a, b)) / n
    first, second = Counter(a), Counter(b)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def span_f1(a: Sequence[set], b: Sequence[set]) -> float:
    """Micro F1 of exact (start, end, label) spans of one annotator against the other's
    (symmetric); 1.0 when neither has any span."""
    matched = sum(len(x & y) for x, y in zip(a, b))
    total = sum(len(x) + len(y) for x, y in zip(a, b))
    return 1.0 if total == 0 else 2 * matched / total


@dataclass(frozen=True)
class PairAgreement:
    first: str
    second: str
    items: int  # reviewed by both
    kappa: float
    kept: int  # kept (accepted or corrected) by both
    f1: float
    disagreements: tuple[int, ...]  # item ids where the decisions or the kept entities differ

    def row(self) -> dict[str, object]:
        return {"annotators": f"{self.first} · {self.second}", "items both reviewed": self.items,
                "kappa (decisions)": round(self.kappa, 3), "items both kept": self.kept,
                "span F1": round(self.f1, 3), "disagreements": len(self.disagreements)}


def reviewed_states(store: Store, dataset_id: int) -> dict[str, dict[int, tuple[str, frozenset]]]:
    """Per annotator: item id → (decision, entities) for the items they reviewed."""
    with store.sessions() as session:
        rows = session.execute(
            select(ItemState.annotator, ItemState.item_id, ItemState.status, ItemState.entities)
            .join(Item, Item.id == ItemState.item_id)
            .where(Item.dataset_id == dataset_id, ItemState.status.in_(REVIEWED))).all()
    found: dict[str, dict[int, tuple[str, frozenset]]] = {}
    for annotator, item_id, status, entities in rows:
        found.setdefault(annotator, {})[item_id] = (status, frozenset(tuple(e) for e in entities))
    return found


def pair_agreement(store: Store, dataset_id: int) -> list[PairAgreement]:
    """Every pair of annotators that reviewed at least one item in common."""
    states = reviewed_states(store, dataset_id)
    result = []
    for first, second in combinations(sorted(states), 2):
        common = sorted(set(states[first]) & set(states[second]))
        if not common:
            continue
        a = [states[first][i] for i in common]
        b = [states[second][i] for i in common]
        both_kept = [(x[1], y[1]) for x, y in zip(a, b) if x[0] in KEPT and y[0] in KEPT]
        differ = tuple(i for i, x, y in zip(common, a, b)
                       if (x[0] == "reject") != (y[0] == "reject") or (x[0] != "reject" and x[1] != y[1]))
        result.append(PairAgreement(first, second, len(common), cohen_kappa([x[0] for x in a], [y[0] for y in b]),
                                    len(both_kept), span_f1([x for x, _ in both_kept], [y for _, y in both_kept]),
                                    differ))
    return result


def exact_agreement(store: Store, dataset_id: int) -> tuple[int, float]:
    """Items reviewed by two or more annotators, and the share on which they agree exactly:
    the same decision (keep or reject) and, when kept, the same entities."""
    by_item: dict[int, list] = {}
    for states in reviewed_states(store, dataset_id).values():
        for item_id, (status, entities) in states.items():
            by_item.setdefault(item_id, []).append(("reject",) if status == "reject" else ("keep", entities))
    shared = [v for v in by_item.values() if len(v) > 1]
    if not shared:
        return 0, 0.0
    return len(shared), sum(all(e == v[0] for e in v) for v in shared) / len(shared)
