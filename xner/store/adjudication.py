"""A curator's final version of an item where annotators disagree: one annotator's
version taken, or an edited one. The export's "final" choice uses it over any annotator's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from xner.errors import ConfigError
from xner.review.rules import REVIEWED
from xner.store.decisions import check_labels
from xner.store.schema import Adjudication, Item
from xner.store.values import entity_rows, row_entities
from xner.types import Entity

if TYPE_CHECKING:
    from xner.store.store import Store


@dataclass(frozen=True)
class Final:
    item_id: int
    curator: str
    status: str  # accept, edit or reject, as a decision
    entities: tuple[Entity, ...]
    taken_from: str  # whose version ("" when the curator edited it)
    created_at: datetime


def adjudicate(store: Store, item_id: int, curator: str, status: str, entities: Iterable[Entity] = (),
               taken_from: str = "") -> None:
    """Store (or replace) the final version of an item."""
    if not curator.strip():
        raise ConfigError("enter a curator name before adjudicating")
    if status not in REVIEWED:
        raise ConfigError(f"a final version is one of: {', '.join(REVIEWED)}, not {status!r}")
    values = entity_rows(entities) if status != "reject" else []

    def work(session: Session) -> None:
        item = session.get(Item, item_id)
        if item is None:
            raise ConfigError(f"item {item_id} does not exist")
        check_labels(store, item.dataset_id, values)
        row = session.get(Adjudication, item_id)
        if row is None:
            row = Adjudication(item_id=item_id)
            session.add(row)
        row.curator, row.status, row.entities, row.taken_from = curator.strip(), status, values, taken_from
        row.created_at = datetime.now(timezone.utc)

    store._write(work)


def finals(store: Store, dataset_id: int) -> dict[int, Final]:
    """The adjudicated items of a dataset."""
    with store.sessions() as session:
        rows = session.scalars(select(Adjudication).join(Item, Item.id == Adjudication.item_id)
                               .where(Item.dataset_id == dataset_id))
        found = {}
        for r in rows:
            created = r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=timezone.utc)
            found[r.item_id] = Final(r.item_id, r.curator, r.status, row_entities(r.entities), r.taken_from, created)
        return found
