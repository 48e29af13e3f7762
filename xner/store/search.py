"""Finding items: the review queue filtered by state, label, score, unprojected source
entities, another annotator's review, flags and text (source, target or comments).

The words and labels of each item are kept in a table of their own (:class:`ItemText`),
filled once per dataset when it is first filtered, so a filter is one SQL query however
large the dataset (docs/BENCHMARKS.md: 15,000 items).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import String, and_, exists, false, func, or_, select

from xner.errors import ConfigError
from xner.review.rules import KEPT, ORDERS, REVIEWED
from xner.store.schema import Comment, Dataset, Item, ItemState, ItemText

if TYPE_CHECKING:
    from xner.store.store import Store

# the states a filter names; "unreviewed": no decision yet
STATES = ("unreviewed", "accept", "edit", "reject", "skip")
# how many records are read at a time while the search table is filled
_FILL = 500


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. Empty fields filter nothing.

    ``states``: any of :data:`STATES` (the reviewer's own state); ``label``: a projected
    (or saved) entity with this label; ``min_score``/``max_score``: the item's weakest
    chosen span (:func:`xner.store.store.record_score`); ``unprojected``: at least one
    source entity without a span; ``reviewed_by``: items another annotator has reviewed;
    ``flag``: a comment with this flag; ``text``: words of the source or target, or
    a comment's text (case-insensitive).
    """

    states: tuple[str, ...] = ()
    label: str = ""
    min_score: float | None = None
    max_score: float | None = None
    unprojected: bool = False
    reviewed_by: str = ""
    flag: str = ""
    text: str = ""

    def __post_init__(self) -> None:
        unknown = [s for s in self.states if s not in STATES]
        if unknown:
            raise ConfigError(f"unknown state {', '.join(unknown)} in the filter; choose from: {', '.join(STATES)}")
        if self.min_score is not None and self.max_score is not None and self.min_score > self.max_score:
            raise ConfigError(f"the score range {self.min_score}–{self.max_score} is empty: the lowest score "
                              "must not be above the highest")

    @property
    def active(self) -> bool:
        return self != QueueFilter()


def _text_row(item_id: int, dataset_id: int, record: dict) -> dict:
    """The search row of a stored record (read as the JSON it is: parsing it into a pair
    and projection costs ten times more, and the filter needs only these fields)."""
    projection = record.get("projection")
    entities = projection.get("entities", ()) if projection else ()
    labels = {str(e[2]) for e in entities}
    unprojected = 0
    sources = record.get("source_entities") or ()
    if projection and sources:
        candidates = projection.get("candidates") or ()
        found = len({c.get("entity") for c in candidates if c.get("chosen")}) if candidates else len(entities)
        unprojected = max(0, len(sources) - found)
    return {"item_id": item_id, "dataset_id": dataset_id,
            "source": f" {' '.join(record.get('source_words', ())).lower()} ",
            "target": f" {' '.join(record.get('target_words', ())).lower()} ",
            "labels": "|" + "|".join(sorted(labels)) + "|" if labels else "", "unprojected": unprojected}


def ensure_search_table(store: Store, dataset_id: int) -> None:
    """Fill the search table for the items of a ready dataset that are not in it yet."""
    with store.sessions() as session:
        if session.scalar(select(Dataset.status).where(Dataset.id == dataset_id)) != "ready":
            return
        have = session.scalar(select(func.count()).select_from(ItemText).where(ItemText.dataset_id == dataset_id))
        total = session.scalar(select(func.count(Item.id)).where(Item.dataset_id == dataset_id))
        if have == total:
            return
        missing = list(session.scalars(select(Item.id).where(
            Item.dataset_id == dataset_id, ~exists().where(ItemText.item_id == Item.id)).order_by(Item.id)))
    for start in range(0, len(missing), _FILL):
        chunk = missing[start:start + _FILL]
        with store.sessions() as session:
            rows = [_text_row(i, dataset_id, r) for i, r in session.execute(
                select(Item.id, Item.record).where(Item.id.in_(chunk))).all()]

        def work(session, rows=rows):
            session.execute(store._insert(ItemText).values(rows).on_conflict_do_nothing())

        store._write(work)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(text: str) -> str:
    return f"%{_escape(text.lower())}%"


def find_items(store: Store, dataset_id: int, annotator: str, where: QueueFilter = QueueFilter(),
               order: str = "position") -> list[tuple[int, int, str | None]]:
    """``(item_id, position, status or None)`` of the items the filter lets through, in the
    review ``order`` (as :meth:`xner.store.store.Store.statuses`)."""
    if order not in ORDERS:
        raise ConfigError(f"unknown review order {order!r}; choose one of: {', '.join(ORDERS)}")
    if not where.active:
        return store.statuses(dataset_id, annotator, order)
    ensure_search_table(store, dataset_id)
    query = (select(Item.id, Item.position, ItemState.status)
             .join(ItemState, (ItemState.item_id == Item.id) & (ItemState.annotator == annotator), isouter=True)
             .join(ItemText, ItemText.item_id == Item.id, isouter=True)
             .where(Item.dataset_id == dataset_id))
    if where.states:
        named = [s for s in where.states if s != "unreviewed"]
        query = query.where(or_(ItemState.status.in_(named),
                                ItemState.status.is_(None) if "unreviewed" in where.states else false()))
    if where.label:
        mine = ItemState.status.in_(KEPT)
        label = _escape(where.label)
        # the reviewer's saved entities where there are any (JSON: [[0, 2, "PER"]]), else the projection's
        saved = func.cast(ItemState.entities, String).like(f'%"{label}"%', escape="\\")
        query = query.where(or_(and_(mine, saved),
                                and_(or_(ItemState.status.is_(None), ~mine),
                                     ItemText.labels.like(f"%|{label}|%", escape="\\"))))
    if where.min_score is not None:
        query = query.where(Item.score >= where.min_score)
    if where.max_score is not None:
        query = query.where(Item.score <= where.max_score)
    if where.unprojected:
        query = query.where(ItemText.unprojected > 0)
    if where.reviewed_by:
        other = ItemState.__table__.alias("other")
        query = query.where(exists().where(other.c.item_id == Item.id, other.c.annotator == where.reviewed_by,
                                           other.c.status.in_(REVIEWED)))
    if where.flag:
        query = query.where(exists().where(Comment.item_id == Item.id, Comment.flag == where.flag))
    if where.text:
        pattern = _like(where.text)
        commented = exists().where(Comment.item_id == Item.id, func.lower(Comment.text).like(pattern, escape="\\"))
        query = query.where(or_(ItemText.source.like(pattern, escape="\\"), ItemText.target.like(pattern, escape="\\"),
                                commented))
    keys = (Item.position,) if order == "position" else (Item.score.is_(None), Item.score, Item.position)
    with store.sessions() as session:
        return [tuple(r) for r in session.execute(query.order_by(*keys)).all()]
